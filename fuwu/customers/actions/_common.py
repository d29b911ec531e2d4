"""What the customer actions share: the row lock, the version counter, completeness."""


from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.errors import InvalidInput
from fuwu.core.locking import lock_row
from fuwu.customers.codes import CustomerError
from fuwu.customers.completeness import completeness_items, completeness_score
from fuwu.customers.models import Customer


class DuplicateSuspected(InvalidInput):
    code = CustomerError.DUPLICATE_SUSPECTED
    default_message = _(
        "A customer with the same name or phone number already exists. Check the matches, and confirm if "
        "this really is a different customer."
    )


CUSTOMER_FIELDS = ("kind", "name", "customer_class", "industry", "region_id", "identity_number", "notes")


def refresh_completeness(customer: Customer) -> None:
    score = completeness_score(completeness_items(customer))
    if score != customer.completeness:
        customer.completeness = score
        Customer.objects.filter(pk=customer.pk).update(completeness=score)


def _lock(customer: Customer, expected_version: int | None) -> Customer:
    return lock_row(Customer.objects.all(), customer.pk, expected_version=expected_version)


def _touch(customer: Customer) -> None:
    customer.version += 1
    customer.updated_at = timezone.now()
    Customer.objects.filter(pk=customer.pk).update(version=customer.version, updated_at=customer.updated_at)
