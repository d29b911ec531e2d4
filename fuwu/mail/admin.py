from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.mail.models import InboundMail


@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdmin):
    """Received mail is never edited or erased here (docs/architecture.md, "E-mail")."""

    list_display = ("received_at", "from_address", "subject", "outcome", "ticket")
    list_filter = ("outcome",)
    search_fields = ("from_address", "subject", "message_id")
    raw_id_fields = ("ticket",)
    show_full_result_count = False
