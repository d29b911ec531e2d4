from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class QualityAction(AuditAction):
    TARGET_SET = "quality.target_set", _("Indicator target set")
    TARGET_RETIRED = "quality.target_retired", _("Indicator target retired")
    SNAPSHOTS_COMPUTED = "quality.snapshots_computed", _("Indicator snapshots computed")
    ROLLUP_COMPUTED = "quality.rollup_computed", _("Daily indicator rollup computed")
    ALERT_RAISED = "quality.alert_raised", _("Indicator alert raised")
    ALERT_ACKNOWLEDGED = "quality.alert_acknowledged", _("Indicator alert acknowledged")
    ALERT_IMPROVEMENT_OPENED = ("quality.alert_improvement_opened",
                                _("Improvement action opened from an indicator alert"))


class QualityError(ErrorCode):
    UNKNOWN_INDICATOR = "quality.unknown_indicator", _("No such indicator.")
    BAD_DIMENSION = "quality.bad_dimension", _("This indicator has no such dimension.")
    ALREADY_IMPROVING = "quality.already_improving", _("An improvement action is already open for this alert.")
    BAD_LEVELS = "quality.bad_levels", _("The alert level must lie on the wrong side of the target.")
