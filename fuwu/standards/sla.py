"""Which SLA targets apply to a request (R10.4, R4.4): policy matching with a fixed precedence.

A policy matches when each of its criteria is blank or equal to the request's. For each clock,
the target comes from the matching policy that sets one for that clock and has the most
significant criteria; significance is ranked service type > priority > customer class > region >
channel, like digits of a number, so a type-specific policy always beats a priority-only one,
and a policy for (type, region) beats one for (type) alone. On-site arrival targets may name a
region; the one for the request's region beats the one without.
"""

import time
from dataclasses import dataclass

from django.conf import settings
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


@dataclass(frozen=True)
class _PolicyTable:
    """The active policies, the one that takes precedence first, with their targets."""

    policies: tuple[SlaPolicy, ...]
    targets: dict[int, tuple[SlaTarget, ...]]
    loaded: float


_table: _PolicyTable | None = None


def _policy_table() -> _PolicyTable:
    """Policies are a few dozen rows read on every registration and move: kept per process.

    Reloaded (two queries) at most once per FUWU_STANDARDS_CACHE_SECONDS, and at once in the process
    that changes them (`forget_policies`); another process sees a change within that time.
    """
    global _table
    table = _table
    if table is not None and time.monotonic() - table.loaded < settings.FUWU_STANDARDS_CACHE_SECONDS:
        return table
    policies = sorted(SlaPolicy.objects.filter(is_active=True), key=lambda p: (-precedence(p), p.pk))
    by_pk = {policy.pk: policy for policy in policies}
    targets: dict[int, list[SlaTarget]] = {pk: [] for pk in by_pk}
    for target in SlaTarget.objects.filter(policy__is_active=True).order_by("pk"):
        if target.policy_id in by_pk:
            target.policy = by_pk[target.policy_id]
            targets[target.policy_id].append(target)
    table = _PolicyTable(tuple(policies), {pk: tuple(found) for pk, found in targets.items()}, time.monotonic())
    _table = table
    return table


def forget_policies() -> None:
    """After a change of policies in this process, and for tests."""
    global _table
    _table = None


def _matches(policy: SlaPolicy, facts: Facts) -> bool:
    return all(
        not wanted or wanted == given
        for wanted, given in (
            (policy.service_type_id, facts.service_type_id),
            (policy.priority, facts.priority),
            (policy.customer_class, facts.customer_class),
            (policy.region_id, facts.region_id),
            (policy.channel, facts.channel),
        )
    )


def targets_for(facts: Facts) -> dict[str, SlaTarget]:
    """{clock kind: the target that applies}, per the precedence above.

    The targets are shared by the process's callers: read them, never change them.
    """
    table = _policy_table()
    chosen: dict[str, tuple[tuple[int, int], SlaTarget]] = {}
    for rank, policy in enumerate(p for p in table.policies if _matches(p, facts)):
        for target in table.targets[policy.pk]:
            if target.region_id and target.region_id != facts.region_id:
                continue
            key = (rank, 0 if target.region_id else 1)
            if target.kind not in chosen or key < chosen[target.kind][0]:
                chosen[target.kind] = (key, target)
    return {kind: target for kind, (_key, target) in chosen.items()}


def same_criteria(policy: SlaPolicy) -> Q:
    """Other active policies with exactly these criteria (which would make the precedence ambiguous)."""
    return Q(
        service_type_id=policy.service_type_id, priority=policy.priority, customer_class=policy.customer_class,
        region_id=policy.region_id, channel=policy.channel, is_active=True,
    ) & ~Q(pk=policy.pk)
