"""`manage.py seed_demo`: one login per role, valid customers, idempotent, deterministic, audited."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from fuwu.core.models import AuditEvent
from fuwu.customers.demo import demo_records
from fuwu.customers.identifiers import is_valid_credit_code, is_valid_resident_id, normalise_phone
from fuwu.customers.models import Contact, Customer, CustomerKind
from fuwu.org.demo import DEMO_LOGINS, DEMO_PASSWORD
from fuwu.org.models import Department, Group, Region, Skill
from fuwu.org.policy import roles_of
from fuwu.org.roles import Role


def seed(**options) -> str:
    out = StringIO()
    options.setdefault("tickets", 0)
    call_command("seed_demo", customers=50, staff=12, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:
    return seed()


def test_one_login_per_role_that_logs_in_with_the_demo_password(seeded):
    assert {d.role for d in DEMO_LOGINS} == set(Role)
    User = get_user_model()
    for demo in DEMO_LOGINS:
        user = User.objects.get(username=demo.username)
        assert demo.role in roles_of(user)
        assert Client().login(username=demo.username, password=DEMO_PASSWORD), demo.username
        assert f"{demo.username}" in seeded
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_the_customer_login_belongs_to_a_contact(seeded):
    contact = Contact.objects.select_related("user").get(user__username="customer")
    assert contact.user.get_full_name() == contact.name
    assert roles_of(contact.user) == {Role.CUSTOMER}


def test_organisation_regions_skills_and_leaders(seeded):
    assert Region.objects.count() == 3
    assert Skill.objects.filter(name="空调维修").exists()
    assert Department.objects.get(code="service").head.username == "manager"
    assert all(group.leader_id for group in Group.objects.all())
    staff = get_user_model().objects.filter(profile__employee_no__isnull=False).count()
    assert 10 <= staff <= 14


def test_customers_have_valid_contacts_and_identity_numbers(seeded):
    assert Customer.objects.count() == 50
    for contact in Contact.objects.all():
        assert contact.phone and normalise_phone(contact.phone) == contact.phone
        if contact.phone_alt:
            assert normalise_phone(contact.phone_alt) == contact.phone_alt
    for customer in Customer.objects.exclude(identity_number=""):
        check = is_valid_resident_id if customer.kind == CustomerKind.PERSON else is_valid_credit_code
        assert check(customer.identity_number), customer.identity_number
    assert Customer.objects.filter(completeness__lt=100).exists()  # some records are left incomplete


def test_a_second_run_creates_nothing(seeded):
    counts = (Customer.objects.count(), get_user_model().objects.count(), AuditEvent.objects.count())
    output = seed()
    assert "demo data already present" in output
    assert (Customer.objects.count(), get_user_model().objects.count(), AuditEvent.objects.count()) == counts


def test_print_logins_only_prints(db):
    out = StringIO()
    call_command("seed_demo", print_logins=True, stdout=out)
    assert f"gm          {DEMO_PASSWORD}" in out.getvalue()
    assert not Customer.objects.exists()


def test_the_same_seed_gives_the_same_records():
    first = [(r.customer.name, r.contact.phone) for r in demo_records(seed=7, count=20)]
    assert first == [(r.customer.name, r.contact.phone) for r in demo_records(seed=7, count=20)]
    assert first != [(r.customer.name, r.contact.phone) for r in demo_records(seed=8, count=20)]


def test_seeded_customers_are_the_generated_records(db):
    seed(seed=11)
    regions = {r.code: r.pk for r in Region.objects.all()}
    expected = [r.customer.name for r in demo_records(seed=11, count=5, region_ids=regions)]
    assert list(Customer.objects.order_by("id").values_list("name", flat=True)[:5]) == expected


def test_the_audit_chain_verifies_afterwards(seeded):
    assert AuditEvent.objects.filter(action="customer.created", payload__source="demo").count() == 50
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_the_demo_year_has_work_orders_and_a_timeliness_to_show(db):
    """R5.4: the manager's page has a year of on-site repairs to measure, played through the actions."""
    from fuwu.fieldservice.models import Visit, WorkOrder
    from fuwu.fieldservice.timeliness import last_months, repair_timeliness

    out = seed(tickets=30, work_orders=12)
    assert "12 work orders" in out
    assert WorkOrder.objects.count() == 12 and Visit.objects.filter(outcome="completed").exists()
    manager = get_user_model().objects.get(username="manager")
    since, until = last_months(12)
    total, months = repair_timeliness(manager, since=since, until=until)
    assert total.completed >= 10 and total.rate is not None and months
    out = StringIO()
    call_command("verify_audit", stdout=out)
