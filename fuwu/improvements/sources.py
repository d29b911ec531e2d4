"""Where an improvement action comes from (R17.1): a complaint, a major fault report, a KPI alert, an
inspection, an employee suggestion, or nothing (entered directly).

The action stores the source generically (`source_kind`, `source_id`). The app that owns a kind of
source registers, in its `AppConfig.ready`, how to name one and where its page is:

    register_source(ImprovementAction.SourceKind.COMPLAINT,
                    label_for=lambda pk: ..., url_for=lambda pk: ...)

so the improvement page shows "来源：投诉 FW-2026-000123" with a link while this app imports none of
the higher apps (docs/architecture.md, "Layers"). `label_for` returns None for an id that does not
exist; an action may only be opened from a source that exists, when its kind is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceType:
    kind: str
    label_for: Callable[[int], str | None]
    url_for: Callable[[int], str | None] | None = None


_registry: dict[str, SourceType] = {}


def register_source(kind: str, *, label_for: Callable[[int], str | None],
                    url_for: Callable[[int], str | None] | None = None) -> None:
    """Teach the improvement pages to name (`label_for(source_id)`) and link (`url_for(source_id)`) a
    kind of source; registering a kind again replaces it."""
    _registry[str(kind)] = SourceType(str(kind), label_for, url_for)


def source_type(kind: str) -> SourceType | None:
    return _registry.get(str(kind))


def source_label(kind: str, source_id: int | None) -> str | None:
    """The source's own name (e.g. the request number), or None when unknown or not registered."""
    registered = source_type(kind)
    if registered is None or source_id is None:
        return None
    return registered.label_for(source_id)


def source_url(kind: str, source_id: int | None) -> str | None:
    registered = source_type(kind)
    if registered is None or registered.url_for is None or source_id is None:
        return None
    return registered.url_for(source_id)


def register_suggestion_source() -> None:
    """This app's own kind of source: an accepted employee suggestion."""
    from django.urls import reverse

    from fuwu.improvements.models import ImprovementAction, Suggestion

    def label(pk: int) -> str | None:
        suggestion = Suggestion.objects.filter(pk=pk).only("pk", "submitted_at", "title").first()
        return f"{suggestion.number} {suggestion.title}" if suggestion else None

    register_source(ImprovementAction.SourceKind.SUGGESTION, label_for=label,
                    url_for=lambda pk: reverse("improvements:suggestion", args=[pk]))
