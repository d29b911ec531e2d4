"""Every change to surveys (R9.1): one transaction, one permission check, one audit event each.

Questionnaires are built as drafts (sections and questions added, moved, removed), published, and
revised into the next version; a published version is never changed. Invitations are made by the
campaigns (`fuwu/surveys/campaigns.py`) and answered once, online through the link or entered by
an agent from a phone call or a paper form.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import Conflict, InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_email, outbox_notify
from fuwu.customers.models import Customer
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.models import ServiceKind, ServiceType
from fuwu.surveys import tokens
from fuwu.surveys.answers import clean_answers
from fuwu.surveys.codes import SurveyAction, SurveyError
from fuwu.surveys.models import (
    CHOICE_KINDS,
    Answer,
    Campaign,
    CampaignKind,
    Channel,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Response,
    Section,
    Topic,
)
from fuwu.tickets.models import Ticket

MAX_OPTIONS = 12
DISSATISFIED_AT_MOST = 2  # a satisfaction rating of 1 or 2 of 5 is a problem to act on (R9.1, R9.5)


def _draft(questionnaire_pk: int, expected_version: int | None) -> Questionnaire:
    locked = lock_row(Questionnaire.objects.all(), questionnaire_pk, expected_version=expected_version,
                      report=("status",))
    if not locked.is_draft:
        raise InvalidInput(code=SurveyError.NOT_DRAFT, errors={"questionnaire": [
            _("A published questionnaire is not changed; revise it into a new version.")]})
    return locked


def _check_head(title: str, intro: str, topic: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the questionnaire a title.")]
    elif len(title.strip()) > 120:
        errors["title"] = [_("At most 120 characters.")]
    if len(intro) > 1000:
        errors["intro"] = [_("At most 1,000 characters.")]
    if topic not in Topic.values:
        errors["topic"] = [_("Choose what the survey covers.")]
    return errors


@transaction.atomic
def questionnaire_create(*, actor, code: str, title: str, intro: str = "", topic: str = Topic.AFTER_SALES,
                         section_title: str = "") -> Questionnaire:
    """A new questionnaire: version 1, a draft, with its first section."""
    require(actor, Perm.SURVEY_MANAGE)
    code = code.strip().lower()
    errors = _check_head(title, intro, topic)
    if not code or len(code) > 40 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
        errors["code"] = [_("Letters, digits, - and _ only, at most 40.")]
    elif Questionnaire.objects.filter(code=code).exists():
        errors["code"] = [_("Another questionnaire has this code.")]
    if errors:
        raise InvalidInput(errors=errors)
    questionnaire = Questionnaire.objects.create(code=code, title=title.strip(), intro=intro.strip(), topic=topic,
                                                 created_by=actor, created_at=timezone.now())
    Section.objects.create(questionnaire=questionnaire, position=1, title=section_title.strip()[:120])
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_CREATED, obj=questionnaire,
                 payload={"code": code, "edition": 1, "title": questionnaire.title})
    return questionnaire


@transaction.atomic
def questionnaire_edit(*, actor, questionnaire: Questionnaire, expected_version: int | None, title: str,
                       intro: str, topic: str) -> Questionnaire:
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(questionnaire.pk, expected_version)
    errors = _check_head(title, intro, topic)
    if errors:
        raise InvalidInput(errors=errors)
    before = {"title": locked.title, "intro": locked.intro, "topic": locked.topic}
    locked.title, locked.intro, locked.topic = title.strip(), intro.strip(), topic
    bump_version(locked, "title", "intro", "topic")
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_EDITED, obj=locked, payload={
        "change": "head", "before": before, "after": {"title": locked.title, "intro": locked.intro, "topic": topic}})
    return locked


@transaction.atomic
def section_add(*, actor, questionnaire: Questionnaire, expected_version: int | None, title: str) -> Section:
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(questionnaire.pk, expected_version)
    if not title.strip() or len(title.strip()) > 120:
        raise InvalidInput(errors={"title": [_("Give the section a title of at most 120 characters.")]})
    position = (locked.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(questionnaire=locked, position=position, title=title.strip())
    bump_version(locked)
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_EDITED, obj=locked,
                 payload={"change": "section_added", "section": section.title, "position": position})
    return section


def _clean_options(kind: str, options: list[str]) -> tuple[list[str], list[str]]:
    cleaned = list(dict.fromkeys(o.strip() for o in options if o and o.strip()))
    problems = []
    if kind in CHOICE_KINDS:
        if len(cleaned) < 2:
            problems.append(_("A choice question needs at least two options, one per line."))
        if len(cleaned) > MAX_OPTIONS:
            problems.append(_("At most %(n)d options.") % {"n": MAX_OPTIONS})
        if any(len(o) > 100 for o in cleaned):
            problems.append(_("An option has at most 100 characters."))
        return cleaned, problems
    return [], problems


@transaction.atomic
def question_add(*, actor, questionnaire: Questionnaire, expected_version: int | None, section: Section | None,
                 kind: str, text: str, help_text: str = "", required: bool = True, options: list[str] | None = None,
                 counts_for_satisfaction: bool = False) -> Question:
    """A question at the end of its section (the first section when none is named)."""
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(questionnaire.pk, expected_version)
    errors: dict[str, list[str]] = {}
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Choose the kind of question.")]
    if not text.strip() or len(text.strip()) > 300:
        errors["text"] = [_("Write the question, at most 300 characters.")]
    if len(help_text.strip()) > 300:
        errors["help_text"] = [_("At most 300 characters.")]
    cleaned, problems = _clean_options(kind, options or [])
    if problems:
        errors["options"] = problems
    if counts_for_satisfaction and kind != QuestionKind.RATING:
        errors["counts_for_satisfaction"] = [_("Only a 1–5 rating counts for the satisfaction rate.")]
    section = section or locked.sections.order_by("position", "id").first()
    if section is None or section.questionnaire_id != locked.pk:
        errors["section"] = [_("Choose a section of this questionnaire.")]
    if errors:
        raise InvalidInput(errors=errors)
    position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(
        questionnaire=locked, section=section, position=position, kind=kind, text=text.strip(),
        help_text=help_text.strip(), required=required, options=cleaned,
        counts_for_satisfaction=counts_for_satisfaction)
    bump_version(locked)
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_EDITED, obj=locked, payload={
        "change": "question_added", "question": question.pk, "kind": kind, "text": question.text,
        "required": required, "options": cleaned, "section": section.pk})
    return question


@transaction.atomic
def question_move(*, actor, question: Question, expected_version: int | None, direction: str) -> Question:
    """One place up or down within its section."""
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(question.questionnaire_id, expected_version)
    question = Question.objects.get(pk=question.pk)
    if direction not in ("up", "down"):
        raise InvalidInput(errors={"direction": [_("Move up or down.")]})
    siblings = list(question.section.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, q in enumerate(siblings, start=1):
            if q.position != position:
                q.position = position
                q.save(update_fields=["position"])
        bump_version(locked)
        audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_EDITED, obj=locked, payload={
            "change": "question_moved", "question": question.pk, "direction": direction,
            "order": [q.pk for q in siblings]})
    return question


@transaction.atomic
def question_remove(*, actor, question: Question, expected_version: int | None) -> None:
    """Take a question out of a draft. A draft has never been sent, so no answer refers to it; the
    audit event keeps what the question said. A published version's questions are never removed."""
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(question.questionnaire_id, expected_version)
    question = Question.objects.get(pk=question.pk)
    payload = {"change": "question_removed", "question": question.pk, "kind": question.kind, "text": question.text}
    question.delete()
    bump_version(locked)
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_EDITED, obj=locked, payload=payload)


