"""Editing the follow-up rules, plan rules and care messages (R8.1–R8.3): managers and quality
supervisors (`Perm.FOLLOWUP_MANAGE`). Rows are never deleted: a rule no longer wanted is made inactive."""

from django.db import models, transaction
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import bump_version, lock_row
from fuwu.followups.codes import FollowUpAction, FollowUpError
from fuwu.followups.models import CareMessage, FollowUpPlanRule, FollowUpRule
from fuwu.org.policy import Perm, can

# The fields each configuration row is edited by; two active rows may not share the criteria.
EDITABLE: dict[type[models.Model], tuple[str, ...]] = {
    FollowUpRule: ("service_kind", "service_type", "required", "working_days", "calendar", "retry_hours",
                   "max_attempts", "is_active"),
    FollowUpPlanRule: ("category", "customer_class", "first_months", "first_every", "then_every", "needs_survey",
                       "is_active"),
    CareMessage: ("kind", "subject", "body", "month", "day", "customer_class", "min_years", "is_active"),
}
CRITERIA: dict[type[models.Model], tuple[str, ...]] = {
    FollowUpRule: ("service_kind", "service_type"),
    FollowUpPlanRule: ("category", "customer_class"),
}


def _values(row: models.Model, names) -> dict:
    return {name: getattr(row, row._meta.get_field(name).attname) for name in names}


@transaction.atomic
def follow_up_config_save[M: models.Model](*, actor, model: type[M], instance: M | None,
                                           expected_version: int | None, values: dict) -> M:
    """Create (`instance` None) or change one rule, plan rule or care message, with the version the editor saw."""
    if not can(actor, Perm.FOLLOWUP_MANAGE):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_MANAGE)
    names = [name for name in EDITABLE[model] if name in values]
    if instance is not None:
        row = lock_row(model.objects.all(), instance.pk, expected_version=expected_version)
        before = _values(row, names)
    else:
        row, before = model(), None
    for name in names:
        setattr(row, name, values[name])
    if isinstance(row, FollowUpPlanRule):
        row.category = row.category.strip().upper()
    criteria = CRITERIA.get(model)
    if criteria and row.is_active and model.objects.filter(
            is_active=True, **{name: getattr(row, name) for name in criteria}).exclude(pk=row.pk).exists():
        raise InvalidInput(code=FollowUpError.DUPLICATE_RULE,
                           errors={criteria[0]: [_("An active rule for the same criteria exists.")]})
    if instance is not None:
        bump_version(row, *names)
    else:
        row.save()
    audit_record(actor=actor, action=FollowUpAction.RULE_SAVED, obj=row,
                 payload={"before": before, "after": _values(row, names)})
    return row
