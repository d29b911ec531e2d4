"""Query helpers every list uses."""

from django.db.models import QuerySet


def capped_count(qs: QuerySet, *, cap: int) -> tuple[int, bool]:
    """A count that stops at `cap`, so a broad search never counts a million rows per page view.

    Returns the count (at most `cap`) and whether there are more.
    """
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap
