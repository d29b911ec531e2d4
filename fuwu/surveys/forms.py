"""Forms of the survey pages: they parse; the actions decide (docs/architecture.md, rule 1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.standards.models import ServiceKind, ServiceType
from fuwu.surveys.answers import MAX_TEXT, field_name
from fuwu.surveys.models import (
    SCALES,
    CampaignKind,
    Channel,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Topic,
)
from fuwu.tickets.forms import VersionedForm


class QuestionnaireForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40,
                           help_text=_("Letters, digits, - and _; kept by every version."))
    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.ChoiceField(label=_("Covers"), choices=Topic.choices, initial=Topic.AFTER_SALES)
    intro = forms.CharField(label=_("Introduction"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Shown to the customer above the questions."))


class HeadForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.ChoiceField(label=_("Covers"), choices=Topic.choices)
    intro = forms.CharField(label=_("Introduction"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class SectionForm(VersionedForm):
    title = forms.CharField(label=_("New section"), max_length=120)


class QuestionForm(VersionedForm):
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Hint"), max_length=300, required=False)
    options = forms.CharField(label=_("Options"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Choice questions: one option per line."))
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)
    counts_for_satisfaction = forms.BooleanField(
        label=_("Counts for the satisfaction rate"), required=False,
        help_text=_("A 1–5 rating whose 4 and 5 count as satisfied."))

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.order_by("position", "id")
        self.fields["section"].label_from_instance = lambda s: s.title or _("(untitled section)")

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


_CHECK = {"class": "form-check-input"}  # Bootstrap's tick box, beside its .form-check-label


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("When"), choices=CampaignKind.choices)
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects.none(),
                                           empty_label=_("Choose a questionnaire"),
                                           help_text=_("Invitations always use its published version of the day."))
    channel = forms.ChoiceField(label=_("Invite by"), choices=[(c, label) for c, label in Channel.choices
                                                               if c != Channel.ONLINE], initial=Channel.EMAIL,
                                help_text=_("Without an e-mail address, an invitation goes to the agents to call."))
    service_kinds = forms.MultipleChoiceField(label=_("Kinds of request"), choices=ServiceKind.choices,
                                              required=False, widget=forms.CheckboxSelectMultiple(attrs=_CHECK),
                                              help_text=_("None ticked: all."))
    service_types = forms.ModelMultipleChoiceField(label=_("Service types"), queryset=ServiceType.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple(attrs=_CHECK),
                                                   help_text=_("None ticked: all."))
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=0, max_value=10000, initial=0, required=False,
                                     help_text=_("Sampled campaigns: how many to invite each period."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   widget=forms.CheckboxInput(attrs=_CHECK))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.exclude(
            status=QuestionnaireStatus.RETIRED).order_by("code", "-edition")
        self.fields["service_types"].queryset = ServiceType.objects.filter(is_active=True)


class EnterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Answers taken"), choices=[(Channel.PHONE, Channel.PHONE.label),
                                                                  (Channel.PAPER, Channel.PAPER.label)],
                                widget=forms.RadioSelect, initial=Channel.PHONE)


def answer_form(questions: list[Question], data=None) -> forms.Form:
    """The respondent's form: one field per question (`q<id>`). It says at once what is missing or
    not among the choices; the action checks the same again (`fuwu.surveys.answers`)."""
    fields: dict[str, forms.Field] = {}
    messages = {"required": _("Please answer this question."), "invalid_choice": _("Choose among the options.")}
    for q in questions:
        common = {"label": q.text, "required": q.required, "help_text": q.help_text, "error_messages": messages}
        if q.kind in SCALES:
            choices = [(str(n), str(n)) for n in SCALES[q.kind]]
            fields[field_name(q)] = forms.ChoiceField(choices=choices, widget=forms.RadioSelect(
                attrs={"class": "btn-check"}), **common)
        elif q.kind == QuestionKind.SINGLE:
            fields[field_name(q)] = forms.ChoiceField(choices=[(o, o) for o in q.options], widget=forms.RadioSelect(
                attrs={"class": "form-check-input"}), **common)
        elif q.kind == QuestionKind.MULTIPLE:
            fields[field_name(q)] = forms.MultipleChoiceField(choices=[(o, o) for o in q.options],
                                                              widget=forms.CheckboxSelectMultiple(
                attrs={"class": "form-check-input"}), **common)
        else:
            fields[field_name(q)] = forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(
                attrs={"rows": 3, "class": "form-control"}), **common)
    form_class = type("AnswerForm", (forms.Form,), fields)
    return form_class(data)


def answers_from(form: forms.Form, questions: list[Question]) -> dict[int, object]:
    """The cleaned answers by question id, for the action."""
    return {q.pk: form.cleaned_data.get(field_name(q)) for q in questions}
