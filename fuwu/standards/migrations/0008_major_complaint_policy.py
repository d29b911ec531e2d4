"""Major complaints and claims run on clocks of their own (R6.3): the complaints app puts such a
request on the footing of a major matter (urgent), and this policy, naming both the complaint type
and the urgent priority, outweighs the complaint policy and the urgent one. Answered within half an
hour and settled within a day, round the clock; followed up within half a working day."""

from django.db import migrations

NAME = "重大投诉与索赔时限"
# clock, business minutes, calendar
TARGETS = [
    ("first_response", 30, "duty_line"),
    ("handover_acceptance", 30, "duty_line"),
    ("resolution", 1440, "duty_line"),
    ("follow_up", 240, "office"),
]


def forward(apps, schema_editor):
    SlaPolicy = apps.get_model("standards", "SlaPolicy")
    SlaTarget = apps.get_model("standards", "SlaTarget")
    ServiceType = apps.get_model("standards", "ServiceType")
    ServiceCalendar = apps.get_model("standards", "ServiceCalendar")
    complaint = ServiceType.objects.filter(code="complaint").first()
    if complaint is None or SlaPolicy.objects.filter(service_type=complaint, priority="urgent").exists():
        return
    calendars = {c.code: c for c in ServiceCalendar.objects.filter(code__in={t[2] for t in TARGETS})}
    if len(calendars) < 2:
        return  # an installation that renamed the default calendars sets its own policy
    policy = SlaPolicy.objects.create(name=NAME, service_type=complaint, priority="urgent")
    for kind, minutes, calendar in TARGETS:
        SlaTarget.objects.create(policy=policy, kind=kind, minutes=minutes, calendar=calendars[calendar])


class Migration(migrations.Migration):
    dependencies = [("standards", "0007_equipment_service_catalogue")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
