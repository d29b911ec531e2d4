"""Test data in one place (factory-boy, Faker zh_CN). Business rows are made through actions."""

import itertools

import factory
from django.contrib.auth import get_user_model
from faker import Faker

from fuwu.customers import actions as customer_actions
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput
from fuwu.org import actions as org_actions
from fuwu.org.models import Group, Region
from fuwu.org.roles import Role

fake = Faker("zh_CN")
_seq = itertools.count(1)
PASSWORD = "Fuwu-test-2026!"

GROUP_FOR_ROLE = {
    Role.AGENT: "customer_service",
    Role.SUPPORT: "tech_support",
    Role.TECHNICIAN: "repair",
}


def make_staff(role: str | Role, *, username: str | None = None, **kwargs):
    """A login holding `role`, created through `staff_create`, returned as the User."""
    role = Role(role)
    n = next(_seq)
    group_code = GROUP_FOR_ROLE.get(role)
    profile = org_actions.staff_create(
        actor=None,
        username=username or f"{role.value}{n}",
        password=PASSWORD,
        full_name=kwargs.pop("full_name", fake.name()),
        roles=[role],
        employee_no=f"T{n:05d}" if role != Role.CUSTOMER else None,
        group=Group.objects.get(code=group_code) if group_code else None,
        **kwargs,
    )
    return get_user_model().objects.get(pk=profile.user_id)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"区域{n}")


def make_customer(actor, *, name: str | None = None, phone: str | None = None, **fields):
    """A customer with one contact, registered through `customer_create`."""
    contact_fields = {
        "name": fields.pop("contact_name", fake.name()),
        "phone": phone if phone is not None else fake.phone_number(),
        "email": fields.pop("email", ""),
    }
    address = fields.pop("address", None)
    return customer_actions.customer_create(
        actor=actor,
        customer=CustomerInput(kind=fields.pop("kind", "organisation"), name=name or fake.company(), **fields),
        contact=ContactInput(**contact_fields),
        address=AddressInput(line=address) if address else None,
        confirm_duplicate=True,
    )


def link_portal_user(customer, user=None):
    """Give the customer's primary contact a portal login with the customer role (R1.2).

    Made by the system through `contact_link_portal_user`; returns the User.
    """
    user = user or make_staff(Role.CUSTOMER)
    contact = customer.contacts.filter(is_active=True).order_by("-is_primary", "id").first()
    customer_actions.contact_link_portal_user(actor=None, contact=contact, user=user)
    return get_user_model().objects.get(pk=user.pk)


def fresh(user):
    """The same login loaded again, without the roles cached on the object (for query counts)."""
    return get_user_model().objects.get(pk=user.pk)


def make_ticket(actor, service_type="consultation", **fields):
    """A service request registered by `actor` through `ticket_register` (R3.3).

    `service_type` is a catalogue code; other keyword arguments are `TicketInput` fields, plus
    `settle_with_resolution`, `retroactive` and `major` for the action itself.
    """
    from fuwu.standards.models import ServiceType
    from fuwu.tickets.actions import ticket_register
    from fuwu.tickets.validation import TicketInput

    options = {k: fields.pop(k) for k in ("settle_with_resolution", "retroactive", "major") if k in fields}
    fields.setdefault("title", fake.sentence(nb_words=6)[:60])
    fields.setdefault("contact_name", fake.name())
    data = TicketInput(service_type_id=ServiceType.objects.get(code=service_type).pk, **fields)
    return ticket_register(actor=actor, data=data, **options)


def make_item(actor, *, code: str | None = None, name: str = "电源模块", stock: int = 0, **fields):
    """A materials item registered through `item_create`, with `stock` received into the store (R13.2)."""
    import decimal

    from fuwu.materials.actions import item_create, stock_receive
    from fuwu.materials.validation import ItemInput

    fields.setdefault("unit", "个")
    fields.setdefault("unit_cost", decimal.Decimal("120.00"))
    item = item_create(actor=actor, data=ItemInput(code=code or f"M{next(_seq):05d}", name=name, **fields))
    if stock:
        stock_receive(actor=actor, item=item, quantity=stock)
    return item
