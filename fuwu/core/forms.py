from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from fuwu.core.errors import Conflict, FuwuError


def add_action_errors(exc, *forms_by_prefix: tuple[str, forms.Form]) -> None:
    """Show a typed action error beside the fields it names; the rest goes above the form."""
    placed = False
    for key, messages in exc.errors.items():
        for prefix, form in forms_by_prefix:
            name = key[len(prefix) :] if prefix and key.startswith(prefix) else (key if not prefix else None)
            if name and name in form.fields:
                for message in messages:
                    form.add_error(name, message)
                placed = True
                break
    if not placed and forms_by_prefix:
        forms_by_prefix[0][1].add_error(None, exc.message)


@dataclass
class FormOutcome:
    """What became of a form sent through an action: `done` with its `result`, or the `conflict`
    message of a stale version, or the errors beside the fields (both left in the form)."""

    done: bool = False
    result: Any = None
    conflict: str | None = None


def run_form_action(form: forms.Form, call: Callable[[dict], Any]) -> FormOutcome:
    """Call the action with a valid form's data; typed errors go beside the fields, the input stays."""
    if not form.is_valid():
        return FormOutcome()
    try:
        return FormOutcome(done=True, result=call(form.cleaned_data))
    except Conflict as exc:
        return FormOutcome(conflict=exc.message)
    except FuwuError as exc:
        add_action_errors(exc, ("", form))
        return FormOutcome()


def offer_current_version(form: forms.Form, version: int) -> None:
    """After a conflict the form keeps what the user typed and carries the version now stored, so a
    second send is a deliberate overwrite of what they have just been shown."""
    if "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = version


class PersonChoiceField(forms.ModelChoiceField):
    """A staff member chosen by name; the login tells two people of one name apart."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoiceField.label_from_instance
