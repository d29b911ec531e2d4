from django.contrib import admin

from fuwu.core.admin_base import ReadOnlyAdmin
from fuwu.materials.models import Item, Movement, StockHolding


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "specification", "unit", "unit_cost", "reorder_level", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(StockHolding)
class StockHoldingAdmin(ReadOnlyAdmin):
    list_display = ("item", "holder", "quantity")
    list_select_related = ("item", "holder")


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "item", "quantity", "from_holder", "to_holder", "at", "reference")
    list_filter = ("kind",)
    list_select_related = ("item", "from_holder", "to_holder")
    show_full_result_count = False
