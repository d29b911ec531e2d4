from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "fuwu.tickets"
    label = "tickets"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from fuwu.customers.panels import CustomerPanel, register_customer_action, register_customer_panel
        from fuwu.customers.scopes import register_work_scope
        from fuwu.tickets.selectors import customer_ids_worked_on, customer_new_request_action, customer_tickets_panel

        register_customer_panel(CustomerPanel("tickets/includes/customer_tickets.html", customer_tickets_panel))
        register_customer_action(
            CustomerPanel("tickets/includes/customer_new_request.html", customer_new_request_action))
        register_work_scope(customer_ids_worked_on)