@transaction.atomic
def questionnaire_publish(*, actor, questionnaire: Questionnaire, expected_version: int | None) -> Questionnaire:
    """The draft becomes the version sent from now on; the version it replaces is retired (its
    invitations and responses stay, pointing at it)."""
    require(actor, Perm.SURVEY_MANAGE)
    locked = _draft(questionnaire.pk, expected_version)
    if not locked.questions.exists():
        raise InvalidInput(code=SurveyError.EMPTY, errors={"questionnaire": [
            _("Add at least one question before publishing.")]})
    now = timezone.now()
    replaced = (Questionnaire.objects.select_for_update()
                .filter(code=locked.code, status=QuestionnaireStatus.PUBLISHED).first())
    if replaced is not None:
        replaced.status, replaced.retired_at = QuestionnaireStatus.RETIRED, now
        bump_version(replaced, "status", "retired_at")
    locked.status, locked.published_at = QuestionnaireStatus.PUBLISHED, now
    bump_version(locked, "status", "published_at")
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_PUBLISHED, obj=locked, payload={
        "code": locked.code, "edition": locked.edition, "replaces": replaced.edition if replaced else None,
        "questions": locked.questions.count()})
    return locked


@transaction.atomic
def questionnaire_revise(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """Copy a version into the next one, a draft to edit; the copied version stays as it is."""
    require(actor, Perm.SURVEY_MANAGE)
    source = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if Questionnaire.objects.filter(code=source.code, status=QuestionnaireStatus.DRAFT).exists():
        raise InvalidInput(code=SurveyError.DRAFT_EXISTS, errors={"questionnaire": [
            _("This questionnaire already has a draft of its next version.")]})
    edition = (Questionnaire.objects.filter(code=source.code).aggregate(m=Max("edition"))["m"] or 0) + 1
    draft = Questionnaire.objects.create(code=source.code, edition=edition, title=source.title, intro=source.intro,
                                         topic=source.topic, created_by=actor, created_at=timezone.now())
    for section in source.sections.order_by("position", "id"):
        copy = Section.objects.create(questionnaire=draft, position=section.position, title=section.title)
        Question.objects.bulk_create([
            Question(questionnaire=draft, section=copy, position=q.position, kind=q.kind, text=q.text,
                     help_text=q.help_text, required=q.required, options=q.options,
                     counts_for_satisfaction=q.counts_for_satisfaction)
            for q in section.questions.order_by("position", "id")])
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_REVISED, obj=draft,
                 payload={"code": draft.code, "edition": edition, "from_edition": source.edition})
    return draft


