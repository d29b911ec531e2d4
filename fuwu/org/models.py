"""Organisation (R1): regions, departments, groups, roles, skills and the profile of each login."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.org.roles import Role


class Region(models.Model):
    """A service region; customers, staff and (later) on-site deadlines refer to it (R4.4)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        SALES = "sales", _("Sales")
        RND = "rnd", _("R&D")
        FINANCE = "finance", _("Finance")
        OFFICE = "office", _("Office")
        GENERAL_MANAGEMENT = "general_management", _("General management")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A working group inside a department, e.g. 客服组, 技术支持组, 维修组 (R1.1)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="groups", verbose_name=_("department")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["department__code", "code"]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A role as a row, so a profile can hold several and queries can find who holds one."""

    code = models.CharField(_("role"), max_length=32, choices=Role.choices, primary_key=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(Role(self.code).label)


class Skill(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """Who a login is in the organisation: roles and, for staff, number, group, skills, region."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile", verbose_name=_("user")
    )
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("department"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("group")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    roles = models.ManyToManyField(RoleAssignment, blank=True, related_name="profiles", verbose_name=_("roles"))
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles", verbose_name=_("skills"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class ApiToken(models.Model):
    """A per-user API token. Only its SHA-256 is stored; the key is shown once at issue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed login, counted for lockout. Kept as a record; old rows simply stop counting."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="login_failure_recent_idx"),
            models.Index(fields=["ip_address", "occurred_at"], name="login_failure_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.occurred_at:%Y-%m-%d %H:%M}"
