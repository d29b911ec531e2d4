"""The corrective and preventive measures of a fault (R7.2, R17.1): which it has and how many, for
the rule that a fault closes only with one, for its page and for its report."""

from django.utils.translation import gettext as _

from fuwu.faults.models import FaultReport


def linked_actions(viewer, fault: FaultReport) -> list:
    """The improvement actions opened for the fault (none until the improvements app is linked)."""
    return []


def measure_count(fault: FaultReport) -> int:
    """The measures written in the analysis (corrective, preventive)."""
    return sum(1 for text in (fault.corrective_measures, fault.preventive_measures) if text.strip())


def missing_message() -> str:
    return _("Name at least one corrective or preventive measure.")
