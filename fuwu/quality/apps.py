from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "fuwu.quality"
    label = "quality"
    verbose_name = _("Quality monitoring")

    def ready(self) -> None:
        from fuwu.improvements.models import ImprovementAction
        from fuwu.improvements.sources import register_source
        from fuwu.quality.selectors import alert_label, alert_url

        # An improvement action opened from an indicator alert names it and links to it (R9.5, R17.1).
        register_source(ImprovementAction.SourceKind.KPI_ALERT, label_for=alert_label, url_for=alert_url)
