"""What a set of answers must be to be recorded (R9.1): the rule for the public page, the agent's
entry and the API alike. Errors are keyed by the form field of each question, `q<id>`."""

from typing import Any

from django.utils.translation import gettext as _

from fuwu.core.errors import InvalidInput
from fuwu.surveys.models import SCALES, Question, QuestionKind

MAX_TEXT = 2000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 2:
        return int(value.strip())
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def clean_answers(questions: list[Question], raw: dict[int, Any]) -> list[dict[str, Any]]:
    """The Answer fields for each answered question, or InvalidInput naming every problem at once."""
    errors: dict[str, list[str]] = {}
    rows: list[dict[str, Any]] = []
    for question in questions:
        value = raw.get(question.pk)
        name = field_name(question)
        if _empty(value):
            if question.required:
                errors[name] = [_("Please answer this question.")]
            continue
        if question.kind in SCALES:
            number = _number(value)
            scale = SCALES[question.kind]
            if number is None or number not in scale:
                errors[name] = [_("Choose a number from %(low)d to %(high)d.") % {"low": scale[0], "high": scale[-1]}]
            else:
                rows.append({"question": question, "number": number})
        elif question.kind == QuestionKind.SINGLE:
            if not isinstance(value, str) or value not in question.options:
                errors[name] = [_("Choose one of the options.")]
            else:
                rows.append({"question": question, "text": value})
        elif question.kind == QuestionKind.MULTIPLE:
            chosen = [value] if isinstance(value, str) else value
            if not isinstance(chosen, list | tuple) or any(c not in question.options for c in chosen):
                errors[name] = [_("Choose among the options.")]
            else:
                rows.append({"question": question, "choices": [o for o in question.options if o in chosen]})
        else:
            text = value if isinstance(value, str) else None
            if text is None:
                errors[name] = [_("Write your answer as text.")]
            elif len(text) > MAX_TEXT:
                errors[name] = [_("At most %(n)d characters.") % {"n": MAX_TEXT}]
            elif any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                errors[name] = [_("The text contains characters that cannot be stored.")]
            else:
                rows.append({"question": question, "text": text.strip()})
    if errors:
        raise InvalidInput(_("Some answers are missing or not valid."), errors=errors)
    return rows
