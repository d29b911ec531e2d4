"""Customer archive actions (R2.1, R2.2, docs/architecture.md, rules 1 and 3): rows, audit events, permissions."""

import datetime

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.customers import actions
from fuwu.customers.actions import DuplicateSuspected
from fuwu.customers.models import Address, Contact, Customer, DeliveredProduct
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput, ProductInput
from tests.factories import RegionFactory, make_customer, make_staff

pytestmark = pytest.mark.django_db

RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def _events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.for_object(obj)
    return list(qs.order_by("id"))


def test_customer_create_writes_customer_contact_address_and_one_event(agent):
    region = RegionFactory(code="east", name="华东")
    customer = actions.customer_create(
        actor=agent,
        customer=CustomerInput(kind="organisation", name=" 上海某某科技有限公司 ", customer_class="key",
                               industry="制造业", region_id=region.pk, identity_number=CREDIT_CODE.lower()),
        contact=ContactInput(name="张伟", phone="+86 138-0013-8000", email="ZW@Example.com"),
        address=AddressInput(line="上海市浦东新区世纪大道100号", postal_code="200120"),
    )
    customer.refresh_from_db()
    assert customer.name == "上海某某科技有限公司"
    assert customer.identity_number == CREDIT_CODE
    assert customer.created_by == agent and customer.version == 1 and customer.is_active
    contact = Contact.objects.get(customer=customer)
    assert contact.phone == "13800138000" and contact.email == "zw@example.com" and contact.is_primary
    address = Address.objects.get(customer=customer)
    assert address.line.startswith("上海市")
    # Region, industry, identity, phone, e-mail, address present; product missing: 7 of 8.
    assert customer.completeness == round(100 * 7 / 8)
    [event] = _events("customer.created", customer)
    assert event.actor == agent
    assert event.payload["new"]["name"] == "上海某某科技有限公司"
    assert event.payload["new"]["region_id"] == region.pk
    assert event.payload["contact"] == {"id": contact.pk, "name": "张伟"}
    assert event.payload["address"] == {"id": address.pk, "line": address.line}


def test_invalid_input_lists_every_bad_field_at_once_and_writes_nothing(agent):
    with pytest.raises(InvalidInput) as excinfo:
        actions.customer_create(
            actor=agent,
            customer=CustomerInput(kind="person", name="  ", customer_class="gold",
                                   identity_number="110105194912310021"),
            contact=ContactInput(name="", phone="12345", phone_alt="999", email="not-an-email"),
            address=AddressInput(line="", postal_code="12AB"),
        )
    errors = excinfo.value.errors
    assert excinfo.value.code == "invalid"
    assert set(errors) == {
        "name", "customer_class", "identity_number",
        "contact_name", "contact_phone", "contact_phone_alt", "contact_email",
        "address_line", "address_postal_code",
    }
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0
    assert not _events("customer.created")


def test_identity_number_is_checked_against_the_kind(agent):
    with pytest.raises(InvalidInput) as excinfo:
        actions.customer_create(actor=agent,
                                customer=CustomerInput(kind="organisation", name="甲", identity_number=RESIDENT_ID))
    assert set(excinfo.value.errors) == {"identity_number"}
    person = actions.customer_create(actor=agent,
                                     customer=CustomerInput(kind="person", name="乙", identity_number=RESIDENT_ID))
    assert person.identity_number == RESIDENT_ID


def test_full_width_identity_number_is_stored_in_ascii(agent):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in RESIDENT_ID)
    person = actions.customer_create(actor=agent,
                                     customer=CustomerInput(kind="person", name="丙", identity_number=full_width))
    person.refresh_from_db()
    assert person.identity_number == RESIDENT_ID


def test_unknown_region_is_a_field_error_not_a_crash(agent):
    with pytest.raises(InvalidInput) as excinfo:
        actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="甲", region_id=987654))
    assert set(excinfo.value.errors) == {"region_id"}
    assert Customer.objects.count() == 0


def test_contact_needs_a_phone_or_an_email(agent):
    with pytest.raises(InvalidInput) as excinfo:
        actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="甲"),
                                contact=ContactInput(name="李四"))
    assert set(excinfo.value.errors) == {"contact_phone"}