@transaction.atomic
def questionnaire_retire(*, actor, questionnaire: Questionnaire, expected_version: int | None) -> Questionnaire:
    """Stop sending a published version (its campaigns make no more invitations until a new version is published)."""
    require(actor, Perm.SURVEY_MANAGE)
    locked = lock_row(Questionnaire.objects.all(), questionnaire.pk, expected_version=expected_version)
    if locked.status != QuestionnaireStatus.PUBLISHED:
        raise InvalidInput(code=SurveyError.NOT_PUBLISHED, errors={"questionnaire": [
            _("Only a published version is retired.")]})
    locked.status, locked.retired_at = QuestionnaireStatus.RETIRED, timezone.now()
    bump_version(locked, "status", "retired_at")
    audit_record(actor=actor, action=SurveyAction.QUESTIONNAIRE_RETIRED, obj=locked,
                 payload={"code": locked.code, "edition": locked.edition})
    return locked


# Campaigns ----------------------------------------------------------------------------------------

def _check_campaign(name: str, kind: str, questionnaire: Questionnaire | None, service_kinds: list[str],
                    sample_size: int, channel: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name.strip()) > 120:
        errors["name"] = [_("Name the campaign, at most 120 characters.")]
    if kind not in CampaignKind.values:
        errors["kind"] = [_("Choose when invitations are made.")]
    if questionnaire is None:
        errors["questionnaire"] = [_("Choose a questionnaire.")]
    if any(k not in ServiceKind.values for k in service_kinds):
        errors["service_kinds"] = [_("Choose kinds of request from the list.")]
    if kind in (CampaignKind.MONTHLY, CampaignKind.QUARTERLY, CampaignKind.YEARLY) and not 1 <= sample_size <= 10000:
        errors["sample_size"] = [_("A sampled campaign invites between 1 and 10,000 each period.")]
    if channel not in (Channel.EMAIL, Channel.PORTAL, Channel.PHONE, Channel.PAPER):
        errors["channel"] = [_("Choose how invitations go out.")]
    return errors


@transaction.atomic
def campaign_create(*, actor, name: str, kind: str, questionnaire: Questionnaire | None,
                    service_kinds: list[str] | None = None, service_types: list[ServiceType] | None = None,
                    sample_size: int = 0, channel: str = Channel.EMAIL) -> Campaign:
    require(actor, Perm.SURVEY_MANAGE)
    service_kinds = list(service_kinds or [])
    errors = _check_campaign(name, kind, questionnaire, service_kinds, sample_size, channel)
    if errors:
        raise InvalidInput(errors=errors)
    campaign = Campaign.objects.create(name=name.strip(), kind=kind, questionnaire=questionnaire,
                                       service_kinds=service_kinds, sample_size=sample_size, channel=channel,
                                       created_by=actor, created_at=timezone.now())
    campaign.service_types.set(service_types or [])
    audit_record(actor=actor, action=SurveyAction.CAMPAIGN_CREATED, obj=campaign, payload=_campaign_payload(campaign))
    return campaign


