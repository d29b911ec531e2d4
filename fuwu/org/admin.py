"""Admin of the organisation (R1.1): regions, departments, groups and skills are saved through
`fuwu.org.actions`; codes stay as created. Profiles and API tokens are read-only here."""

from django.contrib import admin

from fuwu.core.admin_base import ActionAdmin, ReadOnlyAdmin
from fuwu.org import actions
from fuwu.org.models import ApiToken, Department, Group, Profile, Region, Skill


class CodeOnceAdmin(ActionAdmin):
    """The code is given when the row is added and shown, not edited, afterwards."""

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


@admin.register(Region)
class RegionAdmin(CodeOnceAdmin):
    list_display = ("code", "name")
    fields = ("code", "name")

    def save_through_action(self, request, form, formsets, change) -> Region:
        data = form.cleaned_data
        if change:
            return actions.region_update(actor=request.user, region=form.instance, name=data["name"])
        return actions.region_create(actor=request.user, code=data["code"], name=data["name"])


@admin.register(Department)
class DepartmentAdmin(CodeOnceAdmin):
    list_display = ("code", "name", "kind", "head")
    fields = ("code", "name", "kind", "head")

    def save_through_action(self, request, form, formsets, change) -> Department:
        data = form.cleaned_data
        if change:
            return actions.department_update(actor=request.user, department=form.instance, name=data["name"],
                                             kind=data["kind"], head=data.get("head"))
        return actions.department_create(actor=request.user, code=data["code"], name=data["name"],
                                         kind=data["kind"], head=data.get("head"))


@admin.register(Group)
class GroupAdmin(CodeOnceAdmin):
    list_display = ("code", "name", "department", "leader")
    fields = ("code", "name", "department", "leader")

    def save_through_action(self, request, form, formsets, change) -> Group:
        data = form.cleaned_data
        if change:
            return actions.group_update(actor=request.user, group=form.instance, name=data["name"],
                                        department=data["department"], leader=data.get("leader"))
        return actions.group_create(actor=request.user, code=data["code"], name=data["name"],
                                    department=data["department"], leader=data.get("leader"))


@admin.register(Skill)
class SkillAdmin(CodeOnceAdmin):
    list_display = ("code", "name")
    fields = ("code", "name")

    def save_through_action(self, request, form, formsets, change) -> Skill:
        data = form.cleaned_data
        if change:
            return actions.skill_update(actor=request.user, skill=form.instance, name=data["name"])
        return actions.skill_create(actor=request.user, code=data["code"], name=data["name"])


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ("employee_no", "user", "group", "region", "is_active")
    list_select_related = ("user", "group", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
