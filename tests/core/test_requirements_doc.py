"""docs/requirements.md stays true to the code: no database, only files and the URL configuration.

Every requirement id cited anywhere in the project has its own heading there; every module or test
file it names exists; every page or endpoint it names resolves; no requirement lacks a statement.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "requirements.md"
# Where requirement ids are cited: code, tests, documents, benchmarks, templates, settings.
SCANNED_DIRS = ("fuwu", "tests", "docs", "bench", "templates", "config")
SKIPPED_DIRS = {"__pycache__", "node_modules", ".venv", "staticfiles"}

ID = r"R\d{1,2}\.\d{1,2}"
CITED_ID = re.compile(rf"\b{ID}\b")
# "R3.1–R3.7" cites every clause between the two.
CITED_RANGE = re.compile(r"\bR(\d{1,2})\.(\d{1,2})\s*[–-]\s*R?(\d{1,2})\.(\d{1,2})\b")
SECTION = re.compile(r"^## R(\d{1,2}) \S")
HEADING = re.compile(rf"^### ({ID}) — (\S.*)$")
BULLET = re.compile(r"^- ([A-Z][a-z]+(?: [a-z]+)*): (.*)$")
TICKED = re.compile(r"`([^`]+)`")
REPO_PATH = re.compile(r"^(?:fuwu|tests|docs|bench|templates|config|scripts)/[\w./-]+$")
ROUTE = re.compile(r"^(?:(?:GET|POST|PUT|PATCH|DELETE) )?(/\S*)$")
PLACEHOLDER = re.compile(r"<[^<>/]+>|\{[^{}/]+\}")

LINES = ("Status", "Built in", "Tested in", "Shown at")
STATUSES = {"built", "partly built", "not yet built"}
NOT_BUILT = "not yet built"
NONE = "—"


@dataclass
class Requirement:
    rid: str
    title: str
    section: str
    line: int
    statement: str = ""
    bullets: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        values = self.bullets.get(name, [])
        return values[0].strip() if len(values) == 1 else ""


def parse(text: str) -> list[Requirement]:
    requirements: list[Requirement] = []
    section = ""
    current: Requirement | None = None
    statement: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            current = None
            if match := SECTION.match(line):
                section = match.group(1)
            if match := HEADING.match(line):
                current = Requirement(match.group(1), match.group(2).strip(), section, number)
                requirements.append(current)
                statement = []
            continue
        if current is None:
            continue
        if match := BULLET.match(line):
            current.bullets.setdefault(match.group(1), []).append(match.group(2))
        elif not current.bullets:
            statement.append(line.strip())
            current.statement = " ".join(part for part in statement if part)
    return requirements


def requirements() -> list[Requirement]:
    return parse(DOC.read_text(encoding="utf-8"))


def _sort_key(rid: str) -> tuple[int, int]:
    major, minor = rid[1:].split(".")
    return int(major), int(minor)


def _text_files():
    for name in SCANNED_DIRS:
        for path in sorted((ROOT / name).rglob("*")):
            if not path.is_file() or path == DOC or SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
                continue
            try:
                yield path, path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue  # binary files cite nothing


def cited_ids() -> dict[str, str]:
    """Every requirement id cited in the project, with the first file citing it."""
    cited: dict[str, str] = {}
    for path, text in _text_files():
        where = str(path.relative_to(ROOT))
        for rid in CITED_ID.findall(text):
            cited.setdefault(rid, where)
        for major, first, end_major, last in CITED_RANGE.findall(text):
            if major == end_major:
                for minor in range(int(first), int(last) + 1):
                    cited.setdefault(f"R{major}.{minor}", where)
    return cited


def test_every_cited_requirement_has_a_heading():
    listed = {r.rid for r in requirements()}
    missing = {rid: where for rid, where in cited_ids().items() if rid not in listed}
    assert not missing, "Cited but without a heading in docs/requirements.md: " + ", ".join(
        f"{rid} (cited in {where})" for rid, where in sorted(missing.items(), key=lambda item: _sort_key(item[0]))
    )


def test_each_requirement_has_one_heading_in_its_own_section_in_order():
    found = requirements()
    ids = [r.rid for r in found]
    assert ids, "docs/requirements.md lists no requirement"
    assert len(ids) == len(set(ids)), f"Listed twice: {sorted({rid for rid in ids if ids.count(rid) > 1})}"
    misplaced = [
        f"{r.rid} (line {r.line}) under R{r.section or '?'}" for r in found if r.rid[1:].split(".")[0] != r.section
    ]
    assert not misplaced, f"Headings outside their section: {misplaced}"
    assert ids == sorted(ids, key=_sort_key), "Requirements are not in numeric order"


def test_no_requirement_has_an_empty_statement_or_title():
    empty = [f"{r.rid} (line {r.line})" for r in requirements() if not r.statement or not r.title]
    assert not empty, f"Requirements without a title or statement: {empty}"


def test_each_requirement_has_its_four_lines_and_they_agree():
    problems = []
    for r in requirements():
        for name in LINES:
            if len(r.bullets.get(name, [])) != 1:
                problems.append(f"{r.rid}: needs exactly one '- {name}:' line")
        status, built = r.value("Status"), r.value("Built in")
        if status not in STATUSES:
            problems.append(f"{r.rid}: status {status!r} is not one of {sorted(STATUSES)}")
        if (status == NOT_BUILT) != (built == NOT_BUILT):
            problems.append(f"{r.rid}: status {status!r} disagrees with 'Built in: {built}'")
        if status == NOT_BUILT and (r.value("Tested in") != NONE or r.value("Shown at") != NONE):
            problems.append(f"{r.rid}: not yet built, yet tested or shown somewhere")
        for name, empty in (("Built in", NOT_BUILT), ("Tested in", NONE), ("Shown at", NONE)):
            value = r.value(name)
            if value != empty and (not TICKED.findall(value) or TICKED.sub("", value).strip(" ,")):
                problems.append(f"{r.rid}: '{name}' is neither {empty!r} nor a list of `items`: {value!r}")
    assert not problems, "\n".join(problems)


def test_every_module_and_test_file_named_exists():
    missing = []
    for r in requirements():
        for name in ("Built in", "Tested in"):
            for value in r.bullets.get(name, []):
                missing += [f"{r.rid} {name}: {p}" for p in TICKED.findall(value) if not (ROOT / p).is_file()]
    # Paths named elsewhere in the document (notes, introduction) must exist too.
    for token in TICKED.findall(DOC.read_text(encoding="utf-8")):
        if REPO_PATH.match(token) and not (ROOT / token).exists():
            missing.append(f"elsewhere: {token}")
    assert not missing, "docs/requirements.md names files that do not exist:\n" + "\n".join(missing)


def test_every_page_and_endpoint_shown_resolves():
    problems = []
    for r in requirements():
        for value in r.bullets.get("Shown at", []):
            for token in TICKED.findall(value):
                match = ROUTE.match(token)
                if match is None:
                    problems.append(f"{r.rid}: {token!r} is not a path like /tickets/<id>/ or GET /api/v1/…")
                    continue
                path = PLACEHOLDER.sub("1", match.group(1).split("?", 1)[0])
                try:
                    resolve(path)
                except Resolver404:
                    problems.append(f"{r.rid}: {token} does not resolve ({path})")
    assert not problems, "\n".join(problems)
