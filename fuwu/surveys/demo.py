"""Demo surveys (`manage.py seed_demo`): one published after-service questionnaire in Chinese, its
campaign, and invitations and answers for a share of the demo year's resolved requests, played
through the actions at their simulated instants (the invitation when the request was resolved, the
answers hours or days later: most by phone, entered by an agent, some online through the link).

The questionnaire and campaign are made after the requests, so the requests' own resolutions made
no invitation; the demo makes them here, as the campaign would have. With `recent`, only the most
recently resolved requests are considered (`seed_demo --fast`, a million requests, stays quick).
"""

import datetime
import heapq
import random
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.org.roles import Role
from fuwu.surveys import actions
from fuwu.surveys.models import CampaignKind, Channel, Invitation, QuestionKind
from fuwu.tickets.demo import simulated_clock
from fuwu.tickets.models import Ticket

INVITED_SHARE = 0.6
ANSWERED_SHARE = 0.45
COMMENTS = ["工程师很专业，问题一次解决。", "响应很快，点赞！", "希望上门时间能更准时一些。", "电话等待时间有点长。",
            "服务态度很好，耐心解答。", "建议增加周末上门服务。", "维修后设备运行正常，谢谢。", "沟通顺畅，处理及时。"]
IMPROVE = ["响应速度", "上门准时", "技术水平", "服务态度", "收费透明"]


def seed_survey_questionnaire(*, actor, at: datetime.datetime):
    """The after-service questionnaire (published) and its campaign; returns the campaign."""
    with simulated_clock() as clock:
        clock["at"] = at
        q = actions.questionnaire_create(
            actor=actor, code="after-service", title="售后服务满意度调查", section_title="服务评价",
            intro="感谢您选择我们的服务。请花两分钟告诉我们本次服务的感受，您的意见将帮助我们改进。")
        for kind, text, extra in (
            (QuestionKind.RATING, "总体满意度",
             {"counts_for_satisfaction": True, "help_text": "您对本次服务的总体评价"}),
            (QuestionKind.NPS, "您有多大可能向朋友或同事推荐我们的服务？", {}),
            (QuestionKind.RATING, "响应速度", {}),
            (QuestionKind.RATING, "服务人员的专业水平与态度", {"required": False}),
            (QuestionKind.MULTIPLE, "您认为我们最需要改进的方面", {"options": IMPROVE, "required": False}),
            (QuestionKind.TEXT, "意见建议", {"required": False}),
        ):
            q.refresh_from_db()
            actions.question_add(actor=actor, questionnaire=q, expected_version=q.version, section=None, kind=kind,
                                 text=text, **extra)
        q.refresh_from_db()
        q = actions.questionnaire_publish(actor=actor, questionnaire=q, expected_version=q.version)
        return actions.campaign_create(actor=actor, name="服务完成后满意度回访", kind=CampaignKind.AFTER_SERVICE,
                                       questionnaire=q, channel=Channel.EMAIL)


def _answers(rng: random.Random, questions, bias: float) -> dict[int, object]:
    overall = max(1, min(5, round(rng.gauss(4.2 + bias, 0.9))))
    nps = {5: (9, 10), 4: (7, 9), 3: (5, 8), 2: (2, 6), 1: (0, 4)}[overall]
    values: dict[int, object] = {}
    for q in questions:
        if q.kind == QuestionKind.NPS:
            values[q.pk] = rng.randint(*nps)
        elif q.kind == QuestionKind.RATING:
            values[q.pk] = overall if q.counts_for_satisfaction else max(1, min(5, overall + rng.choice([-1, 0, 0, 1])))
        elif q.kind == QuestionKind.MULTIPLE and overall <= 4 and rng.random() < 0.6:
            values[q.pk] = rng.sample(q.options, rng.randint(1, 2))
        elif q.kind == QuestionKind.TEXT and rng.random() < 0.3:
            values[q.pk] = rng.choice(COMMENTS)
    return values


def seed_surveys(*, seed: int, actor, recent: int | None = None, log: Callable[[str], None] | None = None) -> int:
    """The questionnaire, its campaign, and invitations and responses; returns the responses made."""
    started = time.perf_counter()
    resolved = Ticket.objects.filter(resolved_at__isnull=False).order_by("-resolved_at", "-id").select_related(
        "service_type")
    tickets = list(resolved[:recent] if recent else resolved)
    if not tickets:
        return 0
    tickets.reverse()
    now = timezone.now()
    campaign = seed_survey_questionnaire(actor=actor, at=tickets[0].resolved_at - datetime.timedelta(days=1))
    rng = random.Random(seed)
    agents = list(get_user_model().objects.filter(profile__roles__code=Role.AGENT, is_active=True).order_by("pk"))
    bias: dict[int | None, float] = {}
    queue: list[tuple[datetime.datetime, int, str, object]] = []
    for ticket in tickets:
        if rng.random() < INVITED_SHARE:
            queue.append((ticket.resolved_at, ticket.pk, "invite", ticket))
    heapq.heapify(queue)
    made = 0
    questions: list = []
    with simulated_clock() as clock:
        while queue:
            at, key, step, subject = heapq.heappop(queue)
            clock["at"] = at
            if step == "invite":
                invitation = actions.invitation_create(actor=subject.owner, campaign=campaign, ticket=subject,
                                                       dedupe_key=f"after:t{subject.pk}", email=subject.contact_email)
                if invitation is None or rng.random() >= ANSWERED_SHARE:
                    continue
                answer_at = at + datetime.timedelta(hours=rng.uniform(2, 24 * 6))
                if answer_at < now:
                    heapq.heappush(queue, (answer_at, key, "answer", invitation))
                continue
            invitation: Invitation = subject
            questions = questions or list(invitation.questionnaire.questions.order_by("position"))
            staff_bias = bias.setdefault(invitation.staff_id, rng.uniform(-0.6, 0.4))
            by_phone = bool(agents) and rng.random() < 0.7
            actions.response_submit(actor=rng.choice(agents) if by_phone else None, invitation=invitation,
                                    answers=_answers(rng, questions, staff_bias),
                                    channel=Channel.PHONE if by_phone else Channel.ONLINE)
            made += 1
    if log is not None:
        invited = Invitation.objects.filter(campaign=campaign).count()
        log(f"{invited} survey invitations, {made} responses in {time.perf_counter() - started:.1f} s.")
    return made

