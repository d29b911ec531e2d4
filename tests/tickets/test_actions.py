"""Ticket actions (R3.1–R3.7, R4.3, R4.8, R4.9): registration, hand-over, conversation, tiers, repeats."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.org import actions as org_actions
from fuwu.org.models import Group, Region
from fuwu.org.roles import Role
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets.actions import (
    MoveNotAllowed,
    handover_accept,
    handover_decline,
    ticket_add_entry,
    ticket_change_tier,
    ticket_hand_over,
    ticket_link_repeat,
    ticket_mark_major,
    ticket_move,
    ticket_reassign,
    ticket_register,
)
from fuwu.tickets.lifecycle import Move, Status, Tier
from fuwu.tickets.models import Attachment, Entry, Handover, RepeatContact, Ticket
from fuwu.tickets.validation import TicketInput
from tests.factories import make_staff, make_ticket
from tests.tickets.workflow import move, staff_in

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^FW-(\d{4})-(\d{6})$")


def group(code: str) -> Group:
    return Group.objects.get(code=code)


def outbox_for(ticket: Ticket) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(object_type="tickets.ticket", object_id=str(ticket.pk)).order_by("id"))


# Registration (R3.1, R3.3, R3.5, R3.7) -----------------------------------------------------------------------------


def test_registration_numbers_are_formatted_unique_and_consecutive(agent):
    tickets = [make_ticket(agent) for _ in range(3)]
    parsed = [NUMBER.match(t.number) for t in tickets]
    assert all(parsed)
    assert {int(m.group(1)) for m in parsed} == {timezone.localtime(tickets[0].received_at).year}
    serials = [int(m.group(2)) for m in parsed]
    assert serials == list(range(serials[0], serials[0] + 3))
    assert len({t.number for t in tickets}) == 3


def test_the_taker_is_first_responsible_and_owner_in_their_group(agent):
    ticket = make_ticket(agent, title="咨询保修政策", channel=Channel.WALK_IN)
    assert ticket.first_responsible_id == ticket.owner_id == agent.pk
    assert ticket.group == group("customer_service")
    assert (ticket.status, ticket.channel, ticket.kind) == (Status.NEW, Channel.WALK_IN, "consultation")
    event = AuditEvent.objects.for_object(ticket).get()
    assert event.action == "ticket.registered" and event.payload["number"] == ticket.number


def test_repair_requires_where_how_to_reach_and_since_when_all_at_once(agent):
    data = TicketInput(service_type_id=ServiceType.objects.get(code="repair").pk, title="空调不制冷",
                       contact_name="王先生")
    with pytest.raises(InvalidInput) as excinfo:
        ticket_register(actor=agent, data=data)
    assert {"contact_phone", "site_address", "region_id", "occurred_since"} <= set(excinfo.value.errors)
    assert not Ticket.objects.exists()

    region = Region.objects.create(code="east", name="华东")
    ticket = make_ticket(agent, "repair", title="空调不制冷", contact_phone="138 0013 8000",
                         site_address="上海市浦东新区世纪大道100号", region_id=region.pk, occurred_since="昨天下午")
    assert ticket.contact_phone == "13800138000"


def test_missing_and_bad_fields_are_reported_together(agent):
    data = TicketInput(service_type_id=0, title=" ", contact_name="", channel="pigeon", contact_phone="12",
                       received_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(InvalidInput) as excinfo:
        ticket_register(actor=agent, data=data)
    assert {"service_type_id", "title", "contact_name", "channel", "contact_phone", "received_at"} <= set(
        excinfo.value.errors)


def test_only_front_line_staff_register(finance):
    with pytest.raises(PermissionDenied):
        make_ticket(finance)


def test_settled_at_first_contact_is_resolved_with_its_resolution(agent):
    ticket = make_ticket(agent, title="咨询保修政策", settle_with_resolution="已告知保修期三年，凭发票保修")
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution == "已告知保修期三年，凭发票保修" and ticket.resolved_at is not None
    assert [e.action for e in AuditEvent.objects.for_object(ticket).order_by("id")] == [
        "ticket.registered", "ticket.moved"]


def test_retroactive_registration_needs_and_keeps_the_real_start(agent):
    with pytest.raises(InvalidInput) as excinfo:
        make_ticket(agent, title="机房断电抢修", retroactive=True)
    assert "received_at" in excinfo.value.errors
    started = timezone.now() - timedelta(hours=5)
    ticket = make_ticket(agent, title="机房断电抢修", retroactive=True, received_at=started)
    assert ticket.is_retroactive and ticket.received_at == started
    assert ticket.registered_at > started


def test_a_major_matter_goes_to_general_manager_and_manager_by_mail_once(agent):
    gm = make_staff(Role.GENERAL_MANAGER, email="gm@fuwu.example")
    manager = make_staff(Role.MANAGER, email="manager@fuwu.example")
    ticket = make_ticket(agent, title="电梯困人", major=True)
    assert ticket.is_major
    rows = [r for r in outbox_for(ticket) if r.subject.startswith(("Major", "重大"))] or outbox_for(ticket)
    assert {(r.recipient_id, r.email) for r in rows} == {(gm.pk, gm.email), (manager.pk, manager.email)}
    assert ticket_mark_major(actor=agent, ticket=ticket, reason="再次标记").is_major
    assert len(outbox_for(ticket)) == len(rows)
    assert AuditEvent.objects.for_object(ticket).filter(action="ticket.marked_major").count() == 1


# Hand-over (R3.3) ---------------------------------------------------------------------------------------------------


def test_a_hand_over_needs_a_note_and_a_person_of_the_target_group(agent, technician):
    ticket = make_ticket(agent)
    with pytest.raises(InvalidInput) as excinfo:
        ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version, to_group=group("repair"),
                         note="  ")
    assert "note" in excinfo.value.errors
    with pytest.raises(InvalidInput) as excinfo:
        ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version, to_group=group("tech_support"),
                         to_user=technician, note="请上门")
    assert "to_user" in excinfo.value.errors
    assert not Handover.objects.exists()


def test_until_accepted_the_owner_stays_and_only_one_hand_over_waits(agent, technician):
    ticket = make_ticket(agent)
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                to_group=group("repair"), note="需上门检修空调")
    ticket.refresh_from_db()
    assert ticket.owner_id == agent.pk and ticket.group == group("customer_service")
    assert ticket.has_pending_handover and ticket.status == Status.NEW
    assert technician.pk in {r.recipient_id for r in outbox_for(ticket)}
    with pytest.raises(InvalidInput) as excinfo:
        ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                         to_group=group("tech_support"), note="再转技术支持")
    assert excinfo.value.code == "handover_pending"
    assert Handover.objects.filter(state=Handover.State.PENDING).count() == 1

    other_agent = make_staff(Role.AGENT)
    with pytest.raises(PermissionDenied):
        handover_accept(actor=other_agent, handover=handover)
    accepted = handover_accept(actor=technician, handover=handover)
    assert (accepted.owner_id, accepted.group, accepted.status) == (technician.pk, group("repair"), Status.ACCEPTED)
    assert not accepted.has_pending_handover and accepted.first_responsible_id == agent.pk
    handover.refresh_from_db()
    assert (handover.state, handover.decided_by_id) == (Handover.State.ACCEPTED, technician.pk)
    with pytest.raises(InvalidInput) as excinfo:
        handover_decline(actor=technician, handover=handover, reason="晚了")
    assert excinfo.value.code == "handover_decided"


def test_a_named_person_alone_may_accept(agent, technician):
    colleague = make_staff(Role.TECHNICIAN)
    ticket = make_ticket(agent)
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                to_group=group("repair"), to_user=technician, note="指定王师傅")
    with pytest.raises(PermissionDenied):
        handover_accept(actor=colleague, handover=handover)
    assert handover_accept(actor=technician, handover=handover).owner_id == technician.pk


def test_decline_needs_a_reason_keeps_the_owner_and_tells_sender_and_first_responsible(agent, technician):
    ticket = make_ticket(agent)
    first = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                             to_group=group("repair"), to_user=technician, note="上门检修")
    ticket = handover_accept(actor=technician, handover=first)
    support = make_staff(Role.SUPPORT)
    handover = ticket_hand_over(actor=technician, ticket=ticket, expected_version=ticket.version,
                                to_group=group("tech_support"), note="疑似网络问题")
    with pytest.raises(InvalidInput) as excinfo:
        handover_decline(actor=support, handover=handover, reason=" ")
    assert "reason" in excinfo.value.errors
    rows_before = {r.pk for r in outbox_for(ticket)}
    handover_decline(actor=support, handover=handover, reason="属于硬件故障，不归技术支持")
    ticket.refresh_from_db()
    assert ticket.owner_id == technician.pk and not ticket.has_pending_handover
    new_rows = [r for r in outbox_for(ticket) if r.pk not in rows_before]
    assert {r.recipient_id for r in new_rows} == {technician.pk, agent.pk}
    event = AuditEvent.objects.for_object(ticket).order_by("-id").first()
    assert event.action == "ticket.handover_declined" and event.payload["reason"] == "属于硬件故障，不归技术支持"


def test_a_manager_reassigns_withdrawing_the_waiting_hand_over(agent, manager, technician):
    ticket = make_ticket(agent)
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                to_group=group("tech_support"), note="请远程协助")
    ticket.refresh_from_db()
    with pytest.raises(PermissionDenied):
        ticket_reassign(actor=agent, ticket=ticket, expected_version=ticket.version, to_group=group("repair"),
                        to_user=technician, note="我来改派")
    with pytest.raises(InvalidInput) as excinfo:  # the person must belong to the group
        ticket_reassign(actor=manager, ticket=ticket, expected_version=ticket.version,
                        to_group=group("tech_support"), to_user=technician, note="改派")
    assert "to_user" in excinfo.value.errors
    ticket = ticket_reassign(actor=manager, ticket=ticket, expected_version=ticket.version,
                             to_group=group("repair"), to_user=technician, note="需要上门")
    handover.refresh_from_db()
    assert handover.state == Handover.State.WITHDRAWN and handover.decided_by_id == manager.pk
    assert (ticket.owner_id, ticket.group, ticket.has_pending_handover) == (technician.pk, group("repair"), False)
    assert ticket.first_responsible_id == agent.pk


def test_only_the_owner_or_a_manager_hands_over(agent, technician):
    ticket = make_ticket(agent)
    with pytest.raises(PermissionDenied):
        ticket_hand_over(actor=technician, ticket=ticket, expected_version=ticket.version,
                         to_group=group("repair"), note="我拿走")


def test_closing_a_ticket_withdraws_its_waiting_hand_over(agent, manager, technician):
    ticket = make_ticket(agent)
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                to_group=group("repair"), note="上门")
    ticket.refresh_from_db()
    cancelled = move(manager, ticket, Move.CANCEL, reason="客户撤回")
    assert not cancelled.has_pending_handover
    handover.refresh_from_db()
    assert handover.state == Handover.State.WITHDRAWN
    with pytest.raises(InvalidInput):
        handover_accept(actor=technician, handover=handover)
    assert Ticket.objects.get(pk=ticket.pk).owner_id == agent.pk


# First-responsible, for good (R3.3) ---------------------------------------------------------------------------------


def test_first_responsible_cannot_change_through_the_model(agent):
    ticket = make_ticket(agent)
    ticket.first_responsible = make_staff(Role.AGENT)
    with pytest.raises(DatabaseError), transaction.atomic():
        ticket.save()
    assert Ticket.objects.get(pk=ticket.pk).first_responsible_id == agent.pk


def test_first_responsible_cannot_change_through_raw_sql(agent):
    ticket = make_ticket(agent)
    other = make_staff(Role.AGENT)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_ticket SET first_responsible_id = %s WHERE id = %s", [other.pk, ticket.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(first_responsible=other)
    assert Ticket.objects.get(pk=ticket.pk).first_responsible_id == agent.pk
    Ticket.objects.filter(pk=ticket.pk).update(title="其他字段照常可改")  # the trigger guards that column only


def test_the_admin_offers_no_way_to_change_a_ticket(agent):
    ticket = make_ticket(agent, title="网络中断")
    admin = make_staff(Role.ADMIN)
    org_actions.staff_grant_superuser(actor=None, user=admin)
    other = make_staff(Role.AGENT)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert ticket.number in html
    assert 'name="first_responsible"' not in html and 'name="_save"' not in html
    response = client.post(url, {"first_responsible": other.pk, "title": "改了", "_save": "保存"})
    assert response.status_code == 403
    assert client.get(reverse("admin:tickets_ticket_add")).status_code == 403
    listing = client.get(reverse("admin:tickets_ticket_changelist"), {"q": ticket.number})
    assert listing.status_code == 200 and ticket.number in listing.content.decode()
    ticket.refresh_from_db()
    assert (ticket.first_responsible_id, ticket.title) == (agent.pk, "网络中断")


# Conversation (R4.8, R4.9) ------------------------------------------------------------------------------------------


def test_entries_are_sanitised(agent):
    ticket = make_ticket(agent)
    entry = ticket_add_entry(
        actor=agent, ticket=ticket, kind=Entry.Kind.REPLY,
        body='<p onclick="steal()">已安排<strong>明早</strong>上门<script>alert(1)</script></p>'
             '<a href="https://fuwu.example/kb/1">说明</a>',
    )
    assert "<script" not in entry.body and "alert(1)" not in entry.body and "onclick" not in entry.body
    assert "<p>" in entry.body and "<strong>明早</strong>" in entry.body
    assert 'href="https://fuwu.example/kb/1"' in entry.body
    with pytest.raises(InvalidInput):
        ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="<script>x()</script>")
    with pytest.raises(PermissionDenied):
        ticket_add_entry(actor=staff_in(Role.TECHNICIAN, "tech_support"), ticket=ticket, kind=Entry.Kind.NOTE,
                         body="路过")


def test_a_correction_supersedes_ones_own_entry_once(agent):
    colleague = make_staff(Role.AGENT)  # same group: may write on the ticket
    ticket = make_ticket(agent)
    wrong = ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="客户地址：东路12号")
    with pytest.raises(PermissionDenied):
        ticket_add_entry(actor=colleague, ticket=ticket, kind=Entry.Kind.NOTE, body="改", supersedes=wrong)
    fixed = ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="客户地址：西路12号",
                             supersedes=wrong)
    assert fixed.supersedes_id == wrong.pk
    assert "东路" in Entry.objects.get(pk=wrong.pk).body  # the wrong entry stays, unchanged (R4.9)
    with pytest.raises(InvalidInput) as excinfo:
        ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="又改", supersedes=wrong)
    assert excinfo.value.code == "already_corrected"
    event = AuditEvent.objects.for_object(ticket).order_by("-id").first()
    assert event.action == "ticket.entry_corrected" and event.payload["supersedes"] == wrong.pk


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                    "000002000154a24f5d0000000049454e44ae426082")


def test_an_image_attachment_is_stored(agent):
    ticket = make_ticket(agent)
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    entry = ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="现场照片见附件", files=[photo])
    attachment = Attachment.objects.get(entry=entry)
    assert attachment.is_image and attachment.size == len(PNG) and attachment.name == "现场照片.png"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PNG


def test_too_large_or_wrong_type_files_are_refused_by_name(agent, settings):
    settings.FUWU_ATTACHMENT_MAX_BYTES = 1024 * 1024
    ticket = make_ticket(agent)
    big = SimpleUploadedFile("报价单.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf")
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    ok = SimpleUploadedFile("ok.png", PNG, content_type="image/png")
    with pytest.raises(InvalidInput) as excinfo:
        ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="附件", files=[big, exe, ok])
    messages = " ".join(excinfo.value.errors["attachments"])
    assert "报价单.pdf" in messages and "tool.exe" in messages and "ok.png" not in messages
    assert not Entry.objects.exists() and not Attachment.objects.exists()


def test_attachment_types_come_from_the_content_not_the_browser(agent):
    ticket = make_ticket(agent)
    disguised = SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    svg = SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
                             content_type="image/png")
    with pytest.raises(InvalidInput) as excinfo:
        ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="附件", files=[disguised, svg])
    messages = " ".join(excinfo.value.errors["attachments"])
    assert "evil.png" in messages and "logo.png" in messages
    # What is really a picture, a PDF or text is kept as what it is, whatever the browser said.
    files = [SimpleUploadedFile("photo.html", PNG, content_type="text/html"),
             SimpleUploadedFile("报价单", b"%PDF-1.4\n%\xe2\xe3", content_type="application/octet-stream"),
             SimpleUploadedFile("记录.txt", "客户说明：空调不制冷\n".encode(), content_type="application/pdf")]
    entry = ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="附件", files=files)
    stored = dict(Attachment.objects.filter(entry=entry).values_list("name", "content_type"))
    assert stored == {"photo.html": "image/png", "报价单": "application/pdf", "记录.txt": "text/plain"}


# Tiers (R4.3) -------------------------------------------------------------------------------------------------------


def test_remote_service_needs_the_customers_authorisation_and_each_step_its_reason(agent):
    ticket = make_ticket(agent)
    with pytest.raises(InvalidInput) as excinfo:
        ticket_change_tier(actor=agent, ticket=ticket, expected_version=ticket.version, tier=Tier.REMOTE,
                           reason="需远程查看配置")
    assert excinfo.value.code == "authorisation_required"
    with pytest.raises(InvalidInput) as excinfo:
        ticket_change_tier(actor=agent, ticket=ticket, expected_version=ticket.version, tier=Tier.REMOTE,
                           reason="", customer_authorised=True)
    assert "reason" in excinfo.value.errors
    ticket = ticket_change_tier(actor=agent, ticket=ticket, expected_version=ticket.version, tier=Tier.REMOTE,
                                reason="需远程查看配置", customer_authorised=True)
    assert (ticket.tier, ticket.remote_authorised) == (Tier.REMOTE, True)
    ticket = ticket_change_tier(actor=agent, ticket=ticket, expected_version=ticket.version, tier=Tier.ONSITE,
                                reason="远程无法解决，需上门")
    payloads = [e.payload for e in AuditEvent.objects.for_object(ticket).filter(action="ticket.tier_changed")
                .order_by("id")]
    assert payloads == [
        {"from": "hotline", "to": "remote", "reason": "需远程查看配置", "step": 1, "customer_authorised": True},
        {"from": "remote", "to": "onsite", "reason": "远程无法解决，需上门", "step": 1},
    ]
    with pytest.raises(PermissionDenied):
        ticket_change_tier(actor=make_staff(Role.QUALITY_SUPERVISOR), ticket=ticket,
                           expected_version=ticket.version, tier=Tier.HOTLINE, reason="x")


# Repeat contacts (R3.4) ---------------------------------------------------------------------------------------------


def test_a_repeat_contact_is_linked_and_counted(agent, manager):
    ticket = make_ticket(agent, contact_phone="13800138000")
    colleague = make_staff(Role.AGENT)
    repeat = ticket_link_repeat(actor=colleague, ticket=ticket, channel=Channel.PHONE, note="催问进度")
    ticket.refresh_from_db()
    assert ticket.repeat_contacts == 1 and repeat.taken_by_id == colleague.pk
    assert RepeatContact.objects.filter(ticket=ticket).count() == 1
    assert AuditEvent.objects.for_object(ticket).filter(action="ticket.repeat_contact").count() == 1
    cancelled = move(manager, ticket, Move.CANCEL, reason="重复登记")
    with pytest.raises(InvalidInput) as excinfo:
        ticket_link_repeat(actor=colleague, ticket=cancelled)
    assert excinfo.value.code == "ticket_closed"
    assert Ticket.objects.get(pk=ticket.pk).repeat_contacts == 1
    call_command("verify_audit")


def test_unknown_move_is_invalid_input_not_a_crash():
    agent = make_staff("agent")
    ticket = make_ticket(agent)
    with pytest.raises(InvalidInput) as excinfo:
        ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move="teleport")
    assert excinfo.value.code == "unknown_move"


def test_a_wall_clock_received_time_is_read_in_the_site_time_zone():
    agent = make_staff("agent")
    naive = (timezone.localtime() - timedelta(hours=3)).replace(tzinfo=None, microsecond=0)
    ticket = make_ticket(agent, received_at=naive)
    assert timezone.localtime(ticket.received_at).replace(tzinfo=None) == naive


def test_the_owner_cannot_accept_around_a_pending_handover():
    agent = make_staff("agent")
    ticket = make_ticket(agent)
    ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                     to_group=Group.objects.get(code="repair"), note="请上门")
    ticket.refresh_from_db()
    with pytest.raises(MoveNotAllowed):
        ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move=Move.ACCEPT)