def test_same_name_is_suspected_duplicate_until_confirmed(agent):
    first = make_customer(agent, name="北京某某公司", phone="13800138000")
    with pytest.raises(DuplicateSuspected) as excinfo:
        actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="北京某某公司"),
                                contact=ContactInput(name="王五", phone="13900139000"))
    assert excinfo.value.code == "duplicate_suspected"
    assert excinfo.value.data["matches"] == [{"id": first.pk, "code": first.code, "name": "北京某某公司"}]
    assert Customer.objects.count() == 1
    second = actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="北京某某公司"),
                                     contact=ContactInput(name="王五", phone="13900139000"), confirm_duplicate=True)
    assert Customer.objects.count() == 2 and second.pk != first.pk


def test_same_phone_in_another_format_is_suspected_duplicate(agent):
    first = make_customer(agent, name="甲公司", phone="010-12345678")
    other = make_customer(agent, name="乙公司", phone="13800138000")
    actions.contact_add(actor=agent, customer=other, data=ContactInput(name="备用", phone="13700000000",
                                                                        phone_alt="0755-1234567"))
    with pytest.raises(DuplicateSuspected) as excinfo:
        actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="丙公司"),
                                contact=ContactInput(name="赵六", phone="(010) 1234 5678", phone_alt="075512345670"))
    assert [m["id"] for m in excinfo.value.data["matches"]] == [first.pk]
    with pytest.raises(DuplicateSuspected) as excinfo:
        actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="丁公司"),
                                contact=ContactInput(name="赵六", phone="0755-1234567"))
    assert [m["id"] for m in excinfo.value.data["matches"]] == [other.pk]


def test_archived_customers_do_not_count_as_duplicates(agent):
    old = make_customer(agent, name="旧公司", phone="13800138000")
    actions.customer_set_active(actor=agent, customer=old, expected_version=old.version, active=False, reason="停业")
    actions.customer_create(actor=agent, customer=CustomerInput(kind="organisation", name="旧公司"),
                            contact=ContactInput(name="x", phone="13800138000"))
    assert Customer.objects.filter(name="旧公司").count() == 2


def test_customer_update_records_old_and_new_and_bumps_version(agent):
    customer = make_customer(agent, name="甲公司", industry="零售")
    updated = actions.customer_update(
        actor=agent, customer=customer, expected_version=1,
        data=CustomerInput(kind="organisation", name="甲公司（新）", industry="零售", customer_class="vip"),
    )
    assert updated.version == 2
    customer.refresh_from_db()
    assert customer.name == "甲公司（新）" and customer.customer_class == "vip" and customer.version == 2
    [event] = _events("customer.updated", customer)
    assert event.payload == {
        "old": {"name": "甲公司", "customer_class": "ordinary"},
        "new": {"name": "甲公司（新）", "customer_class": "vip"},
    }


def test_update_without_changes_writes_no_event_and_keeps_version(agent):
    customer = make_customer(agent, name="甲公司")
    actions.customer_update(actor=agent, customer=customer, expected_version=1,
                            data=CustomerInput(kind="organisation", name="甲公司"))
    customer.refresh_from_db()
    assert customer.version == 1
    assert not _events("customer.updated")


def test_stale_version_raises_conflict_and_changes_nothing(agent, manager):
    customer = make_customer(agent, name="甲公司")
    actions.customer_update(actor=manager, customer=customer, expected_version=1,
                            data=CustomerInput(kind="organisation", name="甲公司一"))
    with pytest.raises(Conflict) as excinfo:
        actions.customer_update(actor=agent, customer=customer, expected_version=1,
                                data=CustomerInput(kind="organisation", name="甲公司二", industry="金融"))
    assert excinfo.value.code == "stale_version" and excinfo.value.status == 409
    assert excinfo.value.data == {"current_version": 2}
    customer.refresh_from_db()
    assert customer.name == "甲公司一" and customer.industry == "" and customer.version == 2
    assert len(_events("customer.updated", customer)) == 1


def test_update_validates_too(agent):
    customer = make_customer(agent, name="甲公司")
    with pytest.raises(InvalidInput) as excinfo:
        actions.customer_update(actor=agent, customer=customer, expected_version=1,
                                data=CustomerInput(kind="robot", name=""))
    assert set(excinfo.value.errors) == {"kind", "name"}


