"""Shapes of the ticket pages' input. The rules live in validation.py and the actions.

Every action form carries the ticket's `version`, so a stale edit comes back as a conflict
(docs/architecture.md, rule 3) instead of overwriting someone else's change.
"""

import datetime
from collections import Counter

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fuwu.core.validation import Errors, parse_id
from fuwu.org.models import Group, Region
from fuwu.standards.models import REQUIRABLE_FIELDS, Channel, Priority, ServiceType
from fuwu.tickets.lifecycle import Tier
from fuwu.tickets.models import OPEN_STATUS_LIST, Entry, Ticket
from fuwu.tickets.validation import TicketInput, clean_ticket

# Where an action names a field differently from the form (TicketInput uses ids).
ERROR_KEYS = {"service_type_id": "service_type", "region_id": "region", "customer_id": "customer"}
# A service type's required field (ServiceType.required_fields) -> the intake form's field.
REQUIRED_FIELD_NAMES = {"contact_phone": "contact_phone", "site_address": "site_address", "region": "region",
                        "occurred_since": "occurred_since", "customer": "customer"}


def rename_error_keys(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {ERROR_KEYS.get(key, key): messages for key, messages in errors.items()}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; size and type are checked by the action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _staff_choices():
    """Active staff in a group, with their group loaded for the label and their open requests counted."""
    open_requests = (Ticket.objects.filter(owner=OuterRef("pk"), status__in=OPEN_STATUS_LIST).order_by()
                     .values("owner").annotate(n=Count("id")).values("n"))
    return (
        get_user_model().objects.filter(profile__is_active=True, profile__group__isnull=False, is_active=True)
        .select_related("profile__group").order_by("profile__group__code", "username")
        .annotate(open_requests=Coalesce(Subquery(open_requests), 0))
    )


class StaffSelect(forms.Select):
    """Each person carries their group, so the page can offer only the members of the chosen group."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-group"] = str(instance.profile.group_id)
        return option


class StaffChoiceIterator(ModelChoiceIterator):
    """Reads the people once and notes which names occur twice in a group, for their labels."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        people = list(self.queryset)
        self.field.shared_names = Counter((p.profile.group_id, p.get_full_name() or p.username) for p in people)
        for person in people:
            yield self.choice(person)


class StaffChoiceField(forms.ModelChoiceField):
    """A person to hand over to: name, group and open workload; the login tells two people of one name apart."""

    widget = StaffSelect
    iterator = StaffChoiceIterator
    shared_names: Counter = Counter()

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        if name != obj.username and self.shared_names[(obj.profile.group_id, name)] > 1:
            name = f"{name} ({obj.username})"
        workload = ngettext("%(n)d open", "%(n)d open", obj.open_requests) % {"n": obj.open_requests}
        return f"{name} · {obj.profile.group} · {workload}"


class IntakeForm(forms.Form):
    """Registration at first contact (R3.3): who, how to reach them, where, what, since when."""

    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=ServiceType.objects.filter(is_active=True), empty_label=None
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("Contact name"), max_length=64)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=24, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    site_address = forms.CharField(label=_("Site address"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False,
                                    empty_label=_("Choose a region"))
    title = forms.CharField(label=_("What is it about"), max_length=200)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    occurred_since = forms.CharField(label=_("Since when"), max_length=64, required=False,
                                     help_text=_("E.g. “since this morning”, “2 days”."))
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=[("", _("The type's default")), *Priority.choices])
    settle = forms.CharField(
        label=_("Settled at first contact: resolution"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fill in only when the matter is settled during this call (一次办结): the request is registered "
                    "and resolved at once, counts as settled at first contact, and the follow-up falls due."),
    )
    retroactive = forms.BooleanField(
        label=_("Registered after the fact (work already done)"), required=False,
        help_text=_("For urgent work done before it was registered: give the real start time below, so the time "
                    "limits count from when the work began, not from now."))
    received_at = forms.DateTimeField(label=_("Real start time"), required=False, widget=DateTimeLocalInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
                                      help_text=_("Only with “registered after the fact”."))
    major = forms.BooleanField(
        label=_("Major matter: tell the general manager now"), required=False,
        help_text=_("A serious incident, a threat of media or legal action, or many customers affected."))

    def __init__(self, *args, service_type: ServiceType | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_type = service_type or self._chosen_type()
        self.required_by_type: list[str] = []
        if self.service_type is not None:
            for name in self.service_type.required_fields:
                field_name = REQUIRED_FIELD_NAMES.get(name)
                if field_name and field_name != "customer":
                    self.fields[field_name].required = True
                self.required_by_type.append(str(REQUIRABLE_FIELDS.get(name, name)))

    def _chosen_type(self) -> ServiceType | None:
        raw = (self.data.get("service_type") if self.is_bound else None) or self.initial.get("service_type")
        if isinstance(raw, ServiceType):
            return raw
        types = list(self.fields["service_type"].queryset)
        if wanted := parse_id(str(raw or "")):
            return next((t for t in types if t.pk == wanted), None)
        return types[0] if types else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("retroactive") and not cleaned.get("received_at") and not self.has_error("received_at"):
            self.add_error("received_at", _("Give the real start time of the work done before registering."))
        if cleaned.get("service_type") is not None:
            errors = Errors()
            clean_ticket(self.to_input(cleaned), errors)
            for key, messages in rename_error_keys(errors.fields).items():
                if key in self.fields and not self.has_error(key):
                    for message in messages:
                        self.add_error(key, message)
        return cleaned

    def to_input(self, cleaned: dict | None = None) -> TicketInput:
        d = cleaned if cleaned is not None else self.cleaned_data
        received_at: datetime.datetime | None = d.get("received_at") if d.get("retroactive") else None
        if received_at is not None and timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        return TicketInput(
            service_type_id=d["service_type"].pk,
            title=d.get("title") or "",
            contact_name=d.get("contact_name") or "",
            channel=d.get("channel") or Channel.PHONE,
            description=d.get("description") or "",
            customer_id=d.get("customer") or None,
            contact_phone=d.get("contact_phone") or "",
            contact_email=d.get("contact_email") or "",
            site_address=d.get("site_address") or "",
            region_id=d["region"].pk if d.get("region") else None,
            occurred_since=d.get("occurred_since") or "",
            priority=d.get("priority") or "",
            received_at=received_at,
        )


class VersionedForm(forms.Form):
    # Always sent by the page: a move without the version the user saw could overwrite someone else's.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages={
        "required": _("This form is out of date: reload the page and try again."),
        "invalid": _("This form is out of date: reload the page and try again.")})

    def full_clean(self) -> None:
        super().full_clean()
        if "version" in self._errors:  # a hidden field's error has nowhere to show: it is the form's
            self.add_error(None, self._errors.pop("version"))


