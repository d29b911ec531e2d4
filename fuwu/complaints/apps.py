from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "fuwu.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from fuwu.complaints.actions import on_ticket_registered, ticket_close_guard
        from fuwu.complaints.selectors import register_improvement_source, ticket_complaint_panel
        from fuwu.core.panels import Panel
        from fuwu.tickets.events import register_close_guard, register_registration_listener
        from fuwu.tickets.panels import TICKET_PAGE

        TICKET_PAGE.register(Panel("complaints/includes/ticket_panel.html", ticket_complaint_panel))
        register_improvement_source()
        register_registration_listener(on_ticket_registered)
        register_close_guard(ticket_close_guard)
