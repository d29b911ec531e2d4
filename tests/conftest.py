import datetime
from zoneinfo import ZoneInfo

import factory.random
import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from tests.factories import fake, make_staff

# Background tasks run in-process, at once, in tests (huey's immediate mode, in-memory storage).
HUEY.immediate = True

# The suite's "today": Wednesday 2 December 2026, 10:00 in Shanghai, a working day in a year with
# holiday data, followed by a year (2027) without it. Tests never read the real date: the whole
# session starts here (migrations included) and each test starts here again, with the clock ticking
# so that code measuring elapsed time still sees time pass.
FROZEN_NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FAKER_SEED = 2026
_session_clock = time_machine.travel(FROZEN_NOW, tick=True)


def pytest_configure(config):
    _session_clock.start()


def pytest_unconfigure(config):
    _session_clock.stop()


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _seeded_faker():
    """Faker's names and numbers are the same in every run, whatever ran before."""
    fake.seed_instance(FAKER_SEED)
    factory.random.reseed_random(FAKER_SEED)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FUWU_AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
    settings.FUWU_STANDARDS_CACHE_SECONDS = 0  # tests change calendars and policies and look at once
    # Tests create many logins; the production hasher (Argon2) would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(LANGUAGE_CODE="zh-hans"):
        yield


@pytest.fixture
def agent(db):
    return make_staff("agent")


@pytest.fixture
def manager(db):
    return make_staff("manager")


@pytest.fixture
def finance(db):
    return make_staff("finance")


@pytest.fixture
def support(db):
    return make_staff("support", full_name="王敏", email="wangmin@fuwu.example")


@pytest.fixture
def technician(db):
    return make_staff("technician", full_name="李强")


@pytest.fixture
def gm(db):
    return make_staff("general_manager", full_name="赵总", email="gm@fuwu.example")


@pytest.fixture(autouse=True)
def _audit_triggers_off_for_flush(request):
    """Transactional tests end with a flush, which the append-only triggers rightly refuse.

    Triggers are switched on before each test that uses the database and off just before
    pytest-django flushes it; inside ordinary (rolled back) tests the switch-off is rolled back too.
    """
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    _set_audit_triggers(enabled=True)
    _restore_default_organisation()
    yield
    if transactional:
        _set_audit_triggers(enabled=False)


def _set_audit_triggers(*, enabled: bool) -> None:
    from fuwu.core.migrations import _audit_triggers

    _audit_triggers.set_enabled(connection, enabled=enabled)


def _restore_default_organisation() -> None:
    """A transactional test's flush also removes the rows the data migrations made; put them back (every
    data migration's rows: with the suite spread over workers, any test may follow a flush)."""
    from importlib import import_module

    from django.apps import apps

    from fuwu.complaints.models import RootCause
    from fuwu.faults.models import NoticeRecipient
    from fuwu.followups.models import FollowUpRule
    from fuwu.org.models import Group
    from fuwu.standards.calendars import forget_cached_clocks
    from fuwu.standards.models import ServiceCalendar, ServiceType
    from fuwu.standards.sla import forget_policies

    if not Group.objects.exists():
        import_module("fuwu.org.migrations.0002_default_organisation").forward(apps, None)
    if not ServiceType.objects.exists():
        import_module("fuwu.standards.migrations.0002_default_catalogue").forward(apps, None)
        import_module("fuwu.standards.migrations.0007_equipment_service_catalogue").forward(apps, None)
    if not ServiceType.objects.filter(code="quality_issue").exists():
        import_module("fuwu.inspections.migrations.0002_quality_issue_type").forward(apps, None)
    if not ServiceCalendar.objects.exists():
        import_module("fuwu.standards.migrations.0004_default_calendars_and_policies").forward(apps, None)
        import_module("fuwu.standards.migrations.0008_major_complaint_policy").forward(apps, None)
    if not RootCause.objects.exists():
        import_module("fuwu.complaints.migrations.0002_root_causes").add_causes(apps, None)
    if not FollowUpRule.objects.exists():
        import_module("fuwu.followups.migrations.0002_default_rules").forward(apps, None)
    if not NoticeRecipient.objects.exists():
        import_module("fuwu.faults.migrations.0002_default_notice_list").forwards(apps, None)
    forget_cached_clocks()  # pks and revisions repeat across tests; cached clocks must not
    forget_policies()
