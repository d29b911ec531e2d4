"""Shapes of the calendar pages' input (R10.3). The rules live in `fuwu.standards.actions.calendars`;
the action's errors are shown beside these fields (`add_action_errors`), with what was typed kept.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.org.roles import Role
from fuwu.standards.actions.calendars import WEEKDAYS, CalendarInput
from fuwu.standards.models import CalendarException, ServiceCalendar

WEEKDAY_NAMES = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
HOURS_HELP = _("For example 09:00-12:00, 13:00-18:00; leave empty for a day off.")


class CalendarForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32, help_text=_("Letters, digits, hyphens, underscores."))
    name = forms.CharField(label=_("Name"), max_length=64)
    name_en = forms.CharField(label=_("English name"), max_length=64, required=False)
    parent = forms.ModelChoiceField(
        label=_("Inherits from"), queryset=ServiceCalendar.objects.order_by("code"), required=False,
        empty_label=_("No parent calendar"),
        help_text=_("Without hours of its own, a calendar uses its parent's; the parent's exceptions apply too."),
    )
    timezone = forms.CharField(label=_("Time zone"), max_length=64, initial=settings.TIME_ZONE)
    is_24x7 = forms.BooleanField(label=_("Round the clock (24 × 7)"), required=False)
    observes_statutory_holidays = forms.BooleanField(label=_("Observes statutory holidays"), required=False,
                                                     initial=True)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def to_input(self) -> CalendarInput:
        d = self.cleaned_data
        return CalendarInput(
            name=d["name"], name_en=d["name_en"], parent_id=d["parent"].pk if d["parent"] else None,
            timezone=d["timezone"], is_24x7=d["is_24x7"], observes_statutory_holidays=d["observes_statutory_holidays"],
            description=d["description"],
        )

    @staticmethod
    def initial_for(calendar: ServiceCalendar) -> dict:
        return {"code": calendar.code, "name": calendar.name, "name_en": calendar.name_en, "parent": calendar.parent_id,
                "timezone": calendar.timezone, "is_24x7": calendar.is_24x7,
                "observes_statutory_holidays": calendar.observes_statutory_holidays,
                "description": calendar.description, "version": calendar.version}


class CalendarEditForm(CalendarForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, calendar: ServiceCalendar, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]  # the code is what integrations refer to: it never changes
        self.fields["parent"].queryset = ServiceCalendar.objects.exclude(pk=calendar.pk).order_by("code")


class HoursForm(forms.Form):
    """The whole week at once; the action replaces the days whose text changed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=WEEKDAY_NAMES[day], max_length=100, required=False,
                widget=forms.TextInput(attrs={"placeholder": "09:00-12:00, 13:00-18:00"}),
            )

    def hours(self) -> dict[int, str]:
        return {day: self.cleaned_data[f"hours_{day}"] for day in WEEKDAYS}


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarException.Kind.choices)
    hours = forms.CharField(label=_("Hours"), max_length=100, required=False,
                            help_text=_("Only for special hours, for example 09:00-12:00."),
                            widget=forms.TextInput(attrs={"placeholder": "09:00-12:00"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. company anniversary")}))


def staff_choices():
    """Active staff (not customer logins), by name."""
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True)
            .exclude(profile__roles__code=Role.CUSTOMER).distinct().order_by("first_name", "username"))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class DutyForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    staff = StaffChoiceField(label=_("Staff member"), queryset=get_user_model().objects.none(),
                             empty_label=_("Choose a person"))
    shift = forms.CharField(label=_("Shift"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "08:00-20:00"}))
    phone = forms.CharField(label=_("Duty phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
