"""The portal's actions (R3.1, R1.2, R4.1): filing a request, the customer's messages, confirming and reopening."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.customers import actions as customer_actions
from fuwu.customers.validation import ProductInput
from fuwu.portal import actions
from fuwu.portal.codes import PortalAction
from fuwu.portal.models import PortalRequest
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets.actions import MoveNotAllowed, ticket_move
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, SlaClock, Ticket
from tests.factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                    "000002000154a24f5d0000000049454e44ae426082")


def _type(code: str) -> int:
    return ServiceType.objects.get(code=code).pk


def _request(**fields) -> actions.RequestInput:
    fields.setdefault("service_type_id", _type("consultation"))
    fields.setdefault("title", "空调不制冷")
    return actions.RequestInput(**fields)


def test_a_customer_files_a_request_on_the_web_channel_for_itself(customer_login, own, agent):
    product = customer_actions.product_add(actor=agent, customer=own,
                                           data=ProductInput(name="冷水机组", model="LS-300"))
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    ticket = actions.portal_request_file(actor=customer_login, files=[photo], data=_request(
        description="三楼会议室空调不制冷", product_id=product.pk))

    contact = own.contacts.get(user=customer_login)
    assert ticket.channel == Channel.WEB and ticket.customer == own
    assert (ticket.contact_name, ticket.contact_phone, ticket.contact_email) == (
        "陈建国", "13912345678", "chen@shenjiang.example")
    assert ticket.status == Status.NEW and ticket.owner is None  # waits in its group's queue to be accepted
    assert ticket.group == ServiceType.objects.get(code="consultation").default_group
    assert ticket.first_responsible.username == "fuwu-portal"  # the portal's intake login (R3.3)
    filed = PortalRequest.objects.get(ticket=ticket)
    assert (filed.contact, filed.product) == (contact, product)
    entry = ticket.entries.get()
    assert entry.kind == Entry.Kind.CUSTOMER and entry.author == customer_login
    assert [a.name for a in entry.attachments.all()] == ["现场照片.png"]
    events = list(AuditEvent.objects.for_object(ticket).order_by("id").values_list("action", "actor_id"))
    assert events[0] == (TicketAction.REGISTERED, ticket.first_responsible_id)
    assert (PortalAction.REQUEST_FILED, customer_login.pk) in events  # the record names who filed it


def test_the_intake_login_is_made_once(customer_login):
    first = actions.portal_request_file(actor=customer_login, data=_request())
    second = actions.portal_request_file(actor=customer_login, data=_request(title="第二件事"))
    assert first.first_responsible_id == second.first_responsible_id
    assert not first.first_responsible.has_usable_password()


def test_errors_are_given_together_and_nothing_is_written(customer_login, other, agent):
    foreign = customer_actions.product_add(actor=agent, customer=other, data=ProductInput(name="别人的设备"))
    before = Ticket.objects.count()
    with pytest.raises(InvalidInput) as excinfo:
        actions.portal_request_file(actor=customer_login, data=_request(
            service_type_id=_type("move_in"), title=" ", product_id=foreign.pk))  # an errand: not for customers
    assert set(excinfo.value.errors) == {"service_type_id", "title", "product_id"}
    assert Ticket.objects.count() == before and not PortalRequest.objects.exists()


def test_a_file_of_a_refused_type_is_refused_before_anything_is_written(customer_login):
    with pytest.raises(InvalidInput) as excinfo:
        actions.portal_request_file(actor=customer_login, data=_request(),
                                    files=[SimpleUploadedFile("run.exe", b"MZ\x90\x00" * 50)])
    assert list(excinfo.value.errors) == ["attachments"]
    assert not Ticket.objects.exists()


def test_a_repair_asks_for_the_facts_its_type_needs(customer_login):
    with pytest.raises(InvalidInput) as excinfo:
        actions.portal_request_file(actor=customer_login, data=_request(service_type_id=_type("repair"),
                                                                        site_address=""))
    assert {"site_address", "occurred_since"} <= set(excinfo.value.errors)


def test_only_a_portal_login_files_requests(agent, own):
    with pytest.raises(PermissionDenied) as excinfo:
        actions.portal_request_file(actor=agent, data=_request())
    assert excinfo.value.code == "forbidden.portal.use"
    deactivated = make_staff("customer")
    with pytest.raises(PermissionDenied):  # a customer login that belongs to no contact
        actions.portal_request_file(actor=deactivated, data=_request())


def test_the_customers_message_is_a_customer_entry_that_tells_the_owner_and_meets_no_clock(customer_login, own, agent):
    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    clocks = dict(SlaClock.objects.filter(ticket=ticket).values_list("kind", "state"))
    entry = actions.portal_request_reply(actor=customer_login, ticket=ticket, body="还在漏\n<script>x</script>")
    assert entry.kind == Entry.Kind.CUSTOMER and entry.author == customer_login
    assert "<script>" not in entry.body and "&lt;script&gt;" in entry.body
    assert dict(SlaClock.objects.filter(ticket=ticket).values_list("kind", "state")) == clocks
    assert AuditEvent.objects.for_object(ticket).filter(action=TicketAction.CUSTOMER_MESSAGE_ADDED,
                                                        actor=customer_login).exists()
    assert OutboxMessage.objects.filter(recipient=agent, object_id=str(ticket.pk)).exists()


def test_files_alone_come_with_a_line(customer_login, own, agent):
    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    entry = actions.portal_request_reply(actor=customer_login, ticket=ticket, body="",
                                         files=[SimpleUploadedFile("a.png", PNG)])
    assert entry.attachments.count() == 1 and entry.body


def test_no_message_on_another_customers_or_a_closed_request(customer_login, other, own, agent):
    foreign = make_ticket(agent, title="别人的", customer_id=other.pk)
    with pytest.raises(PermissionDenied):
        actions.portal_request_reply(actor=customer_login, ticket=foreign, body="看看")
    closed = make_ticket(agent, title="已办结", customer_id=own.pk, settle_with_resolution="已解答")
    ticket_move(actor=agent, ticket=closed, expected_version=None, move=Move.CLOSE)
    with pytest.raises(PermissionDenied):
        actions.portal_request_reply(actor=customer_login, ticket=closed, body="还有问题")


def test_staff_cannot_write_as_the_customer(agent, own):
    from fuwu.tickets.actions import ticket_add_entry

    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    with pytest.raises(PermissionDenied) as excinfo:
        ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.CUSTOMER, body="冒充客户")
    assert excinfo.value.code == TicketError.FORBIDDEN_ENTRY


def _resolved(agent, customer):
    return make_ticket(agent, title="空调不制冷", customer_id=customer.pk, settle_with_resolution="更换了启动电容")


def test_the_customer_confirms_the_resolution(customer_login, own, agent):
    ticket = _resolved(agent, own)
    closed = actions.portal_request_confirm(actor=customer_login, ticket=ticket, expected_version=ticket.version)
    assert closed.status == Status.CLOSED
    event = AuditEvent.objects.for_object(ticket).filter(action=TicketAction.MOVED).latest("id")
    assert event.actor == customer_login and event.payload["move"] == Move.CLOSE


def test_a_stale_confirmation_is_a_conflict(customer_login, own, agent):
    ticket = _resolved(agent, own)
    with pytest.raises(Conflict):
        actions.portal_request_confirm(actor=customer_login, ticket=ticket, expected_version=ticket.version - 1)


def test_the_customer_reopens_within_the_window_with_a_reason_and_the_owner_hears(customer_login, own, agent):
    ticket = _resolved(agent, own)
    other_agent = make_staff("agent")
    Ticket.objects.filter(pk=ticket.pk).update(owner=other_agent)  # owned by someone else than the first-responsible
    ticket.refresh_from_db()
    with pytest.raises(InvalidInput) as excinfo:
        actions.portal_request_reopen(actor=customer_login, ticket=ticket, expected_version=ticket.version, reason=" ")
    assert "reason" in excinfo.value.errors
    reopened = actions.portal_request_reopen(actor=customer_login, ticket=ticket, expected_version=ticket.version,
                                             reason="还是不制冷")
    assert reopened.status == Status.REOPENED
    notice = OutboxMessage.objects.get(recipient=other_agent, object_id=str(ticket.pk))
    assert notice.body == "还是不制冷"


def test_reopening_after_the_window_is_refused(customer_login, own, agent, settings):
    ticket = _resolved(agent, own)
    later = timezone.now() + datetime.timedelta(days=settings.FUWU_REOPEN_DAYS, hours=1)
    with time_machine.travel(later, tick=False), pytest.raises(InvalidInput) as excinfo:
        actions.portal_request_reopen(actor=customer_login, ticket=ticket, expected_version=ticket.version,
                                      reason="还是坏")
    assert excinfo.value.code == TicketError.REOPEN_WINDOW_CLOSED


@pytest.mark.parametrize("move", [Move.ACCEPT, Move.RESOLVE, Move.CANCEL, Move.START])
def test_the_customer_makes_no_staff_move(customer_login, own, agent, move):
    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    with pytest.raises(MoveNotAllowed):
        ticket_move(actor=customer_login, ticket=ticket, expected_version=None, move=move, resolution="x", reason="x")


def test_the_customer_cannot_confirm_or_reopen_another_customers_request(customer_login, other, agent):
    foreign = _resolved(agent, other)
    with pytest.raises(MoveNotAllowed):
        actions.portal_request_confirm(actor=customer_login, ticket=foreign, expected_version=None)
    with pytest.raises(MoveNotAllowed):
        actions.portal_request_reopen(actor=customer_login, ticket=foreign, expected_version=None, reason="x")
    assert Ticket.objects.get(pk=foreign.pk).status == Status.RESOLVED
