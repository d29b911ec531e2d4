from django.contrib import admin

from fuwu.core.admin_base import AuditedConfigAdmin
from fuwu.standards.models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedConfigAdmin):
    list_display = ("code", "name", "name_en", "kind", "default_group", "default_priority", "is_active")
    list_filter = ("kind", "is_active")
