"""Due-date computations per second (issue "Service standards … SLA clocks", deliverable 3).

Pure business-time arithmetic, no database: a Monday–Friday 9:00–12:00, 13:00–18:00 calendar with
China's statutory holidays and adjusted working days from chinese-calendar, 8-hour targets from
random starts over 2025–2026, computed with `BusinessClock.add`. Also times `between`.

    .venv/bin/python bench/business_time.py [--count 200000]

Writes bench/results/business_time.json and .md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import chinese_calendar.constants as statutory  # noqa: E402

from fuwu.standards.businesstime import BusinessClock, Schedule  # noqa: E402

RESULTS = ROOT / "bench" / "results"
OFFICE = ((540, 720), (780, 1080))


def office_clock() -> BusinessClock:
    days = {day: () for day in statutory.holidays}
    days.update({day: OFFICE for day in statutory.workdays})
    years = frozenset(day.year for day in statutory.holidays)
    return BusinessClock(Schedule("Asia/Shanghai", (OFFICE,) * 5 + ((), ()), days, years))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    clock = office_clock()
    rng = random.Random(args.seed)
    origin = dt.datetime(2025, 1, 1, tzinfo=clock.zone)
    starts = [origin + dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)) for _ in range(args.count)]
    eight_hours = dt.timedelta(hours=8)
    clock.add(starts[0], eight_hours)  # builds the timeline once, as a long-running process has it

    began = time.perf_counter()
    dues = [clock.add(start, eight_hours).at for start in starts]
    add_seconds = time.perf_counter() - began

    began = time.perf_counter()
    for start, due in zip(starts, dues, strict=True):
        clock.between(start, due)
    between_seconds = time.perf_counter() - began

    result = {
        "benchmark": "business_time",
        "computations": args.count,
        "add_8h_per_second": round(args.count / add_seconds),
        "between_per_second": round(args.count / between_seconds),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "business_time.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "business_time.md").write_text(
        "# Business-time arithmetic\n\n"
        f"Mon–Fri 9–12, 13–18 with China's holidays; {args.count:,} random starts in 2025–2026; "
        f"{result['machine']['cpus']} CPUs, Python {result['machine']['python']}.\n\n"
        "| operation | per second |\n|---|---:|\n"
        f"| due instant of an 8-hour target (`add`) | {result['add_8h_per_second']:,} |\n"
        f"| business time between two instants (`between`) | {result['between_per_second']:,} |\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
