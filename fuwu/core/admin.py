from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "actor_name", "action", "object_type", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_name", "object_id")
    show_full_result_count = False
