from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaultsConfig(AppConfig):
    name = "fuwu.faults"
    label = "faults"
    verbose_name = _("Major faults")

    def ready(self) -> None:
        from fuwu.core.outbox import register_mail_attachments
        from fuwu.faults.documents import report_mail_attachments
        from fuwu.faults.measures import register_fault_source

        register_mail_attachments(report_mail_attachments)
        register_fault_source()
