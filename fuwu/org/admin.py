from django.contrib import admin

from fuwu.core.admin_base import AuditedConfigAdmin, ReadOnlyAdmin
from fuwu.org.models import ApiToken, Department, Group, Profile, Region, Skill


@admin.register(Region)
class RegionAdmin(AuditedConfigAdmin):
    list_display = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(AuditedConfigAdmin):
    list_display = ("code", "name", "kind", "head")


@admin.register(Group)
class GroupAdmin(AuditedConfigAdmin):
    list_display = ("code", "name", "department", "leader")


@admin.register(Skill)
class SkillAdmin(AuditedConfigAdmin):
    list_display = ("code", "name")


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("employee_no", "user", "group", "region", "is_active")
    list_select_related = ("user", "group", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
