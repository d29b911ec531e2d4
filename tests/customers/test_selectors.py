"""Reads of the customer archive scoped to the viewer (R2, R2.2, R2.3; docs/architecture.md, rule 2)."""

import pytest

from fuwu.core.errors import NotFound, PermissionDenied
from fuwu.customers import actions
from fuwu.customers.selectors import (
    CustomerFilters,
    PiiPolicy,
    access_customer,
    customer_lookup_by_phone,
    customer_page,
    customer_search,
    customers_visible_to,
)
from fuwu.customers.validation import ContactInput
from tests.factories import RegionFactory, fresh, link_portal_user, make_customer, make_staff

pytestmark = pytest.mark.django_db


def _ids(qs):
    return [c.pk for c in qs]


@pytest.fixture
def archive(agent):
    east = RegionFactory(code="east", name="华东")
    return {
        "huaxin": make_customer(agent, name="华新电子有限公司", phone="13800138000", contact_name="张伟",
                                customer_class="key", industry="制造业", region_id=east.pk),
        "mingda": make_customer(agent, name="明达物流", phone="010-12345678", contact_name="李娜",
                                customer_class="vip", industry="物流"),
        "wang": make_customer(agent, kind="person", name="王小明", phone="13900139000", contact_name="王小明"),
        "east": east,
    }


def test_search_by_customer_name_part(agent, archive):
    assert _ids(customer_search(agent, CustomerFilters(q="华新"))) == [archive["huaxin"].pk]
    assert _ids(customer_search(agent, CustomerFilters(q="物流"))) == [archive["mingda"].pk]


def test_search_by_contact_name(agent, archive):
    assert _ids(customer_search(agent, CustomerFilters(q="李娜"))) == [archive["mingda"].pk]


