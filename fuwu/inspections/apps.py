from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "fuwu.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from fuwu.improvements.models import ImprovementAction
        from fuwu.improvements.sources import register_source
        from fuwu.inspections.selectors import finding_label, finding_url

        # An improvement action may come from an inspection's finding (R17.1): named and linked here.
        register_source(ImprovementAction.SourceKind.INSPECTION, label_for=finding_label, url_for=finding_url)
