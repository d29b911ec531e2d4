"""Materials pages (R13.2): lists, detail, forms that keep input and show translated errors, conflicts."""

import pytest
from django.urls import reverse

from fuwu.materials import actions
from fuwu.materials.models import Item, StockHolding
from fuwu.materials.validation import ItemInput
from fuwu.org.roles import Role
from tests.factories import make_item, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(db):
    return make_staff(Role.TECHNICIAN, full_name="赵师傅")


@pytest.fixture
def item(manager, tech):
    item = make_item(manager, code="SR-01", name="密封圈", specification="O 型 φ20", reorder_level=50, stock=60)
    actions.stock_requisition(actor=manager, item=item, quantity=15, technician=tech)
    return item


def test_list_shows_stock_value_low_stock_and_searches(client, manager, item):
    make_item(manager, code="MB-01", name="主板", stock=2)
    client.force_login(manager)
    page = client.get(reverse("materials:list")).content.decode()
    assert "物资台账" in page and "库存低" in page and "SR-01" in page and "MB-01" in page
    value = page.split('id="stock-value"')[1].split("</p>")[0]
    assert "7440.00" in value.replace(",", ""), value  # (60 + 2) × ¥120, the factory's unit cost
    low = client.get(reverse("materials:list"), {"low": "1"}).content.decode()
    assert "SR-01" in low and "MB-01" not in low
    found = client.get(reverse("materials:list"), {"q": "主板"}).content.decode()
    assert "MB-01" in found and "SR-01" not in found


def test_navigation_offers_materials_to_viewers_only(client, item, tech):
    client.force_login(tech)
    assert reverse("materials:list") in client.get(reverse("home")).content.decode()
    client.force_login(make_staff(Role.AGENT))
    assert reverse("materials:list") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("materials:list")).status_code == 403


def test_detail_shows_holdings_and_movements(client, manager, tech, item):
    client.force_login(manager)
    page = client.get(reverse("materials:detail", args=[item.pk])).content.decode()
    assert "赵师傅" in page and "中心库" in page and "领用" in page and "入库" in page


def test_a_technician_sees_their_parts_not_others(client, manager, tech, item):
    other = make_staff(Role.TECHNICIAN, full_name="钱师傅")
    actions.stock_requisition(actor=manager, item=item, quantity=3, technician=other)
    client.force_login(tech)
    detail = client.get(reverse("materials:detail", args=[item.pk])).content.decode()
    assert "赵师傅" in detail and "钱师傅" not in detail
    mine = client.get(reverse("materials:mine")).content.decode()
    assert "密封圈" in mine and "15" in mine
    assert client.get(reverse("materials:receive", args=[item.pk])).status_code == 403


