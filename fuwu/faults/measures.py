"""The corrective and preventive measures of a fault (R7.2, R17.1): improvement actions opened with the
fault as their source (`fuwu.improvements`). A fault closes only with one that is not cancelled; its
page lists them and the manager opens them there; the analysis report lists them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fuwu.faults.models import FaultReport
from fuwu.improvements.actions import improvement_action_open
from fuwu.improvements.models import ActionStatus, ImprovementAction
from fuwu.improvements.selectors import improvement_actions_for_source
from fuwu.improvements.sources import register_source

SOURCE = ImprovementAction.SourceKind.FAULT


def _actions(viewer, fault: FaultReport):
    return improvement_actions_for_source(viewer=viewer, source_kind=SOURCE, source_id=fault.pk)


def linked_actions(viewer, fault: FaultReport) -> list[dict]:
    """The fault's improvement actions the viewer may see, newest first, as the pages and the report show them."""
    return [{"number": a.number, "title": a.title, "kind_label": a.get_kind_display(),
             "owner_name": a.owner.get_full_name() or a.owner.get_username(), "due_on": a.due_on,
             "status_label": a.get_status_display(), "url": reverse("improvements:detail", args=[a.pk])}
            for a in _actions(viewer, fault)]


def measure_count(viewer, fault: FaultReport) -> int:
    """The corrective and preventive actions opened for the fault and not cancelled."""
    return _actions(viewer, fault).exclude(status=ActionStatus.CANCELLED).count()


def missing_message() -> str:
    return _("Open at least one corrective or preventive improvement action for the fault.")


def open_action(*, actor, fault: FaultReport, kind: str, title: str, goal: str, measures: str, owner, due_on):
    """A corrective or preventive action with the fault as its source (R17.1): approved, carried out and
    verified in the improvements app."""
    return improvement_action_open(actor=actor, kind=kind, title=title, goal=goal, measures=measures, owner=owner,
                                   due_on=due_on, source_kind=SOURCE, source_id=fault.pk)


def register_fault_source() -> None:
    """The improvement pages name a fault by its number and title and link its page (`FaultsConfig.ready`)."""

    def label(pk: int) -> str | None:
        fault = FaultReport.objects.filter(pk=pk).only("pk", "opened_at", "title").first()
        return f"{fault.number} {fault.title}" if fault else None

    register_source(SOURCE, label_for=label, url_for=lambda pk: reverse("faults:detail", args=[pk]))