class MoveForm(VersionedForm):
    move = forms.CharField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class HandOverForm(VersionedForm):
    to_group = forms.ModelChoiceField(label=_("To group"), queryset=Group.objects.all(),
                                      empty_label=_("Choose a group"))
    to_user = StaffChoiceField(label=_("Person (optional)"), queryset=_staff_choices(), required=False,
                               empty_label=_("Anyone in the group"),
                               widget=StaffSelect(attrs={"data-filter-by": "to_group"}))
    note = forms.CharField(label=_("Hand-over note"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("What is handed over and what is expected."))


class ReassignForm(HandOverForm):
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=500)


class TierForm(VersionedForm):
    tier = forms.ChoiceField(label=_("Service tier"), choices=Tier.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    customer_authorised = forms.BooleanField(label=_("The customer authorised remote service"), required=False)


class ReclassifyForm(VersionedForm):
    """Type or priority changed; the SLA clocks are re-evaluated (R10.4)."""

    service_type = forms.ModelChoiceField(label=_("Service type"), queryset=ServiceType.objects.filter(is_active=True))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ArrivalForm(VersionedForm):
    arrived_at = forms.DateTimeField(label=_("Arrived at (empty: now)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class MajorForm(forms.Form):
    reason = forms.CharField(label=_("Why it is major"), max_length=500)


class RepeatForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in Entry.Kind.choices if c[0] != Entry.Kind.CUSTOMER],
                             initial=Entry.Kind.NOTE, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    supersedes = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, follow_up: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not follow_up:  # a follow-up is recorded once the request is resolved
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != Entry.Kind.FOLLOW_UP]


class RulingRequestForm(forms.Form):
    question = forms.CharField(label=_("The disagreement and what must be decided"),
                               widget=forms.Textarea(attrs={"rows": 2}))


class RulingRecordForm(forms.Form):
    ruling = forms.CharField(label=_("Ruling"), widget=forms.Textarea(attrs={"rows": 2}))