def test_create_item_errors_are_shown_beside_the_field_and_input_kept(client, manager, item):
    client.force_login(manager)
    response = client.post(reverse("materials:create"), {
        "code": "sr-01", "name": "另一个密封圈", "unit": "个", "unit_cost": "1.00", "reorder_level": "0",
        "is_active": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已有物料使用此编码" in page and 'value="另一个密封圈"' in page
    response = client.post(reverse("materials:create"), {
        "code": "PS-01", "name": "电源模块", "specification": "24V 5A", "unit": "个", "unit_cost": "88",
        "reorder_level": "5", "is_active": "on"})
    assert response.status_code == 302
    assert Item.objects.get(code="PS-01").reorder_level == 5


def test_a_stale_edit_gets_the_conflict_and_keeps_the_input(client, manager, item):
    client.force_login(manager)
    actions.item_update(actor=manager, item=item, expected_version=1, data=ItemInput(
        code="SR-01", name="密封圈（新）", unit="个", unit_cost=item.unit_cost, reorder_level=50))
    response = client.post(reverse("materials:edit", args=[item.pk]), {
        "code": "SR-01", "name": "我的改名", "unit": "个", "unit_cost": "2.00", "reorder_level": "50",
        "is_active": "on", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in page
    assert "密封圈（新）" in page and 'value="我的改名"' in page
    assert Item.objects.get(pk=item.pk).name == "密封圈（新）"


def test_requisition_beyond_the_store_shows_the_available_quantity(client, manager, tech, item):
    client.force_login(manager)
    response = client.post(reverse("materials:requisition", args=[item.pk]),
                           {"technician": tech.pk, "quantity": "46", "note": "大修"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "密封圈" in page and "45" in page and 'value="大修"' in page
    response = client.post(reverse("materials:requisition", args=[item.pk]), {"technician": tech.pk, "quantity": "5"})
    assert response.status_code == 302
    assert StockHolding.objects.get(item=item, holder=tech).quantity == 20


def test_receipt_return_and_adjustment_forms(client, manager, tech, item):
    client.force_login(manager)
    assert client.post(reverse("materials:receive", args=[item.pk]), {"quantity": "10", "reference": "RK-1"}
                       ).status_code == 302
    assert client.post(reverse("materials:return", args=[item.pk]), {"technician": tech.pk, "quantity": "5"}
                       ).status_code == 302
    bad = client.post(reverse("materials:adjust", args=[item.pk]), {"counted": "60", "reason": ""})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert client.post(reverse("materials:adjust", args=[item.pk]), {"counted": "58", "reason": "盘点"}
                       ).status_code == 302
    assert StockHolding.objects.get(item=item, holder=None).quantity == 58
    client.force_login(tech)
    page = client.get(reverse("materials:return", args=[item.pk])).content.decode()
    assert 'name="technician"' not in page
    assert client.post(reverse("materials:return", args=[item.pk]), {"quantity": "2"}).status_code == 302
    assert StockHolding.objects.get(item=item, holder=tech).quantity == 8


def test_pages_render_in_english_too(client, manager, item):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("materials:list")).content.decode()
    assert "Materials ledger" in page and "Low stock" in page


NASTY = ["", " ", "²", "-1", "0", "9" * 30, str(2**63), "1e309", "NaN", "<script>x</script>", "x" * 5000, "陈" * 300]


def test_no_form_input_makes_a_server_error(client, manager, tech, item):
    client.force_login(manager)
    forms = {
        reverse("materials:create"): ("code", "name", "specification", "unit", "unit_cost", "reorder_level"),
        reverse("materials:edit", args=[item.pk]): ("code", "name", "unit", "unit_cost", "reorder_level", "version"),
        reverse("materials:receive", args=[item.pk]): ("quantity", "unit_cost", "reference", "note"),
        reverse("materials:requisition", args=[item.pk]): ("technician", "quantity", "note"),
        reverse("materials:return", args=[item.pk]): ("technician", "quantity", "note"),
        reverse("materials:adjust", args=[item.pk]): ("technician", "counted", "reason"),
    }
    for url, fields in forms.items():
        for value in NASTY:
            response = client.post(url, dict.fromkeys(fields, value))
            assert response.status_code < 500, (url, value)
    for value in NASTY:
        assert client.get(reverse("materials:list"), {"q": value, "low": value}).status_code == 200
        assert client.get(reverse("materials:detail", args=[item.pk]), {"before": value}).status_code == 200
    assert client.get("/materials/99999999999999999999/").status_code == 404


def test_pages_carry_no_inline_script(client, manager, tech, item):
    from tests.site.test_headers import EVENT_HANDLER, INLINE_SCRIPT

    for user, urls in ((manager, [reverse("materials:list"), reverse("materials:detail", args=[item.pk]),
                                  reverse("materials:create"), reverse("materials:edit", args=[item.pk]),
                                  reverse("materials:receive", args=[item.pk]),
                                  reverse("materials:requisition", args=[item.pk]),
                                  reverse("materials:return", args=[item.pk]),
                                  reverse("materials:adjust", args=[item.pk])]),
                       (tech, [reverse("materials:mine"), reverse("materials:return", args=[item.pk])])):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert INLINE_SCRIPT.findall(html) == [] and EVENT_HANDLER.findall(html) == [], url


def test_the_list_filters_through_htmx_and_pages_by_fifty_with_the_shared_pager(client, manager, item):
    """Issue 15: the ledger uses the shared table, pager and empty state; htmx gets the results only."""
    for n in range(50):
        make_item(manager, code=f"PG-{n:02d}", name=f"配件{n}", stock=1)
    client.force_login(manager)
    first = client.get(reverse("materials:list")).content.decode()
    assert 'class="data-table"' in first and 'rel="next"' in first and "?page=2" in first
    assert "PG-48" in first and "SR-01" not in first  # ordered by code: PG-00…PG-49, then SR-01 on page 2
    second = client.get(reverse("materials:list"), {"page": "2"}).content.decode()
    assert "SR-01" in second and 'rel="prev"' in second
    partial = client.get(reverse("materials:list"), {"q": "密封"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "SR-01" in partial and "PG-01" not in partial
    none = client.get(reverse("materials:list"), {"q": "没有这种物料"}).content.decode()
    assert 'class="empty-state"' in none and "<table" not in none.split('id="results"')[1]
