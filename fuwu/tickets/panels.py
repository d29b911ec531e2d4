"""The request page's panel slot: apps above `tickets` show their rows there (the work orders of
an on-site request). See `fuwu/core/panels.py`."""

from fuwu.core.panels import PanelSlot

TICKET_PAGE = PanelSlot("ticket page")
