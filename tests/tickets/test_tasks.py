from datetime import timedelta

import pytest
from django.utils import timezone

from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Ticket
from fuwu.tickets.tasks import tickets_auto_close_hourly
from tests.factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db


def test_hourly_job_closes_only_stale_resolved_requests(settings):
    settings.FUWU_AUTO_CLOSE_DAYS = 3
    agent = make_staff("agent")
    stale = make_ticket(agent, settle_with_resolution="已电话解答")
    fresh = make_ticket(agent, settle_with_resolution="已电话解答")
    Ticket.objects.filter(pk=stale.pk).update(resolved_at=timezone.now() - timedelta(days=4))
    assert tickets_auto_close_hourly.call_local() == 1
    assert tickets_auto_close_hourly.call_local() == 0
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Status.CLOSED, Status.RESOLVED)
