from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.portal.models import LoginLink, PortalRequest


@admin.register(LoginLink)
class LoginLinkAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "expires_at", "used_at")
    exclude = ("token_hash",)


@admin.register(PortalRequest)
class PortalRequestAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "contact", "product", "filed_at")