def _campaign_payload(campaign: Campaign) -> dict[str, Any]:
    return {"name": campaign.name, "kind": campaign.kind, "questionnaire": campaign.questionnaire.code,
            "service_kinds": campaign.service_kinds,
            "service_types": sorted(t.code for t in campaign.service_types.all()),
            "sample_size": campaign.sample_size, "channel": campaign.channel, "active": campaign.is_active}


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, expected_version: int | None, name: str, kind: str,
                    questionnaire: Questionnaire | None, service_kinds: list[str], service_types: list[ServiceType],
                    sample_size: int, channel: str, is_active: bool) -> Campaign:
    require(actor, Perm.SURVEY_MANAGE)
    locked = lock_row(Campaign.objects.all(), campaign.pk, expected_version=expected_version)
    errors = _check_campaign(name, kind, questionnaire, service_kinds, sample_size, channel)
    if errors:
        raise InvalidInput(errors=errors)
    before = _campaign_payload(locked)
    locked.name, locked.kind, locked.questionnaire = name.strip(), kind, questionnaire
    locked.service_kinds, locked.sample_size, locked.channel, locked.is_active = (
        list(service_kinds), sample_size, channel, is_active)
    bump_version(locked, "name", "kind", "questionnaire", "service_kinds", "sample_size", "channel", "is_active")
    locked.service_types.set(service_types)
    audit_record(actor=actor, action=SurveyAction.CAMPAIGN_CHANGED, obj=locked,
                 payload={"before": before, "after": _campaign_payload(locked)})
    return locked


# Invitations --------------------------------------------------------------------------------------

def current_version(campaign: Campaign) -> Questionnaire | None:
    """The published version of the campaign's questionnaire that invitations are made with now."""
    return Questionnaire.objects.filter(code=campaign.questionnaire.code, status=QuestionnaireStatus.PUBLISHED).first()


@transaction.atomic
def invitation_create(*, actor, campaign: Campaign, dedupe_key: str, ticket: Ticket | None = None,
                      customer: Customer | None = None, email: str = "", contact_name: str = "",
                      contact_phone: str = "") -> Invitation | None:
    """Invite one customer, once per `dedupe_key` (None when already invited, or when the campaign's
    questionnaire has no published version). Called by the campaigns inside the caller's transaction
    (the request's resolution, the sampling job): it writes the row, the audit event and, for the
    e-mail channel, the e-mail with the link."""
    questionnaire = current_version(campaign)
    if questionnaire is None:
        return None
    now = timezone.now()
    _token, nonce, token_hash = tokens.new_token()
    channel = campaign.channel
    if channel == Channel.EMAIL and not email:
        channel = Channel.PHONE  # no address: an agent calls
    try:
        with transaction.atomic():  # a savepoint: a second invitation with the key is refused, nothing else
            invitation = Invitation.objects.create(
                campaign=campaign, questionnaire=questionnaire, ticket=ticket,
                customer=customer or (ticket.customer if ticket else None),
                staff=ticket.owner if ticket else None, group=ticket.group if ticket else None,
                service_type=ticket.service_type if ticket else None,
                contact_name=(contact_name or (ticket.contact_name if ticket else ""))[:64],
                contact_phone=(contact_phone or (ticket.contact_phone if ticket else ""))[:20],
                email=email if channel == Channel.EMAIL else "", channel=channel, dedupe_key=dedupe_key,
                token_hash=token_hash, nonce=nonce, created_at=now,
                expires_at=now + datetime.timedelta(days=settings.FUWU_SURVEY_EXPIRY_DAYS))
    except IntegrityError:
        return None
    if invitation.email:
        _mail_invitation(invitation, tokens.public_url(nonce), ticket)
    audit_record(actor=actor, action=SurveyAction.INVITED, obj=invitation, payload={
        "campaign": campaign.pk, "questionnaire": questionnaire.code, "edition": questionnaire.edition,
        "ticket": ticket.number if ticket else None, "customer": invitation.customer_id, "channel": channel,
        "expires_at": invitation.expires_at.isoformat()})
    return invitation


