from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldServiceConfig(AppConfig):
    name = "fuwu.fieldservice"
    label = "fieldservice"
    verbose_name = _("Field service")

    def ready(self) -> None:
        from fuwu.core.panels import Panel
        from fuwu.customers.scopes import register_work_scope
        from fuwu.fieldservice.rules import technician_works_ticket
        from fuwu.fieldservice.selectors import customer_ids_of_field_work, ticket_work_orders_panel
        from fuwu.tickets.panels import TICKET_PAGE
        from fuwu.tickets.rules import register_write_grant

        TICKET_PAGE.register(Panel("fieldservice/includes/ticket_panel.html", ticket_work_orders_panel))
        register_write_grant(technician_works_ticket)
        register_work_scope(customer_ids_of_field_work)