def test_contact_add_and_deactivate_update_completeness_and_write_events(agent):
    customer = make_customer(agent, name="甲公司", phone="13800138000")
    assert customer.completeness == round(100 * 2 / 8)
    contact = actions.contact_add(actor=agent, customer=customer,
                                  data=ContactInput(name="钱七", email="qian@example.com", title="经理"))
    customer.refresh_from_db()
    assert customer.completeness == round(100 * 3 / 8)
    assert customer.version == 2
    assert not contact.is_primary
    [added] = _events("customer.contact_added", customer)
    assert added.payload["contact_id"] == contact.pk and added.payload["new"]["email"] == "qian@example.com"

    actions.contact_deactivate(actor=agent, contact=contact, reason="离职")
    contact.refresh_from_db()
    customer.refresh_from_db()
    assert not contact.is_active and Contact.objects.filter(pk=contact.pk).exists()
    assert customer.completeness == round(100 * 2 / 8) and customer.version == 3
    [gone] = _events("customer.contact_deactivated", customer)
    assert gone.payload == {"contact_id": contact.pk, "name": "钱七", "reason": "离职"}


def test_contact_deactivate_needs_a_reason(agent):
    customer = make_customer(agent)
    contact = customer.contacts.get()
    with pytest.raises(InvalidInput):
        actions.contact_deactivate(actor=agent, contact=contact, reason="  ")
    contact.refresh_from_db()
    assert contact.is_active


def test_a_new_primary_contact_replaces_the_old_one(agent):
    customer = make_customer(agent)
    old = customer.contacts.get()
    new = actions.contact_add(actor=agent, customer=customer,
                              data=ContactInput(name="新联系人", phone="13900139000", is_primary=True))
    old.refresh_from_db()
    assert new.is_primary and not old.is_primary


def test_address_and_product_add_complete_the_record(agent):
    region = RegionFactory(code="north", name="华北")
    customer = make_customer(agent, name="甲公司", phone="13800138000", email="a@example.com",
                             industry="制造业", region_id=region.pk, identity_number=CREDIT_CODE)
    assert customer.completeness == round(100 * 6 / 8)
    actions.address_add(actor=agent, customer=customer, data=AddressInput(line="北京市海淀区中关村1号"))
    customer.refresh_from_db()
    assert customer.completeness == round(100 * 7 / 8)
    product = actions.product_add(
        actor=agent, customer=customer,
        data=ProductInput(name="空调机组", model="KX-200", delivered_on=datetime.date(2025, 1, 10),
                          warranty_ends_on=datetime.date(2027, 1, 10)),
    )
    customer.refresh_from_db()
    assert customer.completeness == 100 and customer.version == 3
    assert DeliveredProduct.objects.get(pk=product.pk).model == "KX-200"
    assert len(_events("customer.address_added", customer)) == 1
    [event] = _events("customer.product_added", customer)
    assert event.payload["product_id"] == product.pk and event.payload["new"]["warranty_ends_on"] == "2027-01-10"


def test_product_warranty_cannot_end_before_delivery(agent):
    customer = make_customer(agent)
    with pytest.raises(InvalidInput) as excinfo:
        actions.product_add(actor=agent, customer=customer,
                            data=ProductInput(name="x", delivered_on=datetime.date(2025, 5, 1),
                                              warranty_ends_on=datetime.date(2025, 4, 1)))
    assert set(excinfo.value.errors) == {"warranty_ends_on"}
    assert not DeliveredProduct.objects.exists()


def test_customer_set_active_archives_and_restores_never_deletes(agent):
    customer = make_customer(agent)
    actions.customer_set_active(actor=agent, customer=customer, expected_version=1, active=False, reason="合同终止")
    customer.refresh_from_db()
    assert not customer.is_active and customer.version == 2
    assert Contact.objects.filter(customer=customer).exists()
    actions.customer_set_active(actor=agent, customer=customer, expected_version=2, active=True, reason="续约")
    customer.refresh_from_db()
    assert customer.is_active and customer.version == 3
    assert _events("customer.archived", customer)[0].payload == {"reason": "合同终止"}
    assert _events("customer.restored", customer)[0].payload == {"reason": "续约"}
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_archive_needs_a_reason_and_a_current_version(agent):
    customer = make_customer(agent)
    with pytest.raises(InvalidInput):
        actions.customer_set_active(actor=agent, customer=customer, expected_version=1, active=False, reason="")
    with pytest.raises(Conflict):
        actions.customer_set_active(actor=agent, customer=customer, expected_version=7, active=False, reason="x")
    customer.refresh_from_db()
    assert customer.is_active