@pytest.mark.parametrize("q", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000"])
def test_search_by_mobile_in_any_format(agent, archive, q):
    assert _ids(customer_search(agent, CustomerFilters(q=q))) == [archive["huaxin"].pk]


@pytest.mark.parametrize("q", ["010-12345678", "01012345678", "(010)12345678", "+86 10 1234 5678"])
def test_search_by_landline_in_any_format(agent, archive, q):
    assert _ids(customer_search(agent, CustomerFilters(q=q))) == [archive["mingda"].pk]


def test_search_by_kh_code(agent, archive):
    wang = archive["wang"]
    assert _ids(customer_search(agent, CustomerFilters(q=wang.code))) == [wang.pk]
    assert _ids(customer_search(agent, CustomerFilters(q=wang.code.lower()))) == [wang.pk]


def test_search_without_match_is_empty(agent, archive):
    assert _ids(customer_search(agent, CustomerFilters(q="不存在的公司"))) == []
    assert _ids(customer_search(agent, CustomerFilters(q="13700000000"))) == []


def test_filters_by_class_kind_region_industry_and_completeness(agent, archive):
    def ids(**kw):
        return set(_ids(customer_search(agent, CustomerFilters(**kw))))

    assert ids(customer_class="key") == {archive["huaxin"].pk}
    assert ids(kind="person") == {archive["wang"].pk}
    assert ids(region_id=archive["east"].pk) == {archive["huaxin"].pk}
    assert ids(industry="物流") == {archive["mingda"].pk}
    assert ids(incomplete=True) == {archive["huaxin"].pk, archive["mingda"].pk, archive["wang"].pk}
    assert ids(q="华新", customer_class="vip") == set()


def test_archived_customers_are_hidden_unless_asked_for(agent, archive):
    mingda = archive["mingda"]
    actions.customer_set_active(actor=agent, customer=mingda, expected_version=1, active=False, reason="停业")
    assert mingda.pk not in _ids(customer_search(agent, CustomerFilters()))
    assert mingda.pk in _ids(customer_search(agent, CustomerFilters(include_archived=True)))


def test_results_are_newest_first(agent, archive):
    assert _ids(customer_search(agent, CustomerFilters())) == [
        archive["wang"].pk, archive["mingda"].pk, archive["huaxin"].pk,
    ]


def test_keyset_pages_cover_everything_once(agent):
    created = [make_customer(agent, name=f"客户{n:02d}").pk for n in range(7)]
    seen, before = [], None
    pages = 0
    while True:
        rows, has_more = customer_page(agent, CustomerFilters(), before_id=before, size=3)
        seen += [c.pk for c in rows]
        pages += 1
        if not has_more:
            break
        before = rows[-1].pk
    assert pages == 3
    assert seen == sorted(created, reverse=True)


def test_page_rows_carry_their_active_contacts(agent):
    customer = make_customer(agent, name="甲", phone="13800138000", contact_name="旧联系人")
    old = customer.contacts.get()
    actions.contact_add(actor=agent, customer=customer, data=ContactInput(name="新联系人", phone="13900139000"))
    actions.contact_deactivate(actor=agent, contact=old, reason="离职")
    [row], _ = customer_page(agent, CustomerFilters())
    assert [c.name for c in row.active_contacts] == ["新联系人"]


def test_customer_page_runs_a_fixed_number_of_queries(agent, django_assert_max_num_queries):
    for n in range(50):
        make_customer(agent, name=f"客户{n}", region_id=RegionFactory(code=f"r{n % 5}").pk)
    viewer = fresh(agent)
    # The viewer's roles, the page, its contacts.
    with django_assert_max_num_queries(3):
        rows, has_more = customer_page(viewer, CustomerFilters())
        for row in rows:
            _ = (row.region.name if row.region else None, [c.phone for c in row.active_contacts])
    assert len(rows) == 50 and not has_more


def test_customer_role_sees_only_its_own_customer(agent):
    own = make_customer(agent, name="自己的公司", phone="13800138000")
    other = make_customer(agent, name="别人的公司", phone="13900139000")
    viewer = link_portal_user(own)
    assert _ids(customers_visible_to(viewer)) == [own.pk]
    assert _ids(customer_search(viewer, CustomerFilters())) == [own.pk]
    assert _ids(customer_search(viewer, CustomerFilters(q="别人"))) == []
    assert access_customer(viewer, own.pk) == own
    with pytest.raises(NotFound):
        access_customer(viewer, other.pk)
    assert customer_lookup_by_phone(viewer, "13900139000") == []
    assert [m.customer.pk for m in customer_lookup_by_phone(viewer, "13800138000")] == [own.pk]


def test_customer_role_login_sees_nothing_once_its_contact_is_retired(agent):
    own = make_customer(agent, name="自己的公司")
    viewer = link_portal_user(own)
    actions.contact_deactivate(actor=agent, contact=own.contacts.get(), reason="离职")
    assert _ids(customers_visible_to(fresh(viewer))) == []


def test_customer_role_without_a_linked_contact_sees_nothing(agent):
    make_customer(agent)
    assert _ids(customers_visible_to(make_staff("customer"))) == []


def test_access_for_write_is_refused_to_roles_that_cannot_edit(agent, finance):
    customer = make_customer(agent)
    with pytest.raises(PermissionDenied):
        access_customer(finance, customer.pk, for_write=True)
    assert access_customer(agent, customer.pk, for_write=True) == customer
    with pytest.raises(NotFound):
        access_customer(agent, 999999)


def test_lookup_finds_customers_by_phone_and_phone_alt(agent):
    a = make_customer(agent, name="甲", phone="13800138000")
    b = make_customer(agent, name="乙", phone="13700137000")
    contact = actions.contact_add(actor=agent, customer=b, data=ContactInput(name="乙二", phone="13600136000",
                                                                            phone_alt="138 0013 8000"))
    make_customer(agent, name="丙", phone="13500135000")
    matches = customer_lookup_by_phone(agent, "+86 13800138000")
    assert {(m.customer.pk, m.contact.pk) for m in matches} == {(a.pk, a.contacts.get().pk), (b.pk, contact.pk)}
    assert customer_lookup_by_phone(agent, "not a phone") == []


def test_lookup_ignores_retired_contacts(agent):
    a = make_customer(agent, name="甲", phone="13800138000")
    actions.contact_deactivate(actor=agent, contact=a.contacts.get(), reason="离职")
    assert customer_lookup_by_phone(agent, "13800138000") == []


@pytest.mark.parametrize("role", ["finance", "general_manager", "quality_supervisor"])
def test_pii_is_masked_for_roles_that_do_not_need_it(role):
    pii = PiiPolicy.for_user(make_staff(role))
    assert pii.phone("13800138000") == "138****8000"
    assert pii.phone("010-12345678") == "010-****5678"
    assert pii.identity("11010519491231002X") == "110*************2X"
    assert pii.can_reveal


@pytest.mark.parametrize("role", ["agent", "manager", "admin", "support", "technician"])
def test_phones_are_clear_for_roles_that_call_customers(role):
    pii = PiiPolicy.for_user(make_staff(role))
    assert pii.phone("13800138000") == "13800138000"


def test_identity_numbers_are_clear_only_for_managers_and_the_customer():
    assert PiiPolicy.for_user(make_staff("manager")).identity("11010519491231002X") == "11010519491231002X"
    assert PiiPolicy.for_user(make_staff("customer")).identity("11010519491231002X") == "11010519491231002X"
    assert PiiPolicy.for_user(make_staff("agent")).identity("11010519491231002X") == "110*************2X"
    assert not PiiPolicy.for_user(make_staff("customer")).can_reveal
