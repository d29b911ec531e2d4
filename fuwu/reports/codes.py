from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class ReportAction(AuditAction):
    ISSUED = "reports.issued", _("Report issued")
    DISTRIBUTION_SAVED = "reports.distribution_saved", _("Report recipients saved")


class ReportError(ErrorCode):
    BAD_PERIOD = "reports.bad_period", _("Choose a period that has begun.")
    BAD_ADDRESS = "reports.bad_address", _("Enter valid e-mail addresses, one per line.")
