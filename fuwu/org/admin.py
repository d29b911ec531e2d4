"""Admin of the organisation (R1.1): regions, departments, groups and skills are saved through
`fuwu.org.actions`; codes stay as created. Profiles and API tokens are read-only here."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.utils.translation import gettext_lazy as _

from fuwu.core.admin_base import ActionAdmin, ReadOnlyAdmin
from fuwu.core.errors import FuwuError
from fuwu.org import actions
from fuwu.org.models import ApiToken, Department, Group, Profile, Region, Skill

User = get_user_model()


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


# Logins are made and changed on the staff pages, through `fuwu.org.actions`, which audit every
# change: Django's own user and group admin would change them outside the audit record (R4.9).
admin.site.unregister(User)
admin.site.unregister(AuthGroup)


@admin.register(User)
class LoginAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password", "user_permissions", "groups")
    actions = ["grant_administrator_rights"]

    @admin.action(description=_("Grant administrator rights (recorded in the audit record)"))
    def grant_administrator_rights(self, request, queryset) -> None:
        try:
            for user in queryset:
                actions.staff_grant_superuser(actor=request.user, user=user)
        except FuwuError as exc:
            self.message_user(request, str(exc.message), level=messages.ERROR)
