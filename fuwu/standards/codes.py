"""Standards, calendars and SLA policies (R3.2, R10): audit action codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction


class StandardsAction(AuditAction):
    STANDARD_DRAFTED = "standard.drafted", _("Service standard drafted")
    STANDARD_DRAFT_EDITED = "standard.draft_edited", _("Draft standard changed")
    STANDARD_DRAFT_WITHDRAWN = "standard.draft_withdrawn", _("Draft standard withdrawn")
    STANDARD_PUBLISHED = "standard.published", _("Service standard published")
    STANDARD_REVISED = "standard.revised", _("Revision of a standard started")
    STANDARD_RETIRED = "standard.retired", _("Service standard retired")
    SLA_POLICY_CREATED = "sla_policy.created", _("SLA policy created")
    CALENDAR_CREATED = "calendar.created", _("Business calendar created")
    CALENDAR_UPDATED = "calendar.updated", _("Business calendar settings changed")
    CALENDAR_HOURS_SET = "calendar.hours_set", _("Working hours changed")
    CALENDAR_EXCEPTION_ADDED = "calendar.exception_added", _("Calendar exception added")
    CALENDAR_EXCEPTION_WITHDRAWN = "calendar.exception_withdrawn", _("Calendar exception withdrawn")
    CALENDAR_DATA_MISSING_NOTIFIED = (
        "calendar.data_missing_notified", _("Administrators warned of missing holiday data"))
    HOLIDAY_NOTICE_IMPORTED = "holiday_notice.imported", _("Holiday notice imported")
    DUTY_ASSIGNED = "duty.assigned", _("Holiday duty assigned")
    DUTY_WITHDRAWN = "duty.withdrawn", _("Holiday duty withdrawn")
