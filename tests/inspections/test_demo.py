"""The inspections demo (`seed_demo`): two checklists, monthly rounds over the year, scores and findings,
all through the actions."""

import pytest

from fuwu.inspections.demo import seed_inspections
from fuwu.inspections.models import Checklist, Finding, Inspection, InspectionRound, RoundStatus
from fuwu.tickets.models import Ticket
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_demo_year_of_rounds(agent):
    make_staff("quality_supervisor")
    make_staff("technician")
    made = seed_inspections(seed=1, fast=True, log=None)
    assert made == Inspection.objects.count() == 12 * (3 + 2)
    assert sorted(Checklist.objects.values_list("code", "status")) == [("hotline-call", "published"),
                                                                      ("onsite-mystery", "published")]
    status = list(InspectionRound.objects.order_by("period_start", "id").values_list("status", flat=True))
    assert status == [RoundStatus.COMPLETED] * 22 + [RoundStatus.IN_PROGRESS] * 2 + [RoundStatus.PLANNED] * 2
    failed = Inspection.objects.filter(passed=False).count()
    assert Finding.objects.count() == failed and not Finding.objects.filter(ticket__isnull=True).exists()
    assert Ticket.objects.filter(service_type__code="quality_issue").count() == failed
    assert all(i.observed_at <= i.recorded_at for i in Inspection.objects.all())
    finding = Finding.objects.select_related("ticket").first()
    assert finding.ticket.title.startswith("检查发现：")  # written in the house language
