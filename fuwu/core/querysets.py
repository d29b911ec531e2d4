"""Query helpers every list uses."""

from django.db import models
from django.db.models import QuerySet

from fuwu.core.errors import NotFound
from fuwu.core.validation import MAX_ID


def capped_count(qs: QuerySet, *, cap: int) -> tuple[int, bool]:
    """A count that stops at `cap`, so a broad search never counts a million rows per page view.

    Returns the count (at most `cap`) and whether there are more.
    """
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def get_visible[M: models.Model](qs: QuerySet[M], pk) -> M:
    """The row with this id among those the viewer may see, or `NotFound` (a bad or huge id is not found too)."""
    try:
        if not 0 < int(pk) <= MAX_ID:
            raise NotFound()
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
