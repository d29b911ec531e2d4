from django.contrib import admin

from fuwu.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports are issued by `report_issue` and never changed."""

    list_display = ("kind", "period_start", "version", "scheduled", "issued_by", "issued_at")
    list_filter = ("kind",)
    exclude = ("pdf", "xlsx")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
