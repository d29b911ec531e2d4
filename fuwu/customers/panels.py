"""The customer page's panel slots: apps above `customers` show their rows there (R2.1: the
service history) and their buttons in its header (a new request for this customer). See
`fuwu/core/panels.py`."""

from fuwu.core.panels import Panel, PanelSlot

CUSTOMER_PAGE = PanelSlot("customer page")
CustomerPanel = Panel
register_customer_panel = CUSTOMER_PAGE.register
customer_panels = CUSTOMER_PAGE.render

CUSTOMER_ACTIONS = PanelSlot("customer page actions")
register_customer_action = CUSTOMER_ACTIONS.register
customer_actions = CUSTOMER_ACTIONS.render
