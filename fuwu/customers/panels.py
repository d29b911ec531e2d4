"""The customer page's panel slot: apps above `customers` show their rows there (R2.1: the
service history). See `fuwu/core/panels.py`."""

from fuwu.core.panels import Panel, PanelSlot

CUSTOMER_PAGE = PanelSlot("customer page")
CustomerPanel = Panel
register_customer_panel = CUSTOMER_PAGE.register
customer_panels = CUSTOMER_PAGE.render
