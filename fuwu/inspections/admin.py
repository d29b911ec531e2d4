"""Inspections in the admin: read-only (rows change through `fuwu.inspections.actions`; checklists are
built and rounds planned on /inspections/)."""

from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.inspections.models import Checklist, Finding, Inspection, InspectionRound


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ("code", "edition", "title", "kind", "touchpoint", "pass_mark", "status")
    list_filter = ("kind", "touchpoint", "status")


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "checklist", "period_start", "period_end", "status")
    list_filter = ("status",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "checklist", "touchpoint", "staff", "group", "score", "passed", "observed_at")
    list_filter = ("touchpoint", "kind", "passed")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("id", "inspection", "reason", "group", "ticket", "created_at")
    list_filter = ("reason",)
