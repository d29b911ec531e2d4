"""The customer archive (客户档案, R2.1): customers, their contacts, addresses and delivered products.

Rows are written only by `fuwu.customers.actions`. Nothing is deleted: a customer or contact
that is no longer current is deactivated, and its history stays.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.org.models import Region


class CustomerKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class CustomerClass(models.TextChoices):
    KEY = "key", _("Key account")
    VIP = "vip", _("VIP")
    ORDINARY = "ordinary", _("Ordinary")


class Customer(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=CustomerKind.choices)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    customer_class = models.CharField(
        _("class"), max_length=16, choices=CustomerClass.choices, default=CustomerClass.ORDINARY
    )
    industry = models.CharField(_("industry"), max_length=64, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="customers", verbose_name=_("region")
    )
    # Resident ID for a person, unified social credit code for an organisation (masked, R2.2).
    identity_number = models.CharField(_("identity number"), max_length=18, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Kept current by the actions so "incomplete records" can be listed and filtered (R2.1).
    completeness = models.PositiveSmallIntegerField(_("completeness"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["customer_class", "id"], name="customer_class_idx"),
            models.Index(fields=["region", "id"], name="customer_region_idx"),
            models.Index(fields=["completeness", "id"], name="customer_completeness_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return f"KH{self.pk:07d}" if self.pk else ""


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("position"), max_length=64, blank=True)
    # Canonical forms (13800138000, 010-12345678): the incoming caller's number is looked up here.
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    phone_alt = models.CharField(_("other phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # A portal login belongs to one contact of the customer.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customer_contact",
        verbose_name=_("portal login"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("customer")
    )
    label = models.CharField(_("label"), max_length=32, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    line = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.line


class WarrantyStatus(models.TextChoices):
    IN_WARRANTY = "in_warranty", _("In warranty")
    EXPIRING = "expiring", _("Warranty ends within 30 days")
    EXPIRED = "expired", _("Out of warranty")
    UNKNOWN = "unknown", _("Warranty unknown")


class DeliveredProduct(models.Model):
    """A product or project delivered to the customer, with its warranty (R2.1, R5.5)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="products", verbose_name=_("customer")
    )
    name = models.CharField(_("product or project"), max_length=120)
    model = models.CharField(_("model"), max_length=64, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=64, blank=True, db_index=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True, db_index=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delivered product")
        verbose_name_plural = _("delivered products")
        ordering = ["-delivered_on", "id"]

    def __str__(self) -> str:
        return self.name

    def warranty_status(self, today: datetime.date) -> WarrantyStatus:
        if self.warranty_ends_on is None:
            return WarrantyStatus.UNKNOWN
        if self.warranty_ends_on < today:
            return WarrantyStatus.EXPIRED
        if (self.warranty_ends_on - today).days <= 30:
            return WarrantyStatus.EXPIRING
        return WarrantyStatus.IN_WARRANTY


class PhoneLookup(models.Model):
    """One lookup of customers by phone number: who, when, which number (masked). Rate limits count these (R2.2)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    phone_masked = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("phone lookup")
        verbose_name_plural = _("phone lookups")
        indexes = [models.Index(fields=["user", "occurred_at"], name="phone_lookup_recent_idx")]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.occurred_at:%Y-%m-%d %H:%M}"
