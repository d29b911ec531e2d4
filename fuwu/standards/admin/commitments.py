"""Admin of service standards (R10.1, R10.2): look, don't touch.

Standards change only through `fuwu.standards.actions.commitments` (the catalogue pages), so that
every version stays on record and every change is audited (R4.9).
"""

from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.standards.models import ServiceStandard


@admin.register(ServiceStandard)
class ServiceStandardAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "state", "touchpoint", "factor", "is_commitment", "effective_from",
                    "effective_until", "owner")
    list_filter = ("state", "touchpoint", "factor", "is_commitment")
    search_fields = ("code", "statement", "statement_en", "commitment_text")
    list_select_related = ("owner",)
    ordering = ("code", "-edition")
