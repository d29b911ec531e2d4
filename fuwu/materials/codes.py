"""The materials ledger (R13.2): audit action codes and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class MaterialsAction(AuditAction):
    ITEM_CREATED = "material.item_created", _("Material item registered")
    ITEM_UPDATED = "material.item_updated", _("Material item changed")
    RECEIVED = "material.received", _("Stock received into the store")
    REQUISITIONED = "material.requisitioned", _("Parts issued to a technician")
    CONSUMED = "material.consumed", _("Parts used on a work order")
    RETURNED = "material.returned", _("Parts returned to the store")
    ADJUSTED = "material.adjusted", _("Stock count corrected")


class MaterialsError(ErrorCode):
    DUPLICATE_CODE = "material.duplicate_code", "Another item has this code."
    INSUFFICIENT_STOCK = "material.insufficient_stock", "Not enough in stock for the movement."
    ITEM_INACTIVE = "material.item_inactive", "The item is retired: no stock moves for it."
    NOT_A_TECHNICIAN = "material.not_a_technician", "Parts are held only by technicians."
