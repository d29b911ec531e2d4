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
    MERIT_RULE_SAVED = "quality.merit_rule_saved", _("Result rule saved")
    MERIT_RULE_RETIRED = "quality.merit_rule_retired", _("Result rule retired")
    MERIT_PROPOSED = "quality.merit_proposed", _("Period results judged against the result rules")
    MERIT_CONFIRMED = "quality.merit_confirmed", _("Reward or penalty confirmed")
    MERIT_WAIVED = "quality.merit_waived", _("Reward or penalty waived")


class QualityError(ErrorCode):
    UNKNOWN_INDICATOR = "quality.unknown_indicator", _("No such indicator.")
    BAD_DIMENSION = "quality.bad_dimension", _("This indicator has no such dimension.")
    ALREADY_IMPROVING = "quality.already_improving", _("An improvement action is already open for this alert.")
    BAD_LEVELS = "quality.bad_levels", _("The alert level must lie on the wrong side of the target.")
    MERIT_OWN_RESULT = "quality.merit_own_result", _("You may not decide on your own result.")
    MERIT_DECIDED = "quality.merit_decided", _("This result has already been decided.")
    MERIT_NO_OUTCOME = "quality.merit_no_outcome", _("This result calls for no outcome.")
    MERIT_PERIOD_OPEN = "quality.merit_period_open", _("The period has not ended yet.")
    MERIT_BAD_POINTS = "quality.merit_bad_points", _("A reward gives points and a penalty takes them.")
    MERIT_NO_STAFF_FIGURES = ("quality.merit_no_staff_figures",
                              _("This indicator has no figures per staff member."))
