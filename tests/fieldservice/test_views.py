"""Field-service pages: who reaches what, errors beside the fields with the input kept, conflicts (R5.1)."""

import pytest

from fuwu.fieldservice import actions
from fuwu.fieldservice.models import WorkOrder, WorkOrderStatus
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.fieldservice.conftest import tomorrow_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_order(agent, repair):
    return actions.work_order_open(actor=agent, ticket=repair, expected_version=repair.version, fault="空调不制冷",
                                   site_address="世纪大道1号", reason="远程无效")


@pytest.mark.parametrize(("role", "board", "today"), [
    (Role.MANAGER, 200, 200), (Role.AGENT, 200, 403), (Role.TECHNICIAN, 302, 200),
    (Role.QUALITY_SUPERVISOR, 200, 403), (Role.FINANCE, 200, 403), (Role.CUSTOMER, 302, 403),
])
def test_permission_matrix_of_the_field_pages(client, role, board, today, work_order):
    client.force_login(make_staff(role))
    assert client.get("/field/").status_code == board
    assert client.get("/field/today/").status_code == today
    detail = client.get(f"/field/{work_order.pk}/").status_code
    assert detail == (404 if role in (Role.TECHNICIAN, Role.CUSTOMER) else 200)


def test_the_request_page_sends_it_on_site_and_keeps_input_on_error(client, agent, repair):
    client.force_login(agent)
    page = client.get(f"/tickets/{repair.pk}/").content.decode()
    assert 'id="work-order-open"' in page and f'hx-get="/field/open/{repair.pk}/"' in page
    form = client.get(f"/field/open/{repair.pk}/").content.decode()  # loaded when the panel is opened
    assert 'id="work-order-form"' in form and "世纪大道1号" in form  # the site filled from the request
    response = client.post(f"/field/open/{repair.pk}/", {
        "wo-version": repair.version, "wo-fault": "空调不制冷", "wo-site_address": "", "wo-reason": "远程无效"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-control is-invalid" required aria-invalid="true" aria-describedby="id_wo-site_address_error"' \
        in html
    assert "远程无效" in html and not WorkOrder.objects.exists()
    response = client.post(f"/field/open/{repair.pk}/", {
        "wo-version": repair.version, "wo-fault": "空调不制冷", "wo-site_address": "世纪大道1号",
        "wo-reason": "远程无效"})
    work_order = WorkOrder.objects.get()
    assert response.status_code == 302 and response.url == f"/field/{work_order.pk}/"


def test_a_stale_step_conflicts_and_a_foreign_technician_cannot_see_it(client, agent, technician, work_order):
    work_order = actions.work_order_schedule(actor=agent, work_order=work_order, expected_version=work_order.version,
                                             technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    work_order = actions.work_order_dispatch(actor=agent, work_order=work_order, expected_version=work_order.version)
    client.force_login(technician)
    page = client.get(f"/field/{work_order.pk}/").content.decode()
    assert 'href="tel:13912345678"' in page and 'id="step-accept"' in page
    assert len(page.encode()) < 100_000
    response = client.post(f"/field/{work_order.pk}/step/", {"step-version": work_order.version - 1,
                                                             "step-move": "decline", "step-reason": "休假"})
    assert response.status_code == 409 and "休假" in response.content.decode()
    response = client.post(f"/field/{work_order.pk}/step/", {"step-version": work_order.version,
                                                             "step-move": "decline", "step-reason": ""})
    assert response.status_code == 400
    client.force_login(make_staff(Role.TECHNICIAN))
    assert client.get(f"/field/{work_order.pk}/").status_code == 404


def test_booking_page_ranks_technicians_and_books_a_slot(client, agent, technician, work_order):
    client.force_login(agent)
    page = client.get(f"/field/{work_order.pk}/book/").content.decode()
    assert "李强" in page and 'name="book-slot"' in page
    value = page.split('name="book-slot"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/field/{work_order.pk}/book/", {"book-version": work_order.version, "book-slot": value})
    assert response.status_code == 302
    work_order.refresh_from_db()
    assert work_order.status == WorkOrderStatus.SCHEDULED and work_order.technician == technician
    response = client.post(f"/field/{work_order.pk}/book/", {"book-version": work_order.version, "book-slot": "x"})
    assert response.status_code == 400


def test_the_technicians_day_lists_todays_visits_with_phone_and_map(client, agent, technician, work_order):
    import datetime

    import time_machine
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=1)
    actions.work_order_schedule(actor=agent, work_order=work_order, expected_version=work_order.version,
                                technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    client.force_login(technician)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7), tzinfo=timezone.get_current_timezone())):
        page = client.get("/field/today/").content.decode()
    assert 'href="tel:13912345678"' in page and "uri.amap.com" in page and work_order.number in page


def test_a_technician_reports_a_defect_and_quality_reads_the_list(client, agent, technician, work_order):
    work_order = actions.work_order_schedule(actor=agent, work_order=work_order, expected_version=work_order.version,
                                             technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    client.force_login(technician)
    assert client.post(f"/field/{work_order.pk}/defect/", {"defect-description": ""}).status_code == 400
    response = client.post(f"/field/{work_order.pk}/defect/", {"defect-description": "外壳裂纹"})
    assert response.status_code == 302
    assert client.get("/field/defects/").status_code == 403
    client.force_login(make_staff(Role.QUALITY_SUPERVISOR))
    assert "外壳裂纹" in client.get("/field/defects/").content.decode()


def test_the_technician_records_a_part_on_the_page_and_it_is_on_the_pdf(client, agent, technician, work_order):
    from fuwu.materials.actions import stock_requisition
    from tests.factories import make_item

    manager = make_staff(Role.MANAGER)
    item = make_item(manager, name="密封圈", stock=10, specification="DN50")
    stock_requisition(actor=manager, item=item, quantity=3, technician=technician)
    work_order = actions.work_order_schedule(actor=agent, work_order=work_order, expected_version=work_order.version,
                                             technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    work_order = actions.work_order_dispatch(actor=agent, work_order=work_order, expected_version=work_order.version)
    work_order = actions.work_order_accept(actor=technician, work_order=work_order,
                                           expected_version=work_order.version)
    work_order = actions.work_order_move(actor=technician, work_order=work_order, expected_version=work_order.version,
                                         move="check_in")
    client.force_login(technician)
    assert "3 个" in client.get(f"/field/{work_order.pk}/").content.decode()  # in hand, in the choice
    response = client.post(f"/field/{work_order.pk}/parts/", {"part-item": item.pk, "part-quantity": 5})
    assert response.status_code == 400 and "5" in response.content.decode()  # more than in hand: kept, refused
    response = client.post(f"/field/{work_order.pk}/parts/", {"part-item": item.pk, "part-quantity": 2})
    assert response.status_code == 302
    assert "密封圈 DN50 · 2 个" in client.get(f"/field/{work_order.pk}/").content.decode()


def test_the_week_shows_each_technicians_visits_by_day(client, agent, technician, work_order):
    """R4.5: a week view per technician and per group; a technician sees only their own row."""
    actions.work_order_schedule(actor=agent, work_order=work_order, expected_version=work_order.version,
                                technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    other = make_staff(Role.TECHNICIAN, full_name="赵师傅")
    day = tomorrow_at(9).date().isoformat()
    client.force_login(agent)
    response = client.get("/field/week/", {"day": day, "group": technician.profile.group_id})
    rows = response.context["rows"]
    assert [p.user_id for p, _ in rows if p.user_id in (technician.pk, other.pk)] == [technician.pk, other.pk]
    cells = dict((p.user_id, cells) for p, cells in rows)
    assert sum(len(v) for _, v in cells[technician.pk]) == 1 and sum(len(v) for _, v in cells[other.pk]) == 0
    assert work_order.number in response.content.decode()
    client.force_login(other)
    assert [p.user_id for p, _ in client.get("/field/week/", {"day": day}).context["rows"]] == [other.pk]
    client.force_login(make_staff(Role.CUSTOMER))
    assert client.get("/field/week/").status_code == 403
    client.force_login(agent)
    assert client.get("/field/week/", {"day": "2026-99-99", "group": "x"}).status_code == 200
