"""Admin of SLA policies (R10.4, R4.4): criteria, precedence shown, targets inline.

Saved through `fuwu.standards.actions.sla` (create, update, retire), which refuse a second active
policy with the same criteria and empty the policy cache. Targets are never deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fuwu.core.admin_base import ActionAdmin, VersionedAdminForm
from fuwu.core.errors import FuwuError
from fuwu.customers.models import CustomerClass
from fuwu.standards.actions.sla import TargetInput, sla_policy_create, sla_policy_retire, sla_policy_update
from fuwu.standards.models import Channel, SlaPolicy, SlaTarget
from fuwu.standards.sla import precedence


class SlaTargetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("end_of_business_day") and not data.get("minutes"):
                form.add_error("minutes", _("Give the business minutes, or tick “done the same business day”."))

    def targets(self) -> list[TargetInput]:
        """The filled-in rows, as the action takes them (a row with an id edits that target)."""
        return [
            TargetInput(kind=d["kind"], calendar=d["calendar"], region=d.get("region"),
                        minutes=None if d.get("end_of_business_day") else d.get("minutes"),
                        warn_percent=d["warn_percent"], target_id=d["id"].pk if d.get("id") else None)
            for d in (getattr(form, "cleaned_data", None) for form in self.forms) if d
        ]


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    formset = SlaTargetFormSet
    extra = 1
    can_delete = False
    fields = ("kind", "region", "minutes", "end_of_business_day", "calendar", "warn_percent")


class SlaPolicyForm(VersionedAdminForm):
    priority = forms.ChoiceField(label=_("priority"), required=False,
                                 choices=[("", _("Any")), *SlaPolicy._meta.get_field("priority").choices])
    customer_class = forms.ChoiceField(label=_("customer class"), required=False,
                                       choices=[("", _("Any")), *CustomerClass.choices])
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", _("Any")), *Channel.choices])

    class Meta:
        model = SlaPolicy
        fields = ("name", "service_type", "priority", "customer_class", "region", "channel", "is_active",
                  "description", "version")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ActionAdmin):
    form = SlaPolicyForm
    inlines = [SlaTargetInline]
    list_display = ("name", "service_type", "priority", "customer_class", "region", "channel", "weight", "is_active")
    list_filter = ("is_active", "priority", "service_type")
    actions = ["retire"]

    @admin.display(description=_("precedence"))
    def weight(self, policy: SlaPolicy) -> int:
        return precedence(policy)

    def save_through_action(self, request, form, formsets, change) -> SlaPolicy:
        data = form.cleaned_data
        values = {name: data.get(name) or "" for name in ("name", "priority", "customer_class", "channel",
                                                          "description")}
        values |= {"service_type": data.get("service_type"), "region": data.get("region"),
                   "is_active": bool(data.get("is_active"))}
        targets = [target for formset in formsets for target in formset.targets()]
        if change:
            return sla_policy_update(actor=request.user, policy=form.instance, expected_version=data.get("version"),
                                     targets=targets, **values)
        return sla_policy_create(actor=request.user, targets=targets, **values)

    @admin.action(description=_("Retire the chosen SLA policies"))
    def retire(self, request, queryset) -> None:
        retired = 0
        for policy in queryset.filter(is_active=True):
            try:
                sla_policy_retire(actor=request.user, policy=policy, expected_version=None)
            except FuwuError as exc:
                self.message_user(request, f"{policy}: {exc.message}", messages.ERROR)
            else:
                retired += 1
        self.message_user(request, ngettext("%(n)d policy retired.", "%(n)d policies retired.", retired)
                          % {"n": retired})