def test_customer_reveal_returns_the_value_and_records_who_saw_what(agent, finance):
    customer = make_customer(agent, kind="person", name="孙八", phone="13800138000", identity_number=RESIDENT_ID)
    contact = customer.contacts.get()
    assert actions.customer_reveal(actor=finance, customer=customer, field="identity_number") == RESIDENT_ID
    assert actions.customer_reveal(actor=finance, customer=customer, field="phone", contact=contact) == "13800138000"
    events = _events("customer.pii_revealed", customer)
    assert [e.payload for e in events] == [
        {"field": "identity_number", "contact_id": None},
        {"field": "phone", "contact_id": contact.pk},
    ]
    assert all(e.actor == finance for e in events)


def test_reveal_refuses_other_fields_and_other_customers_contacts(agent, finance):
    customer = make_customer(agent)
    other = make_customer(agent)
    with pytest.raises(InvalidInput):
        actions.customer_reveal(actor=finance, customer=customer, field="notes")
    with pytest.raises(InvalidInput):
        actions.customer_reveal(actor=finance, customer=customer, field="phone", contact=other.contacts.get())
    assert not _events("customer.pii_revealed")


@pytest.mark.parametrize("role", ["technician", "quality_supervisor", "finance", "general_manager", "customer"])
def test_roles_that_do_not_register_customers_cannot_create(role):
    user = make_staff(role)
    with pytest.raises(PermissionDenied) as excinfo:
        actions.customer_create(actor=user, customer=CustomerInput(kind="organisation", name="甲"))
    assert excinfo.value.code == "forbidden.customer.create"
    assert Customer.objects.count() == 0


@pytest.mark.parametrize("role", ["technician", "quality_supervisor", "finance", "general_manager", "customer"])
def test_roles_that_do_not_edit_customers_are_refused_every_change(role, agent):
    user = make_staff(role)
    customer = make_customer(agent, name="甲公司")
    contact = customer.contacts.get()
    attempts = [
        lambda: actions.customer_update(actor=user, customer=customer, expected_version=1,
                                        data=CustomerInput(kind="organisation", name="乙")),
        lambda: actions.customer_set_active(actor=user, customer=customer, expected_version=1, active=False,
                                            reason="x"),
        lambda: actions.contact_add(actor=user, customer=customer, data=ContactInput(name="x", phone="13900139000")),
        lambda: actions.contact_deactivate(actor=user, contact=contact, reason="x"),
        lambda: actions.address_add(actor=user, customer=customer, data=AddressInput(line="x")),
        lambda: actions.product_add(actor=user, customer=customer, data=ProductInput(name="x")),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    customer.refresh_from_db()
    assert customer.name == "甲公司" and customer.version == 1 and customer.is_active


@pytest.mark.parametrize("role", ["agent", "support", "manager", "admin"])
def test_roles_that_keep_the_archive_can_create_and_edit(role):
    user = make_staff(role)
    customer = actions.customer_create(actor=user, customer=CustomerInput(kind="organisation", name="甲"))
    actions.customer_update(actor=user, customer=customer, expected_version=1,
                            data=CustomerInput(kind="organisation", name="乙"))
    customer.refresh_from_db()
    assert customer.name == "乙"


def test_customer_role_cannot_reveal(agent):
    customer = make_customer(agent)
    with pytest.raises(PermissionDenied):
        actions.customer_reveal(actor=make_staff("customer"), customer=customer, field="identity_number")


def test_demo_customers_came_over_several_years_and_before_their_products():
    import datetime

    from fuwu.customers.demo import demo_records

    records = demo_records(seed=7, count=300, today=datetime.date(2026, 12, 2))
    years = {r.since.year for r in records}
    assert len(years) >= 5 and max(years) <= 2026
    assert all(r.since.date() <= r.product.delivered_on for r in records if r.product)
