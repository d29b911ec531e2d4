from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "fuwu.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from fuwu.core.panels import Panel
        from fuwu.portal.selectors import ticket_portal_panel
        from fuwu.tickets.panels import TICKET_PAGE

        # The request page tells staff that the customer filed it in the portal, who and about which product.
        TICKET_PAGE.register(Panel("portal/includes/ticket_panel.html", ticket_portal_panel))
