"""`manage.py import_holidays` (R10.3): CSV and YAML, bad lines listed by number, exit code 1."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from fuwu.core.models import AuditEvent
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import HolidayNotice, ServiceCalendar, StatutoryDay
from fuwu.standards.selectors.calendars import calendar_data_warnings

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "holidays-2027.example.csv"


def run(*args) -> str:
    out = StringIO()
    call_command("import_holidays", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_example_file_imports_and_fills_2027(manager):
    assert EXAMPLE.read_text(encoding="utf-8").startswith("# EXAMPLE ONLY")
    out = run(EXAMPLE, "--year", 2027, "--title", "示例", "--actor", manager.username)
    assert "2027" in out
    notice = HolidayNotice.objects.get(year=2027)
    assert (notice.title, notice.source, notice.imported_by) == ("示例", EXAMPLE.name, manager)
    kinds = dict(StatutoryDay.objects.filter(date__in=["2027-10-01", "2027-10-09"]).values_list("date", "kind"))
    assert kinds == {datetime.date(2027, 10, 1): "holiday", datetime.date(2027, 10, 9): "workday"}
    assert calendar_data_warnings(datetime.date(2026, 11, 23)) == []
    clock = business_clock(ServiceCalendar.objects.get(code="office"))
    assert not clock.is_working(datetime.datetime(2027, 10, 4, 10, tzinfo=clock.zone))
    assert AuditEvent.objects.filter(action="holiday_notice.imported", actor=manager).count() == 1


def test_bad_lines_are_listed_and_nothing_is_imported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("# a comment\ndate,kind,name\n2027-01-01,假日,元旦\n2027-02-30,假日,春节\n\n"
                    "2027-02-14,班,\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_holidays", str(path), "--year", "2027", stdout=out)
    assert caught.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert [re.search(r"\d+", line).group() for line in lines] == ["4", "6", "7"]  # file lines, comments counted
    assert not HolidayNotice.objects.exists() and not StatutoryDay.objects.exists()


def test_yaml_with_ranges(tmp_path):
    path = tmp_path / "2027.yaml"
    path.write_text(
        "year: 2027\n"
        "holidays:\n"
        "  元旦: [2027-01-01..2027-01-03]\n"
        "  国庆节:\n"
        "    - 2027-10-01..2027-10-07\n"
        "workdays:\n"
        "  国庆节: [2027-09-26, 2027-10-09]\n", encoding="utf-8")
    run(path)
    days = dict(StatutoryDay.objects.values_list("date", "kind"))
    assert len(days) == 12 and days[datetime.date(2027, 10, 9)] == "workday"
    assert StatutoryDay.objects.get(date="2027-01-02").name == "元旦"


def test_yaml_errors_carry_their_line(tmp_path):
    path = tmp_path / "2027.yaml"
    path.write_text("year: 2027\nholidays:\n  元旦:\n    - 2027-01-01\n    - 2026-01-02\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_holidays", str(path), stdout=out)
    assert re.search(r"\d+", out.getvalue()).group() == "5"


@pytest.mark.parametrize(("content", "args"), [
    ("date,kind,name\n2027-01-01,holiday,元旦\n", []),  # no year
    ("day,type\n2027-01-01,holiday\n", ["--year", "2027"]),  # wrong header
])
def test_the_command_explains_what_is_missing(tmp_path, content, args):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_holidays", str(path), *args, stdout=StringIO())


def test_a_year_is_imported_once():
    run(EXAMPLE, "--year", 2027)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_holidays", str(EXAMPLE), "--year", "2027", stdout=out)
    assert caught.value.returncode == 1 and "2027" in out.getvalue()
    assert HolidayNotice.objects.count() == 1
