from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.tickets.models import Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Look only: requests change through `fuwu.tickets.actions`; the first-responsible never does (R3.3)."""

    list_display = ("number", "title", "status", "owner", "first_responsible")
    list_filter = ("status", "kind")
    search_fields = ("number",)
    list_select_related = ("owner", "first_responsible")
    show_full_result_count = False
