"""Panels that higher apps add to a lower app's page (docs/architecture.md, Layers).

A lower app may not import the apps built on it, yet its pages show their rows: the customer page
shows the service history, the request page shows its work orders. The lower app declares a
`PanelSlot`; a higher app registers a `Panel` in its `AppConfig.ready`; the page renders whatever
is registered, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    # What the template needs for this viewer and object, or None when the viewer may not see it.
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    data: dict


class PanelSlot:
    """One place on one page where registered panels appear."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._panels: list[Panel] = []

    def register(self, panel: Panel) -> None:
        if panel not in self._panels:
            self._panels.append(panel)

    def render(self, viewer, obj) -> list[RenderedPanel]:
        rendered = []
        for panel in self._panels:
            data = panel.context(viewer, obj)
            if data is not None:
                rendered.append(RenderedPanel(panel.template, data))
        return rendered
