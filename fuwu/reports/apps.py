from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "fuwu.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from fuwu.core.outbox import register_mail_attachments
        from fuwu.reports.documents import report_mail_attachments

        register_mail_attachments(report_mail_attachments)