def _mail_invitation(invitation: Invitation, url: str, ticket: Ticket | None) -> None:
    """The e-mail with the link, in the site's language (the customer's own is not known)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("How did we do? A short survey about your service request")
        greeting = _("Dear %(name)s,") % {"name": invitation.contact_name} if invitation.contact_name else ""
        lines = [greeting,
                 _("Thank you for contacting us. Please tell us in two minutes how we served you:"),
                 url,
                 _("The link is yours alone and works until %(day)s.") % {
                     "day": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}]
        if ticket is not None:
            lines.insert(1, _("Your request %(number)s has been resolved.") % {"number": ticket.number})
    body = "\n\n".join(str(line) for line in lines if line)
    outbox_email(addresses=[invitation.email], subject=str(subject), body=body,
                 dedupe_key=f"survey-invitation:{invitation.pk}", obj=ticket)


# Responses ----------------------------------------------------------------------------------------

@transaction.atomic
def response_submit(*, actor, invitation: Invitation, answers: dict[int, Any],
                    channel: str = Channel.ONLINE) -> Response:
    """Record the answers to an invitation, once.

    Online (through the link, `actor` None) only before the invitation expires; an agent with
    `SURVEY_ENTER` enters a phone call's or a paper form's answers (`channel` phone or paper), also
    after the link has expired: paper comes back late. A second submit is refused with
    `ALREADY_ANSWERED`; two at the same moment meet the row lock and the unique response per invitation.
    """
    if channel not in (Channel.ONLINE, Channel.PORTAL, Channel.PHONE, Channel.PAPER):
        raise InvalidInput(errors={"channel": [_("Choose how the answers came in.")]})
    entered = channel in (Channel.PHONE, Channel.PAPER)
    if entered:
        require(actor, Perm.SURVEY_ENTER)
    locked = Invitation.objects.select_for_update().select_related("questionnaire").get(pk=invitation.pk)
    if locked.answered_at is not None:
        raise Conflict(_("This survey has already been answered. Thank you."), code=SurveyError.ALREADY_ANSWERED)
    now = timezone.now()
    if not entered and locked.expires_at <= now:
        raise InvalidInput(_("This survey link has expired."), code=SurveyError.EXPIRED)
    questions = list(locked.questionnaire.questions.select_related("section").order_by(
        "section__position", "position", "id"))
    rows = clean_answers(questions, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(invitation=locked, questionnaire=locked.questionnaire, channel=channel,
                                               entered_by=actor if entered else None, submitted_at=now)
    except IntegrityError:
        raise Conflict(_("This survey has already been answered. Thank you."),
                       code=SurveyError.ALREADY_ANSWERED) from None
    Answer.objects.bulk_create([Answer(response=response, **row) for row in rows])
    locked.answered_at = now
    locked.save(update_fields=["answered_at"])
    audit_record(actor=actor, action=SurveyAction.ANSWERED, obj=response, payload={
        "invitation": locked.pk, "questionnaire": locked.questionnaire.code, "edition": locked.questionnaire.edition,
        "channel": channel, "answers": len(rows)})
    _tell_of_dissatisfaction(locked, response, rows)
    return response


def _tell_of_dissatisfaction(invitation: Invitation, response: Response, rows: list[dict[str, Any]]) -> None:
    """A dissatisfied answer is fed back at once (R9.1 "problems acted on", R9.5 real-time feedback): the
    quality supervisors and the service managers get the response, the leader of the group that served
    the customer gets the request. Once per response."""
    ratings = [row["number"] for row in rows
               if row["question"].counts_for_satisfaction and row.get("number") is not None]
    if not ratings or min(ratings) > DISSATISFIED_AT_MOST:
        return
    ticket = invitation.ticket

    def subject() -> str:  # worded in each reader's language
        about = ticket.number if ticket else (invitation.contact_name or _("a customer"))
        return _("Dissatisfied survey answer (%(score)s of 5) about %(about)s") % {"score": min(ratings),
                                                                                    "about": about}

    body = "\n".join(row["text"] for row in rows if row["question"].kind == QuestionKind.TEXT and row["text"])[:1000]
    outbox_notify(recipients=users_holding(Role.QUALITY_SUPERVISOR, Role.MANAGER), subject=subject, body=body,
                  url=f"/surveys/responses/{response.pk}/", obj=response,
                  dedupe_key=f"survey.dissatisfied:{response.pk}")
    leader = invitation.group.leader if invitation.group_id else None
    if leader is not None and ticket is not None:
        outbox_notify(recipients=[leader], subject=subject, body=body, url=f"/tickets/{ticket.pk}/", obj=response,
                      dedupe_key=f"survey.dissatisfied.leader:{response.pk}")
