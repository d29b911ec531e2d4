"""The materials ledger (物资台账, R13.2): items, who holds how many, and every movement.

Rows are written only by `fuwu.materials.actions`. A holding's quantity never goes below zero (a
database CHECK underneath the actions' own refusal); movements are append-only: a wrong count is
corrected by an adjustment, never by editing or deleting a movement.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Item(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=16)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2, default=0)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("material item")
        verbose_name_plural = _("material items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StockHolding(models.Model):
    """How many of one item one holder has: the central store (`holder` NULL) or a technician."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("item"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="material_holdings",
        verbose_name=_("holder"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    # The store's holding remembers whether its last movement left it at or below the reorder level,
    # so the low-stock notice goes out once per crossing, not on every movement below.
    low_notified = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("stock holding")
        verbose_name_plural = _("stock holdings")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="material_holding_quantity_non_negative"),
            models.UniqueConstraint(fields=["item", "holder"], condition=Q(holder__isnull=False),
                                    name="material_holding_one_per_holder"),
            models.UniqueConstraint(fields=["item"], condition=Q(holder__isnull=True),
                                    name="material_holding_one_store"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} × {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    REQUISITION = "requisition", _("Requisition")
    CONSUMPTION = "consumption", _("Consumption")
    RETURN = "return", _("Return")
    ADJUSTMENT = "adjustment", _("Adjustment")


class MovementQuerySet(models.QuerySet):
    """Append-only: a movement is never changed or removed (R4.9)."""

    def update(self, **kwargs):
        raise TypeError("Movements are append-only.")

    def delete(self):
        raise TypeError("Movements are append-only.")


class Movement(models.Model):
    """One change of stock. Quantity is positive; an adjustment's `delta` says which way it went."""

    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))
    delta = models.IntegerField(_("change"), default=0)  # signed, for adjustments: + found, - missing
    # The holder the stock left and the one it went to; "store" is the central store (NULL with the flag).
    from_holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("from"))
    from_store = models.BooleanField(default=False)
    to_holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("to"))
    to_store = models.BooleanField(default=False)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("recorded by"))
    at = models.DateTimeField(_("at"), db_index=True)
    # The field-service app sits above this one: it passes its work order's id and number, never a key.
    work_order_id = models.PositiveBigIntegerField(_("work order"), null=True, blank=True, db_index=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "-id"], name="material_movement_item_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} × {self.quantity}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Movements are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Movements are append-only.")
