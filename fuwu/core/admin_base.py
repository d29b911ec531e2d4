"""Admin for configuration models: every save is audited, nothing is deleted (R4.9, DESIGN rule 1)."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from fuwu.core.audit import audit_record


class AuditedConfigAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            values = model_to_dict(obj, fields=form.changed_data)
            new = {k: v if isinstance(v, str | int | bool | None) else str(v) for k, v in values.items()}
            audit_record(
                actor=request.user,
                action=f"config.{obj._meta.model_name}.{'changed' if change else 'created'}",
                obj=obj,
                payload={"new": new},
            )

    def save_formset(self, request, form, formset, change):
        """Inline rows (e.g. an SLA policy's targets) are audited one by one, like the parent."""
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
                audit_record(actor=request.user, action=f"config.{obj._meta.model_name}.saved", obj=obj,
                             payload={"parent": str(form.instance.pk)})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Business records are changed through the app's actions, not the admin: look, don't touch."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
