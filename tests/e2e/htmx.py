"""Waiting for HTMX in browser tests: an element swapped in listens for its triggers only once
HTMX has settled it, so an event fired sooner is lost (a flaky test, not a bug of the page)."""

_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page) -> None:
    """Return once no HTMX request, swap or settle is under way on the page."""
    page.wait_for_function(f"() => !document.querySelector({_BUSY!r})")
    page.wait_for_timeout(50)  # htmx processes the new content just after removing the settle class
