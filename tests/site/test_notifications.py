"""The notifications page: one row per request with its count and newest notice, read by group or all at
once, the delivery preference (docs/architecture.md, rule 5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuwu.core.models import Notification, NotificationPreference
from fuwu.core.outbox import outbox_deliver_pending, outbox_notify
from fuwu.core.selectors import GROUP_ITEMS, notification_groups
from fuwu.org.roles import Role
from tests.factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(client):
    """An agent with three notices about one request, one about another and one about nothing."""
    agent = make_staff(Role.AGENT, email="agent@fuwu.example")
    first, second = make_ticket(agent), make_ticket(agent)
    outbox_deliver_pending()
    Notification.objects.all().delete()
    for step in ("已受理", "已派工", "已解决"):
        outbox_notify(recipients=[agent], subject=f"{first.number} {step}", url=f"/tickets/{first.pk}/", obj=first)
    outbox_notify(recipients=[agent], subject=f"{second.number} 已受理", url=f"/tickets/{second.pk}/", obj=second)
    outbox_notify(recipients=[agent], subject="系统维护通知")
    outbox_deliver_pending()
    client.force_login(agent)
    return agent, first, second


def test_notices_are_grouped_by_request_newest_group_first(inbox):
    agent, first, second = inbox
    groups, next_before = notification_groups(agent)
    assert next_before is None
    assert [(g.topic, g.total, g.unread) for g in groups] == [
        (f"notice:{groups[0].latest.outbox_id}", 1, 1),
        (f"tickets.ticket:{second.pk}", 1, 1),
        (f"tickets.ticket:{first.pk}", 3, 3),
    ]
    assert groups[2].latest.subject == f"{first.number} 已解决"
    assert [n.subject for n in groups[2].items] == [f"{first.number} {s}" for s in ("已解决", "已派工", "已受理")]


def test_the_page_shows_one_row_per_request_and_marks_all_read_prominently(client, inbox):
    agent, first, _second = inbox
    page = client.get(reverse("notifications")).content.decode()
    assert page.count('class="list-group-item notification notification-group') == 3
    assert f"{first.number} 已解决" in page and "3 条通知" in page
    assert 'id="read-all"' in page and "btn-primary" in page.split('id="read-all"')[1][:300]

    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    assert not Notification.objects.filter(user=agent, read_at__isnull=True).exists()
    assert 'id="read-all"' not in client.get(reverse("notifications")).content.decode()


def test_a_group_is_marked_read_alone_and_only_for_its_reader(client, inbox):
    agent, first, second = inbox
    other = make_staff(Role.AGENT)
    outbox_notify(recipients=[other], subject="x", obj=first)
    outbox_deliver_pending()
    response = client.post(reverse("notifications_group_read"), {"topic": f"tickets.ticket:{first.pk}", "unread": "1"})
    assert response["Location"] == reverse("notifications") + "?unread=1"
    unread = Notification.objects.filter(read_at__isnull=True)
    loose = unread.filter(user=agent, topic__startswith="notice:").values_list("topic", flat=True)
    assert set(unread.filter(user=agent).values_list("topic", flat=True)) == {f"tickets.ticket:{second.pk}", *loose}
    assert unread.filter(user=other).count() == 1
    page = client.get(reverse("notifications") + "?unread=1").content.decode()
    assert f"{first.number} 已解决" not in page and f"{second.number} 已受理" in page


def test_one_group_lists_all_its_notices(client, inbox):
    _agent, first, second = inbox
    page = client.get(reverse("notifications"), {"topic": f"tickets.ticket:{first.pk}"}).content.decode()
    assert page.count('class="list-group-item notification d-flex') == 3 and second.number not in page


def test_the_page_is_three_queries_whatever_the_groups_hold(client, inbox):
    agent, first, _second = inbox
    client.get(reverse("notifications"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications"))
    for n in range(40):  # many more notices and groups
        outbox_notify(recipients=[agent], subject=f"更多 {n}", obj=first if n % 2 else agent)
        outbox_notify(recipients=[agent], subject=f"单条 {n}", url=f"/x/{n}/")
    outbox_deliver_pending()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications")).content.decode()
    assert len(many) == len(few)
    groups, next_before = notification_groups(agent)
    assert next_before is not None and len(groups) == 25
    assert max(len(g.items) for g in groups) == GROUP_ITEMS and "全部 " in page


def test_the_delivery_preference_form(client, inbox):
    agent, *_ = inbox
    page = client.get(reverse("notification_settings")).content.decode()
    assert 'value="immediate" class="form-check-input" id="id_delivery_0" required checked' in page
    response = client.post(reverse("notification_settings"), {"delivery": "daily", "version": "0"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=agent).delivery == "daily"
    assert "每天收到一封邮件" in client.get(reverse("notifications")).content.decode()
    stale = client.post(reverse("notification_settings"), {"delivery": "immediate", "version": "0"})
    assert stale.status_code == 200 and "其他人已修改" in stale.content.decode()
    assert NotificationPreference.objects.get(user=agent).delivery == "daily"
    bad = client.post(reverse("notification_settings"), {"delivery": "hourly", "version": "1"})
    assert bad.status_code == 200 and 'class="invalid-feedback d-block"' in bad.content.decode()
