"""The work order as a PDF in Chinese (R5.1): times, the work done, parts, charge and the customer's
signature, rendered by WeasyPrint from a template (fonts: Noto Sans CJK, installed by `make test`)."""

import base64

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from fuwu.fieldservice.models import WorkOrder


def _signature_data_url(work_order: WorkOrder) -> str:
    if not work_order.signature:
        return ""
    with work_order.signature.open("rb") as image:
        return "data:image/png;base64," + base64.b64encode(image.read()).decode()


def work_order_pdf(work_order: WorkOrder, *, parts: list | None = None, language: str = "zh-hans") -> bytes:
    """The printable work order; `parts` are the materials used (rows with name, quantity, unit)."""
    with translation.override(language):
        html = render_to_string("fieldservice/work_order_pdf.html", {
            "wo": work_order,
            "visits": list(work_order.visits.select_related("technician").order_by("seq")),
            "parts": parts or [],
            "signature": _signature_data_url(work_order),
            "printed_at": timezone.localtime(),
        })
    return HTML(string=html).write_pdf()
