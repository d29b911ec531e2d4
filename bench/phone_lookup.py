"""Phone lookup benchmark (R2.3): who is calling, at N customers. See bench/README.md.

    .venv/bin/python bench/phone_lookup.py --customers 100000 [--database-url postgres://…/]

Builds (once) a dataset of N demo customers with `manage.py seed_demo` in a separate database —
var/bench/phone_lookup_<N>.sqlite3 for SQLite, database `fuwu_bench` on the PostgreSQL server —
then times `customer_lookup_by_phone` (manager viewer) and GET /api/v1/customers/lookup (logged-in
manager, through django.test.Client) for random existing numbers plus some unknown ones.
Writes bench/results/phone_lookup.json and .md. Budget: p95 < 20 ms at 100,000 customers.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from server import BENCH_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BUDGET_P95_MS = 20.0
PG_BENCH_DB = "fuwu_bench"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted.")
    parser.add_argument("--lookups", type=int, default=1000, help="Existing numbers to look up.")
    parser.add_argument("--unknown", type=int, default=100, help="Unknown numbers to look up as well.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild the dataset.")
    return parser.parse_args()


def prepare_database(*, database_url: str, sqlite_name: str, pg_name: str, rebuild: bool) -> str:
    """The bench database's URL (SQLite file under var/bench, or a PostgreSQL database made if missing)."""
    if not database_url:
        path = ROOT / "var" / "bench" / f"{sqlite_name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(database_url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{pg_name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
    return urlunsplit(parts._replace(path=f"/{pg_name}"))


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "mean": round(statistics.fmean(ordered), 3),
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(ordered[-1], 3),
    }


def main() -> None:
    args = _parse_args()
    os.environ["DATABASE_URL"] = prepare_database(
        database_url=args.database_url, sqlite_name=f"phone_lookup_{args.customers}", pg_name=PG_BENCH_DB,
        rebuild=args.rebuild,
    )
    # Production-like: no SQL logging, no debug pages.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic needed here
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from fuwu.customers.models import Contact, Customer
    from fuwu.customers.selectors import customer_lookup_by_phone

    call_command("migrate", verbosity=0)
    existing = Customer.objects.count()
    seed_seconds = None
    if existing == 0:
        print(f"Building the dataset: {args.customers} customers on {connection.vendor}…", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", customers=args.customers, seed=args.seed, stdout=sys.stderr)
        seed_seconds = time.perf_counter() - started
        existing = Customer.objects.count()
    elif existing != args.customers:
        sys.exit(f"The bench database holds {existing} customers, not {args.customers}; run with --rebuild.")

    rng = random.Random(args.seed)
    phones = list(Contact.objects.exclude(phone="").values_list("phone", flat=True))
    known = rng.sample(phones, min(args.lookups, len(phones)))
    taken = set(phones)
    unknown: list[str] = []
    while len(unknown) < args.unknown:
        candidate = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        if candidate not in taken:
            unknown.append(candidate)
    numbers = known + unknown
    rng.shuffle(numbers)

    manager = get_user_model().objects.get(username="manager")
    selector_ms, matches = [], []
    for phone in numbers[:50]:  # warm-up: connection, caches
        customer_lookup_by_phone(manager, phone)
    for phone in numbers:
        started = time.perf_counter()
        found = customer_lookup_by_phone(manager, phone)
        selector_ms.append((time.perf_counter() - started) * 1000)
        matches.append(len(found))

    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    endpoint_ms = []
    for phone in numbers[:50]:
        client.get("/api/v1/customers/lookup", {"phone": phone})
    for phone in numbers:
        started = time.perf_counter()
        response = client.get("/api/v1/customers/lookup", {"phone": phone})
        endpoint_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"GET /api/v1/customers/lookup?phone={phone} answered {response.status_code}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        db_version = cursor.fetchone()[0]
    unknown_set = set(unknown)
    known_matches = [m for phone, m in zip(numbers, matches, strict=True) if phone not in unknown_set]
    result = {
        "benchmark": "phone_lookup",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "database": {"vendor": connection.vendor, "version": db_version, "name": str(connection.settings_dict["NAME"])},
        "dataset": {
            "customers": existing,
            "contacts": Contact.objects.count(),
            "seed": args.seed,
            "built_seconds": round(seed_seconds, 1) if seed_seconds else None,
            "built_customers_per_second": round(existing / seed_seconds) if seed_seconds else None,
        },
        "lookups": {
            "known": len(known),
            "unknown": len(unknown),
            "mean_matches_known": round(statistics.fmean(known_matches), 3) if known_matches else 0,
        },
        "budget_p95_ms": BUDGET_P95_MS,
        "selector_ms": _percentiles(selector_ms),
        "endpoint_ms": _percentiles(endpoint_ms),
    }
    result["within_budget"] = result["endpoint_ms"]["p95"] < BUDGET_P95_MS
    _write(result)


def _write(result: dict) -> None:
    """bench/results/phone_lookup.json keeps the latest result per database vendor; the .md shows them all."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS / "phone_lookup.json", RESULTS / "phone_lookup.md"
    results = json.loads(json_path.read_text()) if json_path.is_file() else {}
    results[result["database"]["vendor"]] = result
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = ["# Phone lookup benchmark (R2.3)", "", "Written by `bench/phone_lookup.py`; see bench/README.md.", ""]
    for vendor in sorted(results):
        lines += _markdown(results[vendor])
    md_path.write_text("\n".join(lines))
    print("\n".join(_markdown(result)))
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")


def _markdown(result: dict) -> list[str]:
    db, data, machine = result["database"], result["dataset"], result["machine"]
    lines = [
        f"## {db['vendor']} {db['version']}, {data['customers']:,} customers",
        "",
        f"{result['when']} · {machine['cpu_count']} CPUs · Python {machine['python']} · {machine['platform']} · "
        f"load average {machine['load_average_1m']}",
        "",
        f"{result['lookups']['known']} existing numbers (mean {result['lookups']['mean_matches_known']} matches) "
        f"and {result['lookups']['unknown']} unknown numbers, in random order. Budget: p95 < {BUDGET_P95_MS:g} ms.",
        "",
        "| Path | n | mean ms | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, key in (("`customer_lookup_by_phone` (selector)", "selector_ms"),
                       ("GET /api/v1/customers/lookup", "endpoint_ms")):
        s = result[key]
        lines.append(f"| {label} | {s['n']} | {s['mean']} | {s['p50']} | {s['p95']} | {s['p99']} | {s['max']} |")
    if data["built_seconds"]:
        lines += ["", f"Dataset built by `seed_demo` in {data['built_seconds']} s "
                      f"({data['built_customers_per_second']:,} customers/s, staff and logins included)."]
    lines += ["", f"Within budget (endpoint p95): {'yes' if result['within_budget'] else 'NO'}.", ""]
    return lines


if __name__ == "__main__":
    main()
