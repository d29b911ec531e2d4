"""Which SLA targets apply to a request (R10.4, R4.4): policy matching with a fixed precedence.

A policy matches when each of its criteria is blank or equal to the request's. For each clock,
the target comes from the matching policy that sets one for that clock and has the most
significant criteria; significance is ranked service type > priority > customer class > region >
channel, like digits of a number, so a type-specific policy always beats a priority-only one,
and a policy for (type, region) beats one for (type) alone. On-site arrival targets may name a
region; the one for the request's region beats the one without.
"""

from dataclasses import dataclass

from django.db.models import Q

from fuwu.standards.models import SlaPolicy, SlaTarget

# The weight of each criterion; a policy's precedence is the sum over the criteria it sets.
CRITERIA_WEIGHTS = {"service_type": 16, "priority": 8, "customer_class": 4, "region": 2, "channel": 1}


@dataclass(frozen=True)
class Facts:
    """What the policies look at on a request."""

    service_type_id: int | None
    priority: str
    customer_class: str
    region_id: int | None
    channel: str


def precedence(policy: SlaPolicy) -> int:
    return sum(
        weight for name, weight in CRITERIA_WEIGHTS.items()
        if getattr(policy, f"{name}_id" if name in ("service_type", "region") else name)
    )


def _blank_or(field: str, value) -> Q:
    blank = Q(**{f"{field}__isnull": True}) if field.endswith("_id") else Q(**{field: ""})
    return blank | Q(**{field: value}) if value not in (None, "") else blank


def matching_policies(facts: Facts) -> list[SlaPolicy]:
    """Active policies matching the request, the one that takes precedence first."""
    policies = SlaPolicy.objects.filter(
        _blank_or("service_type_id", facts.service_type_id),
        _blank_or("priority", facts.priority),
        _blank_or("customer_class", facts.customer_class),
        _blank_or("region_id", facts.region_id),
        _blank_or("channel", facts.channel),
        is_active=True,
    )
    return sorted(policies, key=lambda p: (-precedence(p), p.pk))


def targets_for(facts: Facts) -> dict[str, SlaTarget]:
    """{clock kind: the target that applies}, per the precedence above."""
    policies = matching_policies(facts)
    rank = {policy.pk: index for index, policy in enumerate(policies)}
    chosen: dict[str, tuple[tuple[int, int], SlaTarget]] = {}
    targets = SlaTarget.objects.filter(policy__in=policies).filter(
        Q(region__isnull=True) | Q(region_id=facts.region_id)
    ).select_related("policy")
    for target in targets:
        key = (rank[target.policy_id], 0 if target.region_id else 1)
        if target.kind not in chosen or key < chosen[target.kind][0]:
            chosen[target.kind] = (key, target)
    return {kind: target for kind, (_key, target) in chosen.items()}


def same_criteria(policy: SlaPolicy) -> Q:
    """Other active policies with exactly these criteria (which would make the precedence ambiguous)."""
    return Q(
        service_type_id=policy.service_type_id, priority=policy.priority, customer_class=policy.customer_class,
        region_id=policy.region_id, channel=policy.channel, is_active=True,
    ) & ~Q(pk=policy.pk)
