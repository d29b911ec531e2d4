import pytest

from fuwu.complaints import actions
from fuwu.complaints.models import Complaint, RootCause
from fuwu.org.models import Department
from tests.factories import make_customer, make_ticket


@pytest.fixture
def department(db):
    return Department.objects.order_by("id").first()


def complaint_of(ticket) -> Complaint:
    return Complaint.objects.select_related("ticket").get(ticket=ticket)


def register(actor, **fields):
    fields.setdefault("title", "投诉维修人员迟到")
    fields.setdefault("contact_phone", "13700137000")
    if "customer_id" not in fields:
        fields["customer_id"] = make_customer(actor, name="上海申江物业管理有限公司", phone="13700137000").pk
    return make_ticket(actor, "complaint", **fields)


@pytest.fixture
def complaint(agent):
    return complaint_of(register(agent))


def cause(code: str = "delay") -> RootCause:
    return RootCause.objects.get(code=code)


def investigate(complaint, investigator):
    return actions.complaint_start_investigation(actor=investigator, complaint=complaint, expected_version=None)


def conclude(complaint, investigator, *, valid=True, department=None, person=None, code="delay"):
    return actions.complaint_conclude(actor=investigator, complaint=complaint, expected_version=None, valid=valid,
                                      root_cause=cause(code), responsible_department=department,
                                      responsible_person=person, conclusion="约定九点，实际十一点到达。")


def propose(complaint, actor):
    return actions.complaint_propose_solution(actor=actor, complaint=complaint, expected_version=None,
                                              solution="赔礼道歉并免收上门费。")


def answer(complaint, actor, agreed=True):
    return actions.complaint_record_answer(actor=actor, complaint=complaint, expected_version=None, agreed=agreed,
                                           feedback="" if agreed else "要求赔偿误工费")


def close(complaint, actor):
    return actions.complaint_close(actor=actor, complaint=complaint, expected_version=None)
