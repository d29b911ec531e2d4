"""Fault reports in the admin: read-only (they change through `fuwu/faults/actions.py`; the notice list
is kept on /faults/notice-list/)."""

from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.faults.models import FaultReport, FaultUpdate, NoticeRecipient


@admin.register(FaultReport)
class FaultReportAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "status", "severity", "started_at", "region", "closed_at")
    list_filter = ("status", "severity", "region")
    list_select_related = ("region",)
    search_fields = ("title", "place")


@admin.register(FaultUpdate)
class FaultUpdateAdmin(ReadOnlyAdmin):
    list_display = ("fault", "at", "author", "status", "text")
    list_select_related = ("fault", "author")


@admin.register(NoticeRecipient)
class NoticeRecipientAdmin(ReadOnlyAdmin):
    list_display = ("kind", "department", "role", "user", "added_at")
    list_select_related = ("department", "user")
