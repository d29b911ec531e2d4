"""`manage.py import_holidays FILE --year 2027 [--title ...] [--actor USERNAME]` (R10.3).

Imports one year's State Council holiday notice (statutory holidays and adjusted working days, 调休)
for a year `chinese-calendar` does not cover. The file is CSV or YAML:

    # CSV: a header, then one day a line; kind is holiday or workday (also 假日 / 班); # starts a comment
    date,kind,name
    2027-10-01,holiday,国庆节
    2027-10-09,workday,国庆节

    # YAML: the year, and per holiday its days off and its working days; "A..B" is a range of days
    year: 2027
    holidays: {国庆节: [2027-10-01..2027-10-07]}
    workdays: {国庆节: [2027-09-26, 2027-10-09]}

Every line is checked; bad ones are listed with their line numbers and nothing is imported (exit 1).
"""

import csv
import datetime
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.customers.management.commands.import_customers import actor_by_username
from fuwu.standards.actions.holidays import HolidayRow, holiday_notice_import

Rows = list[tuple[int, HolidayRow]]


def read_csv(text: str) -> Rows:
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.reader(line for _number, line in lines)
    header = [cell.strip().lower() for cell in next(reader)]
    if header[:3] != ["date", "kind", "name"]:
        raise CommandError(_("Line %(line)d: the header must be date,kind,name.") % {"line": lines[0][0]})
    rows = []
    for (number, _line), cells in zip(lines[1:], reader, strict=True):
        cells = [*cells, "", "", ""][:3]
        rows.append((number, HolidayRow(date=cells[0].strip(), kind=cells[1].strip(), name=cells[2].strip())))
    return rows


def _days(node: yaml.Node) -> list[tuple[int, str]]:
    """The (line, date text) of each day under one holiday; "A..B" is every day from A to B."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    found = []
    for item in items:
        line, text = item.start_mark.line + 1, str(item.value).strip()
        first, sep, last = text.partition("..")
        try:
            start, end = datetime.date.fromisoformat(first.strip()), datetime.date.fromisoformat(last.strip())
        except ValueError:
            found.append((line, text))
            continue
        if not sep or end < start or (end - start).days > 31:
            found.append((line, text))
            continue
        found.extend((line, (start + datetime.timedelta(days=n)).isoformat()) for n in range((end - start).days + 1))
    return found


def read_yaml(text: str) -> tuple[int | None, Rows]:
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        raise CommandError(_("The YAML file must hold year, holidays and workdays."))
    year, rows = None, []
    for key, value in root.value:
        if key.value == "year":
            if not str(value.value).isdigit():
                raise CommandError(_("Line %(line)d: the year must be a number.") % {"line": value.start_mark.line + 1})
            year = int(value.value)
        elif key.value in ("holidays", "workdays"):
            if not isinstance(value, yaml.MappingNode):
                raise CommandError(_("Line %(line)d: list the days under each holiday's name.")
                                   % {"line": value.start_mark.line + 1})
            kind = "holiday" if key.value == "holidays" else "workday"
            for name, days in value.value:
                rows.extend((line, HolidayRow(date=day, kind=kind, name=str(name.value))) for line, day in _days(days))
    return year, sorted(rows, key=lambda row: row[0])


class Command(BaseCommand):
    help = "Import one year's statutory holidays and adjusted working days (调休) from a CSV or YAML file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a .csv (date,kind,name) or .yaml file")
        parser.add_argument("--year", type=int, help="the year of the notice (a YAML file may give it instead)")
        parser.add_argument("--title", default="",
                            help="the notice's title, e.g. 国务院办公厅关于2027年部分节假日安排的通知")
        parser.add_argument("--actor", metavar="USERNAME", help="import as this user (default: the system)")

    def handle(self, *args, file: str, year: int | None, title: str, actor: str | None, **options) -> None:
        user = actor_by_username(actor)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        text = path.read_text(encoding="utf-8-sig")
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                file_year, rows = read_yaml(text)
            else:
                file_year, rows = None, read_csv(text)
        except (yaml.YAMLError, csv.Error, UnicodeDecodeError) as exc:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
        if year is not None and file_year is not None and year != file_year:
            raise CommandError(_("The file is for %(file)s, not %(year)s.") % {"file": file_year, "year": year})
        year = year or file_year
        if year is None:
            raise CommandError(_("Give the year with --year."))
        try:
            notice = holiday_notice_import(
                actor=user, year=year, rows=[row for _line, row in rows], row_numbers=[line for line, _row in rows],
                title=title, source=path.name,
            )
        except (InvalidInput, PermissionDenied) as exc:
            for line, messages in exc.data.get("rows", {}).items():
                self.stdout.write(_("Line %(line)d: %(problems)s") % {"line": line, "problems": "; ".join(messages)})
            for key, messages in exc.errors.items():
                if not key.startswith("row_"):
                    self.stdout.write("; ".join(str(m) for m in messages))
            raise CommandError(str(exc.message), returncode=1) from exc
        days = notice.days.count()
        self.stdout.write(self.style.SUCCESS(
            _("Holiday notice for %(year)s imported: %(days)d days.") % {"year": year, "days": days}))
