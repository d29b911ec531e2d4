"""Default follow-up rules, plan rules and care messages (R8.1–R8.3). Managers change them later."""

from django.db import migrations

# service kind, required, working days, first retry after working hours, calls at most
RULES = [
    ("", True, 3, 2, 3),
    ("complaint", True, 2, 1, 5),  # R6.2: followed up until the customer is satisfied
]
# category, customer class, first months, every, then every, December needs survey
PLAN_RULES = [
    ("", "", 12, 1, 3, False),
    ("", "key", 12, 1, 3, True),  # key accounts: next year's needs each December (新需求管理)
    ("ERP-", "", 12, 1, 6, False),  # software projects: half-yearly after the first year
]
# kind, subject, body, month (None: monthly), from day, customer class, customer for at least (years)
CARE = [
    ("greeting", "新春问候", "{contact}您好：新春将至，感谢{customer}一直以来的信任与支持，祝新年快乐、万事顺意！", 1, 20, "", 0),
    ("usage_tip", "夏季设备使用小贴士",
     "{contact}您好：夏季用电高峰将至，请定期清洗空调滤网、检查配电柜散热，如有异常请拨打服务热线。", 6, 1, "", 0),
    ("benefit", "老客户专享：免费巡检一次",
     "{contact}您好：感谢{customer}多年的合作，您可预约一次免费上门巡检，欢迎致电服务热线。", 9, 1, "", 3),
]


def forward(apps, schema_editor):
    FollowUpRule = apps.get_model("followups", "FollowUpRule")
    FollowUpPlanRule = apps.get_model("followups", "FollowUpPlanRule")
    CareMessage = apps.get_model("followups", "CareMessage")
    ServiceCalendar = apps.get_model("standards", "ServiceCalendar")
    if not FollowUpRule.objects.exists():
        office = ServiceCalendar.objects.filter(code="office").first()
        for kind, required, days, retry, attempts in RULES:
            FollowUpRule.objects.create(service_kind=kind, required=required, working_days=days, calendar=office,
                                        retry_hours=retry, max_attempts=attempts)
    if not FollowUpPlanRule.objects.exists():
        for category, customer_class, first_months, every, then_every, survey in PLAN_RULES:
            FollowUpPlanRule.objects.create(category=category, customer_class=customer_class,
                                            first_months=first_months, first_every=every, then_every=then_every,
                                            needs_survey=survey)
    if not CareMessage.objects.exists():
        for kind, subject, body, month, day, customer_class, years in CARE:
            CareMessage.objects.create(kind=kind, subject=subject, body=body, month=month, day=day,
                                       customer_class=customer_class, min_years=years)


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial"), ("standards", "0004_default_calendars_and_policies")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
