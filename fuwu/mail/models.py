"""Received e-mail (docs/architecture.md, "E-mail"): one row per message, never erased."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OPENED = "opened", _("Opened a request")
    THREADED = "threaded", _("Added to its request")
    AUTO_REPLY = "auto_reply", _("Automatic mail, not answered")
    LOOP = "loop", _("Our own mail come back, not answered")


class InboundMail(models.Model):
    """A received message. Its Message-ID is unique: the same mail delivered twice is processed once."""

    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    from_address = models.EmailField(_("from"), max_length=254)
    from_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="inbound_mails")
    in_reply_to = models.CharField(max_length=250, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"
