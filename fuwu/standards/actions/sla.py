"""SLA policies (R10.4, R4.4): created, changed and retired with their targets, each in one audited step.

The admin, the demo data and code all call these. Two active policies with the same criteria are
refused, so the precedence is never ambiguous. Targets are never deleted (request clocks refer to
them): a change edits them or adds new ones, and retiring a policy makes it inactive. Every change
empties this process's policy table (`forget_policies`); other processes see it within
FUWU_STANDARDS_CACHE_SECONDS.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, NotFound
from fuwu.core.locking import bump_version, lock_row
from fuwu.org.models import Region
from fuwu.org.policy import Perm, require
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import ClockKind, ServiceCalendar, ServiceType, SlaPolicy, SlaTarget
from fuwu.standards.sla import forget_policies, same_criteria

CRITERIA = ("service_type", "priority", "customer_class", "region", "channel")


@dataclass(frozen=True)
class TargetInput:
    kind: str
    calendar: ServiceCalendar
    minutes: int | None = None  # None: done the same business day (R10.4)
    region: Region | None = None  # on-site arrival per region (R4.4)
    warn_percent: int = 75
    target_id: int | None = None  # on a change: the policy's target this row edits; None adds one


def _allowed(actor) -> None:
    if actor is not None:
        require(actor, Perm.STANDARDS_MANAGE)


def _target_json(target: SlaTarget | TargetInput) -> dict[str, Any]:
    return {"kind": target.kind, "minutes": target.minutes, "region": getattr(target.region, "code", None),
            "calendar": target.calendar.code, "warn_percent": target.warn_percent}


def _policy_json(policy: SlaPolicy) -> dict[str, Any]:
    return {"name": policy.name, "service_type": getattr(policy.service_type, "code", None),
            "priority": policy.priority, "customer_class": policy.customer_class,
            "region": getattr(policy.region, "code", None), "channel": policy.channel,
            "description": policy.description, "is_active": policy.is_active}


def _check(policy: SlaPolicy, targets: list[TargetInput], kept: list[SlaTarget]) -> None:
    """Raise InvalidInput for a nameless policy, a second active one with the same criteria, or
    targets that repeat a clock (per region) or set no time; `kept` are targets left as they are."""
    errors: dict[str, list[str]] = {}
    if not policy.name:
        errors["name"] = [_("Give the policy a name.")]
    if policy.is_active and SlaPolicy.objects.filter(same_criteria(policy)).exists():
        errors["criteria"] = [_("An active policy with exactly these criteria exists; change that one.")]
    seen = {(t.kind, t.region_id) for t in kept}
    for index, target in enumerate(targets):
        key = (target.kind, getattr(target.region, "pk", None))
        if target.kind not in ClockKind.values or key in seen:
            errors[f"targets_{index}"] = [_("Each clock may have one target per region (and one without).")]
        elif target.minutes is not None and target.minutes <= 0:
            errors[f"targets_{index}"] = [_("Give the business minutes, or tick “done the same business day”.")]
        elif not 1 <= target.warn_percent <= 99:
            errors[f"targets_{index}"] = [_("Warn between 1 and 99 percent of the time.")]
        seen.add(key)
    if errors:
        raise InvalidInput(errors=errors)


def _target_fields(target: TargetInput) -> dict[str, Any]:
    return {"kind": target.kind, "region": target.region, "minutes": target.minutes, "calendar": target.calendar,
            "end_of_business_day": target.minutes is None, "warn_percent": target.warn_percent}


@transaction.atomic
def sla_policy_create(*, actor, name: str, targets: list[TargetInput], service_type: ServiceType | None = None,
                      priority: str = "", customer_class: str = "", region: Region | None = None,
                      channel: str = "", description: str = "", is_active: bool = True) -> SlaPolicy:
    """A policy and its targets (R10.4); refused when an active policy has the same criteria."""
    _allowed(actor)
    policy = SlaPolicy(name=name.strip(), service_type=service_type, priority=priority,
                       customer_class=customer_class, region=region, channel=channel,
                       description=description.strip(), is_active=is_active)
    _check(policy, targets, [])
    policy.save()
    SlaTarget.objects.bulk_create(SlaTarget(policy=policy, **_target_fields(t)) for t in targets)
    audit_record(actor=actor, action=StandardsAction.SLA_POLICY_CREATED, obj=policy, payload={
        **{k: v for k, v in _policy_json(policy).items() if k not in ("description", "is_active")},
        "targets": [{k: v for k, v in _target_json(t).items() if k != "warn_percent"} for t in targets],
    })
    forget_policies()
    return policy


@transaction.atomic
def sla_policy_update(*, actor, policy: SlaPolicy, expected_version: int | None, name: str,
                      targets: list[TargetInput], service_type: ServiceType | None = None, priority: str = "",
                      customer_class: str = "", region: Region | None = None, channel: str = "",
                      description: str = "", is_active: bool = True) -> SlaPolicy:
    """Change a policy's name, criteria, active flag and targets (R10.4), checked as on creation.

    A row of `targets` with `target_id` edits that target of the policy, one without adds a target;
    targets not named stay as they are. A stale `expected_version` is a Conflict. Nothing changed:
    no event.
    """
    _allowed(actor)
    locked = lock_row(SlaPolicy.objects, policy.pk, expected_version=expected_version)
    # The policy's lock covers its targets: every writer of targets locks the policy first.
    existing = {t.pk: t for t in SlaTarget.objects.filter(policy=locked).select_related("region", "calendar")
                .order_by("pk")}
    if any(t.target_id is not None and t.target_id not in existing for t in targets):
        raise NotFound()
    before = _policy_json(locked)
    targets_before = [_target_json(t) for t in existing.values()]
    locked.name, locked.description, locked.is_active = name.strip(), description.strip(), is_active
    for criterion, value in zip(CRITERIA, (service_type, priority, customer_class, region, channel), strict=True):
        setattr(locked, criterion, value)
    named = {t.target_id for t in targets}
    _check(locked, targets, [t for pk, t in existing.items() if pk not in named])
    for target in targets:
        row = existing.get(target.target_id) if target.target_id is not None else None
        if row is None:
            SlaTarget.objects.create(policy=locked, **_target_fields(target))
        elif _target_json(row) != _target_json(target):
            SlaTarget.objects.filter(pk=row.pk).update(**_target_fields(target))
    after = _policy_json(locked)
    targets_after = [_target_json(t) for t in SlaTarget.objects.filter(policy=locked)
                     .select_related("region", "calendar").order_by("pk")]
    changed = [k for k in after if after[k] != before[k]]
    if not changed and targets_after == targets_before:
        return locked
    bump_version(locked, "name", "description", "is_active", *CRITERIA)
    payload: dict[str, Any] = {"old": {k: before[k] for k in changed}, "new": {k: after[k] for k in changed}}
    if targets_after != targets_before:
        payload |= {"targets_old": targets_before, "targets_new": targets_after}
    audit_record(actor=actor, action=StandardsAction.SLA_POLICY_UPDATED, obj=locked, payload=payload)
    forget_policies()
    return locked


@transaction.atomic
def sla_policy_retire(*, actor, policy: SlaPolicy, expected_version: int | None, reason: str = "") -> SlaPolicy:
    """Stop a policy from applying to new requests (R10.4); it stays on record with its targets, and
    the clocks already running keep their due times. Retiring an inactive policy changes nothing."""
    _allowed(actor)
    locked = lock_row(SlaPolicy.objects, policy.pk, expected_version=expected_version)
    if not locked.is_active:
        return locked
    locked.is_active = False
    bump_version(locked, "is_active")
    audit_record(actor=actor, action=StandardsAction.SLA_POLICY_RETIRED, obj=locked,
                 payload={"name": locked.name, "reason": reason.strip()})
    forget_policies()
    return locked
