"""The standards domain (R3.2, R10): service catalogue, business calendars, service standards and
commitments, SLA policies. One module per concept; import models from here."""

from fuwu.standards.models.calendars import (
    CalendarException,
    CalendarHours,
    DutyAssignment,
    HolidayNotice,
    ServiceCalendar,
    StatutoryDay,
)
from fuwu.standards.models.catalogue import REQUIRABLE_FIELDS, Channel, Priority, ServiceKind, ServiceType
from fuwu.standards.models.commitments import ServiceStandard
from fuwu.standards.models.sla import ClockKind, SlaPolicy, SlaTarget

__all__ = [
    "REQUIRABLE_FIELDS",
    "CalendarException",
    "CalendarHours",
    "Channel",
    "ClockKind",
    "DutyAssignment",
    "HolidayNotice",
    "Priority",
    "ServiceCalendar",
    "ServiceKind",
    "ServiceStandard",
    "ServiceType",
    "SlaPolicy",
    "SlaTarget",
    "StatutoryDay",
]
