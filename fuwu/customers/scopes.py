"""Which customers a viewer without the whole archive works on (R2.2: need to know).

A technician sees the customers of the requests they work on, not the whole archive. The requests
live in an app above `customers` (docs/architecture.md, Layers), so that app registers a scope
here in its `AppConfig.ready`: a function from the viewer to a queryset of customer ids.
`customers_visible_to` lets such a viewer see the union of every registered scope, and a portal
login its own customer.
"""

from collections.abc import Callable

from django.db.models import QuerySet

WorkScope = Callable[[object], QuerySet]  # viewer -> .values("customer_id")-style queryset of ids

_scopes: list[WorkScope] = []


def register_work_scope(scope: WorkScope) -> None:
    if scope not in _scopes:
        _scopes.append(scope)


def work_scopes() -> tuple[WorkScope, ...]:
    return tuple(_scopes)
