"""The organisation and logins (R1): audit action codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class OrgAction(AuditAction):
    STAFF_CREATED = "staff.created", _("Staff account created")
    STAFF_SUPERUSER_GRANTED = "staff.superuser_granted", _("Administrator rights granted")
    REGION_CREATED = "region.created", _("Region created")
    SKILL_CREATED = "skill.created", _("Skill created")
    GROUP_LEADER_SET = "group.leader_set", _("Group leader set")
    DEPARTMENT_HEAD_SET = "department.head_set", _("Department head set")
    API_TOKEN_ISSUED = "api_token.issued", _("API token issued")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    AUTH_LOGGED_IN = "auth.logged_in", _("Logged in")
    AUTH_LOCKED_OUT = "auth.locked_out", _("Login locked after failed attempts")
    AUTH_ADDRESS_LOCKED_OUT = "auth.address_locked_out", _("Address locked after failed attempts")
    REGION_UPDATED = "region.updated", _("Region changed")
    SKILL_UPDATED = "skill.updated", _("Skill changed")
    DEPARTMENT_CREATED = "department.created", _("Department created")
    DEPARTMENT_UPDATED = "department.updated", _("Department changed")
    GROUP_CREATED = "group.created", _("Group created")
    GROUP_UPDATED = "group.updated", _("Group changed")


class OrgError(ErrorCode):
    SUPERUSER_GRANT_FORBIDDEN = "forbidden.superuser", "Only an administrator grants administrator rights."
