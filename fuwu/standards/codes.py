"""Standards, calendars and SLA policies (R3.2, R10): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class StandardsAction(AuditAction):
    STANDARD_DRAFTED = "standard.drafted", _("Service standard drafted")
    STANDARD_DRAFT_EDITED = "standard.draft_edited", _("Draft standard changed")
    STANDARD_DRAFT_WITHDRAWN = "standard.draft_withdrawn", _("Draft standard withdrawn")
    STANDARD_PUBLISHED = "standard.published", _("Service standard published")
    STANDARD_REVISED = "standard.revised", _("Revision of a standard started")
    STANDARD_RETIRED = "standard.retired", _("Service standard retired")
    SLA_POLICY_CREATED = "sla_policy.created", _("SLA policy created")
    SLA_POLICY_UPDATED = "sla_policy.updated", _("SLA policy changed")
    SLA_POLICY_RETIRED = "sla_policy.retired", _("SLA policy retired")
    SERVICE_TYPE_CREATED = "service_type.created", _("Service type created")
    SERVICE_TYPE_UPDATED = "service_type.updated", _("Service type changed")
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


class StandardsError(ErrorCode):
    """The codes the standards domain's errors carry (the API returns them as `code`)."""

    STANDARD_STATE = "standard_state", "The move does not fit the state of the standard's version."
    STANDARD_NOT_DRAFT = "standard_not_draft", "Only a draft can be changed, published or withdrawn."
    STANDARD_NOT_CURRENT = "standard_not_current", "Only the version in force, or a retired one's latest, is revised."
    STANDARD_NOT_IN_FORCE = "standard_not_in_force", "Only the version in force can be retired."
    STANDARD_DRAFT_EXISTS = "standard_draft_exists", "The next version is being drafted already."
    NOTICE_EXISTS = "notice_exists", "The holiday notice of that year was imported already."
    NO_WORKING_TIME = "no_working_time", "The calendar has no working time at all."
