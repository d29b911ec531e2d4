"""Panels that apps above `customers` add to a customer's page.

`customers` may not import the apps built on it (docs/architecture.md, Layers), yet its page shows
their rows (R2.1: the service history). A higher app registers a panel in its `AppConfig.ready`;
the page renders whatever is registered, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CustomerPanel:
    template: str
    # What the template needs for this viewer and customer, or None when the viewer may not see it.
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    data: dict


_panels: list[CustomerPanel] = []


def register_customer_panel(panel: CustomerPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def customer_panels(viewer, customer) -> list[RenderedPanel]:
    rendered = []
    for panel in _panels:
        data = panel.context(viewer, customer)
        if data is not None:
            rendered.append(RenderedPanel(panel.template, data))
    return rendered
