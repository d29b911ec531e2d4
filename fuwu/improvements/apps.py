from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "fuwu.improvements"
    label = "improvements"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        from fuwu.improvements.sources import register_suggestion_source

        register_suggestion_source()
