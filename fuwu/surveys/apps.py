from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "fuwu.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        from fuwu.surveys.campaigns import after_service_listener
        from fuwu.tickets.events import register_move_listener

        register_move_listener(after_service_listener)
