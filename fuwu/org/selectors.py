"""Reads of the organisation, scoped to the viewer."""

from django.db.models import Count, Q, QuerySet

from fuwu.org.models import ApiToken, Group, Profile
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role


def staff_visible_to(viewer) -> QuerySet[Profile]:
    if not can(viewer, Perm.STAFF_VIEW):
        return Profile.objects.none()
    return (
        Profile.objects.filter(is_active=True)
        .exclude(roles__code=Role.CUSTOMER)
        .select_related("user", "group", "department", "region")
        .prefetch_related("roles", "skills")
        .order_by("employee_no")
    )


def groups_with_headcount(viewer) -> QuerySet[Group]:
    if not can(viewer, Perm.STAFF_VIEW):
        return Group.objects.none()
    return Group.objects.select_related("department", "leader").annotate(
        headcount=Count("members", filter=Q(members__is_active=True))
    )


def api_tokens_of(viewer) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=viewer).order_by("-created_at")


def users_holding(*roles: Role) -> list:
    """The active logins holding any of `roles`, e.g. whom to tell of a major matter (R3.5)."""
    profiles = Profile.objects.filter(roles__code__in=roles, is_active=True, user__is_active=True)
    return [profile.user for profile in profiles.select_related("user").distinct()]
