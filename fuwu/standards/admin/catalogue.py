"""Admin of the service catalogue (R3.2): service types, saved through `fuwu.standards.actions.catalogue`."""

from django.contrib import admin

from fuwu.core.admin_base import ActionAdmin, VersionedAdminForm
from fuwu.standards.actions.catalogue import ServiceTypeInput, service_type_create, service_type_update
from fuwu.standards.models import ServiceType


class ServiceTypeForm(VersionedAdminForm):
    class Meta:
        model = ServiceType
        fields = ("code", "name", "name_en", "kind", "required_fields", "default_group", "default_priority",
                  "is_active", "sort_order", "version")


@admin.register(ServiceType)
class ServiceTypeAdmin(ActionAdmin):
    form = ServiceTypeForm
    list_display = ("code", "name", "name_en", "kind", "default_group", "default_priority", "is_active")
    list_filter = ("kind", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_through_action(self, request, form, formsets, change) -> ServiceType:
        data = form.cleaned_data
        values = ServiceTypeInput(**{name: data[name] for name in ServiceTypeInput.__dataclass_fields__})
        if change:
            return service_type_update(actor=request.user, service_type=form.instance,
                                       expected_version=data.get("version"), data=values)
        return service_type_create(actor=request.user, code=data["code"], data=values)
