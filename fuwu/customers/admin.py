from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "customer_class", "region", "completeness", "is_active")
    list_filter = ("customer_class", "kind", "region")
    search_fields = ("name",)
    exclude = ("identity_number",)
    show_full_result_count = False
