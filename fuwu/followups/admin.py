"""Follow-ups in the admin: read-only (rows change through `fuwu.followups.actions`; the rules are
edited on /followups/rules/)."""

from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.followups.models import CareMessage, FollowUp, FollowUpAttempt, FollowUpPlanRule, FollowUpRule


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "state", "ticket", "customer", "due_at", "attempts", "satisfaction")
    list_filter = ("kind", "state")


@admin.register(FollowUpAttempt)
class FollowUpAttemptAdmin(ReadOnlyAdmin):
    list_display = ("follow_up", "seq", "at", "by", "reached")


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(ReadOnlyAdmin):
    list_display = ("id", "service_kind", "service_type", "required", "working_days", "max_attempts", "is_active")


@admin.register(FollowUpPlanRule)
class FollowUpPlanRuleAdmin(ReadOnlyAdmin):
    list_display = ("id", "category", "customer_class", "first_months", "first_every", "then_every", "is_active")


@admin.register(CareMessage)
class CareMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "subject", "month", "day", "customer_class", "is_active")
