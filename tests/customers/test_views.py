"""Customer archive pages: permission matrix, errors beside fields with input kept, masking (R2, R1.2)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from fuwu.core.models import AuditEvent
from fuwu.customers import actions
from fuwu.customers.models import Customer
from fuwu.customers.validation import CustomerInput
from fuwu.org.roles import Role
from tests.factories import RegionFactory, link_portal_user, make_customer, make_staff

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
ARCHIVE_KEEPERS = {"admin", "manager", "agent", "support"}
# policy.py: staff read the whole archive except technicians, who see the customers of their work
# (R2.2, need to know); only the archive keepers create and edit.
NOT_THE_ARCHIVE = {"customer", "technician"}
EXPECTED = {
    role: {
        "list": 403 if role in NOT_THE_ARCHIVE else 200,
        "detail": 404 if role in NOT_THE_ARCHIVE else 200,  # not a customer of their work / their own record
        "create": 200 if role in ARCHIVE_KEEPERS else 403,
        "edit": 200 if role in ARCHIVE_KEEPERS else 403,
        "lookup": 403 if role in NOT_THE_ARCHIVE else 200,
    }
    for role in ROLES
}


@pytest.fixture
def customer(agent):
    return make_customer(agent, name="华新电子有限公司", phone="13800138000", contact_name="张伟")


def _urls(customer):
    return {
        "list": reverse("customers:list"),
        "detail": reverse("customers:detail", args=[customer.pk]),
        "create": reverse("customers:create"),
        "edit": reverse("customers:edit", args=[customer.pk]),
        "lookup": reverse("customers:lookup") + "?phone=13700000000",
    }


def _login_as(client, role, agent):
    if role == "customer":
        user = link_portal_user(make_customer(agent, name="另一家客户", phone="13600136000"))
    else:
        user = make_staff(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_customer_pages(client, agent, customer, role):
    _login_as(client, role, agent)
    got = {page: client.get(url).status_code for page, url in _urls(customer).items()}
    assert got == EXPECTED[role]


def test_anonymous_is_sent_to_the_login_page_from_every_customer_page(client, customer):
    for url in _urls(customer).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_refusals_use_the_friendly_pages(client, agent, customer):
    client.force_login(make_staff("finance"))
    forbidden = client.get(reverse("customers:create"))
    assert forbidden.status_code == 403
    assert "403.html" in [t.name for t in forbidden.templates]
    missing = client.get(reverse("customers:detail", args=[customer.pk + 1000]))
    assert missing.status_code == 404
    assert "404.html" in [t.name for t in missing.templates]


def test_customer_login_sees_its_own_record_without_edit_controls(client, agent, customer):
    user = link_portal_user(customer)
    client.force_login(user)
    response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 200
    assert "13800138000" in response.content.decode()
    assert reverse("customers:edit", args=[customer.pk]) not in response.content.decode()


def test_post_endpoints_refuse_roles_that_cannot_edit(client, agent, customer):
    client.force_login(make_staff("technician"))
    contact = customer.contacts.get()
    posts = {
        reverse("customers:create"): {"kind": "organisation", "name": "甲"},
        reverse("customers:edit", args=[customer.pk]): {"kind": "organisation", "name": "甲", "version": 1},
        reverse("customers:archive", args=[customer.pk]): {"reason": "x", "version": 1},
        reverse("customers:contact_add", args=[customer.pk]): {"contact-name": "x", "contact-phone": "13900139000"},
        reverse("customers:contact_deactivate", args=[customer.pk, contact.pk]): {"reason": "x"},
        reverse("customers:address_add", args=[customer.pk]): {"address-line": "x"},
        reverse("customers:product_add", args=[customer.pk]): {"product-name": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    customer.refresh_from_db()
    assert customer.version == 1 and customer.is_active and Customer.objects.count() == 1


def test_create_registers_and_redirects_to_the_record(client, agent):
    client.force_login(agent)
    response = client.post(reverse("customers:create"), {
        "kind": "organisation", "name": "明达物流", "customer_class": "vip",
        "contact-name": "李娜", "contact-phone": "010 1234 5678", "address-line": "北京市朝阳区1号",
    })
    customer = Customer.objects.get(name="明达物流")
    assert response.status_code == 302 and response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert customer.contacts.get().phone == "010-12345678"
    assert customer.addresses.get().line == "北京市朝阳区1号"
    assert AuditEvent.objects.for_object(customer).filter(action="customer.created").exists()


def test_create_with_bad_input_shows_every_error_beside_its_field_and_keeps_the_input(client, agent):
    client.force_login(agent)
    typed = {
        "kind": "person", "name": "", "customer_class": "key", "industry": "制造业",
        "identity_number": "110105194912310021", "notes": "老客户介绍",
        "contact-name": "张伟", "contact-title": "采购经理", "contact-phone": "12345",
        "contact-email": "zw@example.com", "address-line": "上海市浦东新区世纪大道100号", "address-postal_code": "2001",
    }
    response = client.post(reverse("customers:create"), typed)
    assert response.status_code == 200
    assert Customer.objects.count() == 0
    html = response.content.decode()
    form, contact_form, address_form = (response.context[k] for k in ("form", "contact_form", "address_form"))
    assert set(form.errors) == {"name", "identity_number"}
    assert set(contact_form.errors) == {"phone"}
    assert set(address_form.errors) == {"postal_code"}
    for bound in (form, contact_form, address_form):
        for errors in bound.errors.values():
            for message in errors:
                assert f'<div class="invalid-feedback d-block">{escape(message)}</div>' in html
    for value in ("制造业", "110105194912310021", "张伟", "采购经理", "12345", "zw@example.com",
                  "上海市浦东新区世纪大道100号", "2001"):
        assert f'value="{value}"' in html, value
    assert "老客户介绍" in html
    assert '<option value="person" selected>' in html and '<option value="key" selected>' in html


def test_create_without_an_address_does_not_flag_the_optional_address(client, agent):
    client.force_login(agent)
    response = client.post(reverse("customers:create"), {
        "kind": "organisation", "name": "", "customer_class": "ordinary", "contact-name": "李娜",
        "contact-phone": "13800138000",
    })
    assert response.status_code == 200
    assert response.context["address_form"].errors == {}
    assert set(response.context["form"].errors) == {"name"}


def test_create_with_a_duplicate_warns_and_registers_once_confirmed(client, agent, customer):
    client.force_login(agent)
    data = {"kind": "organisation", "name": "华新电子有限公司", "customer_class": "ordinary",
            "contact-name": "王五", "contact-phone": "13900139000"}
    response = client.post(reverse("customers:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="duplicates"' in html and customer.code in html and 'name="confirm_duplicate"' in html
    assert 'value="王五"' in html
    assert Customer.objects.count() == 1
    response = client.post(reverse("customers:create"), {**data, "confirm_duplicate": "1"})
    assert response.status_code == 302 and Customer.objects.count() == 2


def test_create_form_offers_the_looked_up_phone(client, agent):
    client.force_login(agent)
    response = client.get(reverse("customers:create") + "?phone=13700137000")
    assert 'value="13700137000"' in response.content.decode()


def test_edit_saves_and_bumps_the_version(client, agent, customer):
    client.force_login(agent)
    response = client.post(reverse("customers:edit", args=[customer.pk]), {
        "kind": "organisation", "name": "华新电子集团", "customer_class": "key", "version": 1,
    })
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "华新电子集团" and customer.version == 2


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_input(client, agent, manager, customer):
    actions.customer_update(actor=manager, customer=customer, expected_version=1,
                            data=CustomerInput(kind="organisation", name="华新电子（经理改）", industry="电子"))
    client.force_login(agent)
    typed = {"kind": "organisation", "name": "华新电子（坐席改）", "customer_class": "vip", "industry": "半导体",
             "notes": "坐席的备注", "version": 1}
    response = client.post(reverse("customers:edit", args=[customer.pk]), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="conflict"' in html
    assert escape(str(response.context["conflict"]["message"])) in html
    assert "华新电子（经理改）" in html  # what is on record now
    assert 'value="华新电子（坐席改）"' in html and 'value="半导体"' in html and "坐席的备注" in html
    assert '<option value="vip" selected>' in html
    assert '<input type="hidden" name="version" value="2"' in html
    customer.refresh_from_db()
    assert customer.name == "华新电子（经理改）" and customer.version == 2
    # Saving again, knowingly, applies the input over the current version.
    response = client.post(reverse("customers:edit", args=[customer.pk]), {**typed, "version": 2})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "华新电子（坐席改）" and customer.version == 3


def test_edit_with_bad_input_shows_the_error_and_keeps_the_input(client, agent, customer):
    client.force_login(agent)
    response = client.post(reverse("customers:edit", args=[customer.pk]), {
        "kind": "organisation", "name": "华新电子", "customer_class": "ordinary",
        "identity_number": "91350100M000100Y44", "version": 1,
    })
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"identity_number"}
    assert 'value="91350100M000100Y44"' in response.content.decode()


def test_add_contact_with_bad_phone_reopens_the_form_with_the_input(client, agent, customer):
    client.force_login(agent)
    response = client.post(reverse("customers:contact_add", args=[customer.pk]), {
        "contact-name": "钱七", "contact-phone": "555", "contact-email": "qian@example.com",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert set(response.context["contact_form"].errors) == {"phone"}
    assert 'value="钱七"' in html and 'value="555"' in html and 'value="qian@example.com"' in html
    assert 'id="contact-form" class="collapse show' in html
    assert customer.contacts.count() == 1


def test_add_contact_address_product_and_archive_through_the_pages(client, agent, customer):
    client.force_login(agent)
    detail = reverse("customers:detail", args=[customer.pk])
    assert client.post(reverse("customers:contact_add", args=[customer.pk]),
                       {"contact-name": "钱七", "contact-phone": "13900139000"})["Location"] == detail
    assert client.post(reverse("customers:address_add", args=[customer.pk]),
                       {"address-line": "上海市1号"})["Location"] == detail
    assert client.post(reverse("customers:product_add", args=[customer.pk]),
                       {"product-name": "空调", "product-warranty_ends_on": "2030-01-01"})["Location"] == detail
    customer.refresh_from_db()
    assert customer.contacts.count() == 2 and customer.addresses.count() == 1 and customer.products.count() == 1
    response = client.post(reverse("customers:archive", args=[customer.pk]),
                           {"reason": "合同终止", "version": customer.version})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert not customer.is_active


def test_list_masks_phones_for_finance(client, agent, customer):
    make_customer(agent, name="明达物流", phone="010-12345678")
    client.force_login(make_staff("finance"))
    html = client.get(reverse("customers:list")).content.decode()
    assert "138****8000" in html and "010-****5678" in html
    assert "13800138000" not in html and "12345678" not in html


def test_list_shows_phones_in_clear_for_agents(client, agent, customer):
    client.force_login(agent)
    html = client.get(reverse("customers:list")).content.decode()
    assert "13800138000" in html and "138****8000" not in html


def test_detail_masks_for_finance_and_offers_reveal(client, agent):
    customer = make_customer(agent, kind="person", name="孙八", phone="13800138000",
                             identity_number="11010519491231002X")
    client.force_login(make_staff("finance"))
    html = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "138****8000" in html and "110*************2X" in html
    assert "13800138000" not in html and "11010519491231002X" not in html
    assert reverse("customers:reveal", args=[customer.pk]) in html


def test_reveal_returns_the_clear_value_and_writes_the_audit_event(client, agent):
    customer = make_customer(agent, kind="person", name="孙八", phone="13800138000",
                             identity_number="11010519491231002X")
    contact = customer.contacts.get()
    finance = make_staff("finance")
    client.force_login(finance)
    url = reverse("customers:reveal", args=[customer.pk])
    response = client.post(url, {"field": "phone", "contact": contact.pk})
    assert response.status_code == 200
    assert response.content.decode() == '<span class="revealed">13800138000</span>'
    response = client.post(url, {"field": "identity_number"})
    assert "11010519491231002X" in response.content.decode()
    events = AuditEvent.objects.for_object(customer).filter(action="customer.pii_revealed").order_by("id")
    assert [(e.actor_id, e.payload["field"]) for e in events] == [
        (finance.pk, "phone"), (finance.pk, "identity_number"),
    ]
    assert client.get(url).status_code == 405


def test_reveal_of_an_unknown_field_is_a_bad_request_not_a_crash(client, agent, customer):
    client.force_login(make_staff("finance"))
    url = reverse("customers:reveal", args=[customer.pk])
    assert client.post(url, {"field": "notes"}).status_code == 400
    assert client.post(url, {"field": "phone"}).status_code == 400
    assert not AuditEvent.objects.filter(action="customer.pii_revealed").exists()


def test_reveal_is_refused_to_a_customer_login_for_another_customer(client, agent, customer):
    other = make_customer(agent, name="别家", phone="13600136000")
    client.force_login(link_portal_user(other))
    response = client.post(reverse("customers:reveal", args=[customer.pk]), {"field": "identity_number"})
    assert response.status_code == 404


def test_lookup_with_one_match_opens_the_record_and_none_offers_registration(client, agent, customer):
    client.force_login(agent)
    response = client.get(reverse("customers:lookup"), {"phone": "+86 138 0013 8000"})
    assert response.status_code == 302 and response["Location"] == reverse("customers:detail", args=[customer.pk])
    response = client.get(reverse("customers:lookup"), {"phone": "13700137000"})
    assert response.status_code == 200
    assert reverse("customers:create") + "?phone=13700137000" in response.content.decode()


def test_list_search_and_htmx_partial(client, agent, customer):
    make_customer(agent, name="明达物流", phone="010-12345678")
    client.force_login(agent)
    response = client.get(reverse("customers:list"), {"q": "明达"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "明达物流" in html and "华新电子有限公司" not in html
    assert "<html" not in html  # only the results fragment


def test_list_page_query_count_is_bounded(client, agent, django_assert_max_num_queries):
    regions = [RegionFactory(code=f"r{n}") for n in range(3)]
    for n in range(60):
        make_customer(agent, name=f"客户{n}", region_id=regions[n % 3].pk)
    client.force_login(agent)
    # session, user, roles, page, contacts, count, regions for the filter, unread notifications in the
    # navbar: 8, whatever the page size.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("customers:list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50 and response.context["has_next"]
    page = response.content.decode()
    assert 'rel="next"' in page and "page=2" in page and 'aria-current="page">1<' in page
    with django_assert_max_num_queries(8):
        response = client.get(reverse("customers:list"), {"page": 2})
    assert len(response.context["rows"]) == 10 and not response.context["has_next"]
    assert 'rel="prev"' in response.content.decode() and 'rel="next"' not in response.content.decode()


def test_a_technician_sees_the_customers_of_their_work_only(client, agent, customer):
    """R2.2: need to know. A request handed over to the technician's group opens its customer to them;
    taking it keeps it open; another customer stays closed."""
    from fuwu.org.models import Group
    from fuwu.tickets.actions import handover_accept, ticket_hand_over
    from tests.factories import make_ticket

    other = make_customer(agent, name="另一家公司", phone="13900139000")
    technician = make_staff("technician")
    client.force_login(technician)
    detail = reverse("customers:detail", args=[customer.pk])
    assert client.get(detail).status_code == 404
    ticket = make_ticket(agent, "consultation", customer_id=customer.pk, contact_phone="13800138000")
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=None,
                                to_group=Group.objects.get(code="repair"), note="请上门检修")
    page = client.get(detail)
    assert page.status_code == 200 and "13800138000" in page.content.decode()
    handover_accept(actor=technician, handover=handover)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("customers:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("customers:list")).status_code == 403
