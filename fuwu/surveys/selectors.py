"""Reads of surveys, each scoped to the viewer (R9.1); the public page's lookup by token."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fuwu.core.errors import NotFound, PermissionDenied
from fuwu.org.policy import Perm, can
from fuwu.surveys import tokens
from fuwu.surveys.models import Campaign, Channel, Invitation, Questionnaire, QuestionnaireStatus, Response


def may_read(viewer) -> bool:
    return can(viewer, Perm.SURVEY_VIEW) or can(viewer, Perm.SURVEY_MANAGE)


def _require_read(viewer) -> None:
    if not may_read(viewer):
        raise PermissionDenied()


def questionnaires_visible_to(viewer) -> QuerySet[Questionnaire]:
    """Every version, with its question and response counts, for those who build or read surveys."""
    if not may_read(viewer):
        return Questionnaire.objects.none()
    return Questionnaire.objects.annotate(
        question_count=Count("questions", distinct=True), response_count=Count("responses", distinct=True),
    ).order_by("code", "-edition")


def questionnaire_for(viewer, questionnaire_id: int) -> Questionnaire:
    questionnaire = questionnaires_visible_to(viewer).filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise NotFound()
    return questionnaire


def questionnaire_layout(questionnaire: Questionnaire) -> list[tuple]:
    """Its sections in order, each with its questions in order: two queries."""
    sections = list(questionnaire.sections.order_by("position", "id"))
    by_section: dict[int, list] = {s.pk: [] for s in sections}
    for question in questionnaire.questions.order_by("position", "id"):
        by_section[question.section_id].append(question)
    return [(section, by_section[section.pk]) for section in sections]


def versions_of(questionnaire: Questionnaire) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(code=questionnaire.code).annotate(
        response_count=Count("responses")).order_by("-edition")


def published_questionnaires() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by("title")


def campaigns_visible_to(viewer) -> QuerySet[Campaign]:
    if not may_read(viewer):
        return Campaign.objects.none()
    return Campaign.objects.select_related("questionnaire").prefetch_related("service_types").annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True))


def campaign_for(viewer, campaign_id: int) -> Campaign:
    campaign = campaigns_visible_to(viewer).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


# The public link ------------------------------------------------------------------------------------

def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None: found by the token's hash, so nothing about a
    wrong token (its length, a near miss) changes what is compared or answered."""
    if not tokens.looks_like_token(token):
        return None
    return Invitation.objects.select_related("questionnaire", "ticket").filter(
        token_hash=tokens.hash_token(token)).first()


@dataclass(frozen=True)
class OpenInvitation:
    id: int
    title: str
    ticket_number: str
    sent_at: datetime.datetime
    expires_at: datetime.datetime
    url: str  # the public page's path, /s/<token>/


def invitations_open_for_customer(customer_id: int) -> list[OpenInvitation]:
    """The customer's invitations not answered and not expired, newest first, with their links (for
    the customer portal, which scopes the customer to its login)."""
    rows = (Invitation.objects.filter(customer_id=customer_id, answered_at__isnull=True,
                                      expires_at__gt=timezone.now())
            .select_related("questionnaire", "ticket").order_by("-created_at", "-id")[:50])
    return [OpenInvitation(i.pk, i.questionnaire.title, i.ticket.number if i.ticket else "", i.created_at,
                           i.expires_at, tokens.public_path(i.nonce)) for i in rows]


# Entering answers and reading them ----------------------------------------------------------------

def invitations_to_enter(viewer, *, channel: str = "") -> QuerySet[Invitation]:
    """Open invitations an agent may answer for the customer (a phone call, a paper form), those to
    call first. Empty without SURVEY_ENTER."""
    if not can(viewer, Perm.SURVEY_ENTER):
        return Invitation.objects.none()
    qs = Invitation.objects.filter(answered_at__isnull=True).select_related(
        "questionnaire", "ticket", "customer", "staff")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-id")


def invitation_to_enter(viewer, invitation_id: int) -> Invitation:
    invitation = (Invitation.objects.filter(pk=invitation_id).select_related("questionnaire", "ticket", "customer")
                  .first() if can(viewer, Perm.SURVEY_ENTER) else None)
    if invitation is None:
        raise NotFound()
    return invitation


def responses_visible_to(viewer) -> QuerySet[Response]:
    if not can(viewer, Perm.SURVEY_VIEW):
        return Response.objects.none()
    return Response.objects.select_related(
        "questionnaire", "invitation", "invitation__ticket", "invitation__staff", "invitation__group",
        "invitation__service_type", "entered_by")


def response_for(viewer, response_id: int) -> Response:
    response = responses_visible_to(viewer).filter(pk=response_id).first()
    if response is None:
        raise NotFound()
    return response


def response_answers(response: Response) -> list[tuple]:
    """Each question of the version answered, in order, with its answer (None when skipped)."""
    answers = {a.question_id: a for a in response.answers.all()}
    return [(section, [(q, answers.get(q.pk)) for q in questions])
            for section, questions in questionnaire_layout(response.questionnaire)]
