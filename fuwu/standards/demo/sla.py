"""Demo SLA policy (`manage.py seed_demo`, R4.4): on-site arrival deadlines that differ by region,
on top of the default policies installed by migration `standards/0004`."""

from fuwu.org.models import Region
from fuwu.standards.actions.sla import TargetInput, sla_policy_create
from fuwu.standards.models import ClockKind, ServiceCalendar, ServiceType, SlaPolicy

# Region code -> business minutes to arrive on site; other regions get the policy's default.
ARRIVAL_MINUTES = {"east": 240, "north": 240}
DEFAULT_ARRIVAL_MINUTES = 480


def seed_sla_policies(*, regions: list[Region]) -> SlaPolicy | None:
    repair = ServiceType.objects.filter(code="repair").first()
    if repair is None or SlaPolicy.objects.filter(service_type=repair).exists():
        return None
    hours = ServiceCalendar.objects.get(code="service_hours")
    targets = [TargetInput(kind=ClockKind.ONSITE_ARRIVAL, calendar=hours, minutes=DEFAULT_ARRIVAL_MINUTES)]
    targets += [TargetInput(kind=ClockKind.ONSITE_ARRIVAL, calendar=hours, minutes=ARRIVAL_MINUTES[r.code], region=r)
                for r in regions if r.code in ARRIVAL_MINUTES]
    return sla_policy_create(actor=None, name="报修上门时限（按区域）", service_type=repair, targets=targets)
