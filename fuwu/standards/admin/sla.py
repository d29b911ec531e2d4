"""Admin of SLA policies (R10.4, R4.4): criteria, precedence shown, targets inline; every save audited."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fuwu.core.admin_base import AuditedConfigAdmin
from fuwu.customers.models import CustomerClass
from fuwu.standards.models import Channel, SlaPolicy, SlaTarget
from fuwu.standards.sla import forget_policies, precedence, same_criteria


class SlaTargetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            key = (data.get("kind"), getattr(data.get("region"), "pk", None))
            if key in seen:
                raise forms.ValidationError(_("Each clock may have one target per region (and one without)."))
            seen.add(key)
            if not data.get("end_of_business_day") and not data.get("minutes"):
                form.add_error("minutes", _("Give the business minutes, or tick “done the same business day”."))


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    formset = SlaTargetFormSet
    extra = 1
    can_delete = False
    fields = ("kind", "region", "minutes", "end_of_business_day", "calendar", "warn_percent")


class SlaPolicyForm(forms.ModelForm):
    priority = forms.ChoiceField(label=_("priority"), required=False,
                                 choices=[("", _("Any")), *SlaPolicy._meta.get_field("priority").choices])
    customer_class = forms.ChoiceField(label=_("customer class"), required=False,
                                       choices=[("", _("Any")), *CustomerClass.choices])
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", _("Any")), *Channel.choices])

    class Meta:
        model = SlaPolicy
        fields = ("name", "service_type", "priority", "customer_class", "region", "channel", "is_active",
                  "description")

    def clean(self):
        data = super().clean()
        candidate = SlaPolicy(pk=self.instance.pk, **{k: data.get(k) for k in (
            "service_type", "priority", "customer_class", "region", "channel")})
        candidate.priority = candidate.priority or ""
        candidate.customer_class = candidate.customer_class or ""
        candidate.channel = candidate.channel or ""
        if data.get("is_active") and SlaPolicy.objects.filter(same_criteria(candidate)).exists():
            raise forms.ValidationError(_("An active policy with exactly these criteria exists; change that one."))
        return data


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedConfigAdmin):
    form = SlaPolicyForm
    inlines = [SlaTargetInline]
    list_display = ("name", "service_type", "priority", "customer_class", "region", "channel", "weight", "is_active")
    list_filter = ("is_active", "priority", "service_type")

    @admin.display(description=_("precedence"))
    def weight(self, policy: SlaPolicy) -> int:
        return precedence(policy)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_policies()  # this process uses the change at once; others within FUWU_STANDARDS_CACHE_SECONDS
