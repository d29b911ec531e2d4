"""The customer portal (R3.1, R1.2): one-time sign-in links and the requests customers file themselves.

Written only by `fuwu.portal.actions`. Nothing is deleted: a used or expired link stays, as the
record of who asked to sign in and when.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Contact, DeliveredProduct
from fuwu.tickets.models import Ticket


class LoginLink(models.Model):
    """A single-use sign-in link sent by e-mail to a contact with a portal login.

    Only the SHA-256 of the token is kept: the token itself is in the e-mail alone, so a copy of
    the database signs nobody in. A link works once (`used_at`) and until `expires_at`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["user", "created_at"], name="portal_link_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class PortalRequest(models.Model):
    """A request the customer filed in the portal (R3.1): which contact filed it, about which product."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="portal_request")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact"))
    product = models.ForeignKey(
        DeliveredProduct, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    filed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("portal request")
        verbose_name_plural = _("portal requests")

    def __str__(self) -> str:
        return str(self.ticket_id)
