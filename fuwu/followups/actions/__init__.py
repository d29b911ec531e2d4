"""Every change to follow-ups (R8.1–R8.3): one transaction, a permission check (or the move that
caused it), an audit event; lifecycles through `fuwu.followups.workflow`'s table."""

from fuwu.followups.actions.calls import follow_up_fall_due, follow_ups_withdraw, followup_record
from fuwu.followups.actions.care import care_send_due
from fuwu.followups.actions.config import follow_up_config_save
from fuwu.followups.actions.plans import follow_ups_generate

__all__ = [
    "care_send_due",
    "follow_up_config_save",
    "follow_up_fall_due",
    "follow_ups_generate",
    "follow_ups_withdraw",
    "followup_record",
]
