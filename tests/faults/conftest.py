import datetime

import pytest
from django.utils import timezone

from fuwu.customers.actions.records import contact_add
from fuwu.customers.validation import ContactInput
from fuwu.faults import actions, measures
from fuwu.faults.models import FaultReport
from fuwu.org.models import Region
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from tests.factories import make_customer, make_staff


@pytest.fixture
def boss(db):
    """The service manager who closes faults (the `manager` fixture of tests/conftest.py has no e-mail)."""
    return make_staff(Role.MANAGER, full_name="刘经理", email="liu@fuwu.example")


@pytest.fixture
def regions(db):
    return [Region.objects.create(code="east", name="华东区"), Region.objects.create(code="north", name="华北区")]


@pytest.fixture
def customers(agent):
    first = make_customer(agent, name="上海申江物业管理有限公司", email="ops@shenjiang.example")
    contact_add(actor=agent, customer=first, data=ContactInput(name="周工", phone="13800138001",
                                                               email="zhou@shenjiang.example"))
    second = make_customer(agent, name="浦东新区第一人民医院", email="it@hospital.example")
    make_customer(agent, name="不受影响的客户", email="other@example.com")
    return [first, second]


def started(hours: float = 2) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def report(actor, *, customers=(), **fields) -> FaultReport:
    fields.setdefault("title", "浦东机房核心交换机故障")
    fields.setdefault("started_at", started())
    fields.setdefault("severity", "severe")
    fields.setdefault("place", "浦东新区张江机房")
    fields.setdefault("symptoms", "浦东区域客户无法访问报修系统，电话排队激增。")
    fields.setdefault("handling_plan", "切换至备用交换机，厂家工程师两小时内到场。")
    fields.setdefault("service_types", list(ServiceType.objects.filter(kind="repair")[:1]))
    return actions.fault_open(actor=actor, customers=customers, **fields)


def analyse(fault, actor, **overrides):
    values = {"impact": "浦东区域三家客户报修中断四小时。", "handling_summary": "切换备用交换机，更换故障板卡。",
              "root_cause": "交换机电源模块老化，未纳入巡检。", "corrective_measures": "更换全部同批次电源模块。",
              "preventive_measures": "电源模块纳入季度巡检。", **overrides}
    return actions.fault_record_analysis(actor=actor, fault=fault, expected_version=None, **values)


def restore(fault, actor):
    return actions.fault_move(actor=actor, fault=fault, expected_version=None, move="restore", note="已切换备用设备")


def improve(fault, manager, *, kind="corrective", owner=None):
    """A corrective or preventive improvement action opened for the fault (R17.1)."""
    return measures.open_action(actor=manager, fault=fault, kind=kind, title="更换同批次电源模块",
                                goal="同类故障不再发生", measures="排查并更换全部同批次电源模块",
                                owner=owner or manager,
                                due_on=timezone.localdate() + datetime.timedelta(days=30))


def closed(actor, manager, customers=()):
    fault = report(actor, customers=customers)
    fault = restore(fault, actor)
    fault = analyse(fault, manager)
    improve(fault, manager)
    return actions.fault_close(actor=manager, fault=fault, expected_version=None)
