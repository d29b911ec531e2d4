from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fuwu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from fuwu.core.codes import discover_codes

        discover_codes()
