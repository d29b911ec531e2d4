"""SLA policies (R10.4, R4.4): created with their targets in one audited step.

The admin edits existing policies (audited row by row); this action is what code and the demo use.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.org.models import Region
from fuwu.org.policy import Perm, require
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import ClockKind, ServiceCalendar, ServiceType, SlaPolicy, SlaTarget
from fuwu.standards.sla import forget_policies, same_criteria


@dataclass(frozen=True)
class TargetInput:
    kind: str
    calendar: ServiceCalendar
    minutes: int | None = None  # None: done the same business day (R10.4)
    region: Region | None = None  # on-site arrival per region (R4.4)
    warn_percent: int = 75


@transaction.atomic
def sla_policy_create(*, actor, name: str, targets: list[TargetInput], service_type: ServiceType | None = None,
                      priority: str = "", customer_class: str = "", region: Region | None = None,
                      channel: str = "") -> SlaPolicy:
    """A policy and its targets; refused when an active policy has the same criteria."""
    if actor is not None:
        require(actor, Perm.STANDARDS_MANAGE)
    policy = SlaPolicy(name=name.strip(), service_type=service_type, priority=priority,
                       customer_class=customer_class, region=region, channel=channel)
    errors: dict[str, list[str]] = {}
    if not policy.name:
        errors["name"] = [_("Give the policy a name.")]
    if SlaPolicy.objects.filter(same_criteria(policy)).exists():
        errors["criteria"] = [_("An active policy with exactly these criteria exists; change that one.")]
    seen = set()
    for index, target in enumerate(targets):
        key = (target.kind, getattr(target.region, "pk", None))
        if target.kind not in ClockKind.values or key in seen:
            errors[f"targets_{index}"] = [_("Each clock may have one target per region (and one without).")]
        elif target.minutes is not None and target.minutes <= 0:
            errors[f"targets_{index}"] = [_("Give the business minutes, or tick “done the same business day”.")]
        seen.add(key)
    if errors:
        raise InvalidInput(errors=errors)
    policy.save()
    SlaTarget.objects.bulk_create(
        SlaTarget(policy=policy, kind=t.kind, region=t.region, minutes=t.minutes, calendar=t.calendar,
                  end_of_business_day=t.minutes is None, warn_percent=t.warn_percent)
        for t in targets
    )
    audit_record(actor=actor, action=StandardsAction.SLA_POLICY_CREATED, obj=policy, payload={
        "name": policy.name, "service_type": getattr(service_type, "code", None), "priority": priority,
        "customer_class": customer_class, "region": getattr(region, "code", None), "channel": channel,
        "targets": [{"kind": t.kind, "minutes": t.minutes, "region": getattr(t.region, "code", None),
                     "calendar": t.calendar.code} for t in targets],
    })
    forget_policies()
    return policy
