"""Monthly report benchmark (R9.6, issue 14): building the service supervision report of the last
complete month on the load benchmark's dataset. See bench/README.md.

    .venv/bin/python bench/reports.py --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/
    .venv/bin/python bench/reports.py --tickets 100000          # SQLite

Runs after bench/load.py, on the dataset it built (database `fuwu_bench_load`, or
var/bench/load_<N>.sqlite3); it writes nothing there. Times `build_report("monthly", …)` (the
figures: every indicator against its target, volumes, breaches, complaints, surveys, the staff
ranking) `--runs` times, then the PDF and the workbook of one unsaved version, and counts the
queries. Budget: the build ≤ 3 s at 1,000,000 requests on PostgreSQL. Writes
bench/results/reports-<vendor>.json and .md.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

from phone_lookup import prepare_database
from server import BENCH_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BUDGET_SECONDS = 3.0
PG_BENCH_DB = "fuwu_bench_load"  # the load benchmark's dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted.")
    parser.add_argument("--pg-database", default=PG_BENCH_DB, help="The PostgreSQL database the dataset lives in.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database_url = prepare_database(database_url=args.database_url, sqlite_name=f"load_{args.tickets}",
                                    pg_name=args.pg_database, rebuild=False)
    vendor = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    os.environ.update({"DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": BENCH_SECRET_KEY,
                       "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fuwu.reports.builder import build_report
    from fuwu.reports.documents import report_pdf, report_xlsx
    from fuwu.reports.models import Report
    from fuwu.tickets.models import Ticket

    if not Ticket.objects.exists():
        sys.exit(f"No dataset at {database_url}: run bench/load.py --tickets {args.tickets} first.")
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            data = build_report("monthly", month)
        timings.append(time.perf_counter() - started)
    report = Report(kind="monthly", period_start=month.replace(day=1), period_end=month, version=1, data=data,
                    issued_at=timezone.now())
    started = time.perf_counter()
    pdf = report_pdf(report)
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    xlsx_bytes = len(report_xlsx(report))
    xlsx_seconds = time.perf_counter() - started
    record = {
        "vendor": vendor, "tickets": Ticket.objects.count(), "month": data["period"]["label"],
        "requests_in_month": data["volumes"]["total"], "queries": len(queries),
        "build_seconds": {"min": round(min(timings), 3), "max": round(max(timings), 3),
                          "median": round(sorted(timings)[len(timings) // 2], 3)},
        "pdf_seconds": round(pdf_seconds, 3), "pdf_bytes": len(pdf),
        "xlsx_seconds": round(xlsx_seconds, 3), "xlsx_bytes": xlsx_bytes,
        "budget_seconds": BUDGET_SECONDS if vendor == "postgresql" else None,
    }
    record["pass"] = record["budget_seconds"] is None or record["build_seconds"]["median"] <= BUDGET_SECONDS
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"reports-{vendor}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False))
    b = record["build_seconds"]
    lines = [f"# Monthly report build ({vendor}, {record['tickets']:,} requests)", "",
             f"Month {record['month']}: {record['requests_in_month']:,} requests received, "
             f"{record['queries']} queries.",
             "", "| step | seconds |", "|---|---|",
             f"| build (median of {args.runs}; min {b['min']}, max {b['max']}) | {b['median']} |",
             f"| PDF ({record['pdf_bytes']:,} bytes) | {record['pdf_seconds']} |",
             f"| workbook | {record['xlsx_seconds']} |", "",
             f"Budget: build ≤ {BUDGET_SECONDS} s on PostgreSQL at 1,000,000 requests — "
             + ("met." if record["pass"] else "MISSED.") if vendor == "postgresql" else "No budget on SQLite."]
    (RESULTS / f"reports-{vendor}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
