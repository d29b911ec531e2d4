"""Every change to the customer archive (R2). Keyword-only, actor first, one transaction, audited.

One module per concept; import actions from here.
"""

from fuwu.customers.actions._common import DuplicateSuspected, refresh_completeness
from fuwu.customers.actions.lookups import phone_lookup_record
from fuwu.customers.actions.records import (
    address_add,
    contact_add,
    contact_deactivate,
    contact_link_portal_user,
    customer_create,
    customer_reveal,
    customer_set_active,
    customer_update,
    product_add,
)
from fuwu.customers.actions.transfer import (
    CustomerRecord,
    ImportReport,
    customers_export,
    customers_import,
    customers_register_many,
    validate_records,
)

__all__ = [
    "CustomerRecord",
    "DuplicateSuspected",
    "ImportReport",
    "address_add",
    "contact_add",
    "contact_deactivate",
    "contact_link_portal_user",
    "customer_create",
    "customer_reveal",
    "customer_set_active",
    "customer_update",
    "customers_export",
    "customers_import",
    "customers_register_many",
    "phone_lookup_record",
    "product_add",
    "refresh_completeness",
    "validate_records",
]
