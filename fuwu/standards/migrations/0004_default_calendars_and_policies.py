"""Default business calendars and SLA policies (R10.3, R10.4). Administrators change them later."""

import datetime

from django.db import migrations

CALENDARS = [
    # code, name, English name, 24x7, observes holidays, weekly hours (weekdays, start, end)
    ("office", "办公时间", "Office hours", False, True,
     [(range(5), "09:00", "12:00"), (range(5), "13:00", "18:00")]),
    ("service_hours", "标准服务时间", "Standard service hours", False, True, [(range(7), "08:00", "18:00")]),
    ("duty_line", "24小时值班热线", "24-hour duty line", True, False, []),
]

# name, criteria, targets: (clock, business minutes or None for end of business day, calendar)
POLICIES = [
    ("默认服务时限", {}, [
        ("first_response", 120, "service_hours"),
        ("handover_acceptance", 60, "service_hours"),
        ("onsite_arrival", 480, "service_hours"),
        ("resolution", 1800, "service_hours"),
        ("follow_up", 1200, "office"),
    ]),
    ("紧急事项", {"priority": "urgent"}, [
        ("first_response", 15, "duty_line"),
        ("handover_acceptance", 30, "duty_line"),
        ("onsite_arrival", 240, "duty_line"),
        ("resolution", 480, "duty_line"),
    ]),
    ("高优先级", {"priority": "high"}, [
        ("first_response", 60, "service_hours"),
        ("resolution", 960, "service_hours"),
    ]),
    ("重点客户", {"customer_class": "key"}, [
        ("first_response", 30, "service_hours"),
        ("resolution", 960, "service_hours"),
    ]),
    ("咨询当天办结", {"service_type": "consultation"}, [
        ("first_response", 30, "service_hours"),
        ("resolution", None, "service_hours"),  # 当天事情当天办 (R10.4)
    ]),
    ("投诉处理时限", {"service_type": "complaint"}, [
        ("first_response", 60, "service_hours"),
        ("resolution", 1200, "service_hours"),
        ("follow_up", 600, "office"),
    ]),
]


def forward(apps, schema_editor):
    ServiceCalendar = apps.get_model("standards", "ServiceCalendar")
    CalendarHours = apps.get_model("standards", "CalendarHours")
    SlaPolicy = apps.get_model("standards", "SlaPolicy")
    SlaTarget = apps.get_model("standards", "SlaTarget")
    ServiceType = apps.get_model("standards", "ServiceType")
    calendars = {}
    for code, name, name_en, round_the_clock, observes, hours in CALENDARS:
        calendar, created = ServiceCalendar.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_24x7": round_the_clock,
                                 "observes_statutory_holidays": observes})
        calendars[code] = calendar
        if created:
            CalendarHours.objects.bulk_create(
                CalendarHours(calendar=calendar, weekday=day, start=datetime.time.fromisoformat(start),
                              end=datetime.time.fromisoformat(end))
                for days, start, end in hours for day in days
            )
    if SlaPolicy.objects.exists():
        return
    for name, criteria, targets in POLICIES:
        if "service_type" in criteria:
            criteria = {**criteria, "service_type": ServiceType.objects.filter(code=criteria["service_type"]).first()}
            if criteria["service_type"] is None:
                continue
        policy = SlaPolicy.objects.create(name=name, **criteria)
        for kind, minutes, calendar in targets:
            SlaTarget.objects.create(policy=policy, kind=kind, minutes=minutes, end_of_business_day=minutes is None,
                                     calendar=calendars[calendar])


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_calendars_standards_sla")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
