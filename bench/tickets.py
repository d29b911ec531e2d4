"""Service-request benchmark (issue: service requests): the agent's queues, a ticket page and
ticket creation at N tickets. See bench/README.md.

    .venv/bin/python bench/tickets.py --tickets 100000 [--database-url postgres://…/]

Builds (once) a dataset in its own database — var/bench/tickets_<N>.sqlite3 for SQLite, database
`fuwu_bench_tickets` on the PostgreSQL server: the demo organisation and customers, then N
requests registered through `ticket_register` by the demo front-line staff (about a fifth handed
over to the repair group and accepted, as in real work). Then times, through django.test.Client
with DEBUG off, sequentially: the queue pages (mine, group, filtered "all"), a ticket page, and
ticket creation through POST /api/v1/tickets. Writes bench/results/tickets.json and .md.
"""

import argparse
import json
import os
import platform
import random
import secrets
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phone_lookup import RESULTS, _percentiles, prepare_database  # shared helpers of the benchmarks

ROOT = Path(__file__).resolve().parent.parent
PG_BENCH_DB = "fuwu_bench_tickets"


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted.")
    parser.add_argument("--requests", type=int, default=300, help="Timed requests per measured page.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def _build(args, rng: random.Random) -> float:
    """Register the tickets through the real action; returns tickets per second."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from fuwu.customers.models import Contact
    from fuwu.org.models import Group, Region
    from fuwu.standards.models import ServiceType
    from fuwu.tickets import actions
    from fuwu.tickets.validation import TicketInput

    call_command("seed_demo", customers=args.customers, tickets=0, seed=args.seed, stdout=sys.stderr)
    users = get_user_model().objects
    front = list(users.filter(profile__roles__code="agent", profile__is_active=True))
    technicians = list(users.filter(profile__group__code="repair", profile__is_active=True))
    repair = Group.objects.get(code="repair")
    types = list(ServiceType.objects.filter(is_active=True))
    regions = list(Region.objects.all())
    contacts = list(Contact.objects.exclude(phone="").values_list("customer_id", "name", "phone")[:5000])
    started = time.perf_counter()
    for n in range(args.tickets):
        customer_id, name, phone = rng.choice(contacts)
        service_type = rng.choice(types)
        agent = front[n % len(front)]
        ticket = actions.ticket_register(actor=agent, data=TicketInput(
            service_type_id=service_type.pk, title=f"{service_type.name} {n}", contact_name=name,
            contact_phone=phone, customer_id=customer_id, site_address="上海市浦东新区世纪大道100号",
            region_id=rng.choice(regions).pk, occurred_since="今天上午", description="基准测试数据"))
        if n % 5 == 0:
            handover = actions.ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                                to_group=repair, note="请上门处理")
            actions.handover_accept(actor=rng.choice(technicians), handover=handover)
        if n % 5000 == 0 and n:
            print(f"  {n:,} tickets, {n / (time.perf_counter() - started):.0f}/s", file=sys.stderr, flush=True)
    return args.tickets / (time.perf_counter() - started)


def _time(client, method: str, url: str, count: int, **kwargs) -> dict:
    for _ in range(min(20, count)):
        getattr(client, method)(url, **kwargs)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = getattr(client, method)(url, **kwargs)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            sys.exit(f"{method.upper()} {url} answered {response.status_code}")
    return _percentiles(samples)


def main() -> None:
    args = _parse_args()
    os.environ["DATABASE_URL"] = prepare_database(
        database_url=args.database_url, sqlite_name=f"tickets_{args.tickets}", pg_name=PG_BENCH_DB,
        rebuild=args.rebuild,
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from fuwu.standards.models import ServiceType
    from fuwu.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: pages use the manifest
    rng = random.Random(args.seed)
    build_rate = None
    existing = Ticket.objects.count()
    if existing == 0:
        print(f"Building: {args.tickets:,} tickets on {connection.vendor}…", file=sys.stderr, flush=True)
        build_rate = _build(args, rng)
    elif existing < args.tickets:
        sys.exit(f"The bench database holds {existing} tickets, fewer than {args.tickets}; run with --rebuild.")

    users = get_user_model().objects
    agent = users.filter(profile__roles__code="agent").order_by("id").first()
    manager = users.get(username="manager")
    sample_ticket = Ticket.objects.filter(owner__profile__group__code="repair").order_by("-id").first()
    consultation = ServiceType.objects.get(code="consultation")
    n = args.requests
    results = {}
    agent_client = Client(HTTP_HOST="localhost")
    agent_client.force_login(agent)
    manager_client = Client(HTTP_HOST="localhost")
    manager_client.force_login(manager)
    results["queue_mine"] = _time(agent_client, "get", "/tickets/?queue=mine", n)
    results["queue_group"] = _time(agent_client, "get", "/tickets/?queue=group", n)
    results["queue_all_filtered"] = _time(
        manager_client, "get", "/tickets/?queue=all&status=accepted&priority=high&sort=received", n)
    results["queue_first_contact"] = _time(agent_client, "get", "/tickets/?queue=first_contact", n)
    results["ticket_page"] = _time(agent_client, "get", f"/tickets/{sample_ticket.pk}/", n)
    body = {"service_type_id": consultation.pk, "title": "咨询保修政策", "contact_name": "陈先生",
            "contact_phone": "13912345678", "channel": "phone"}
    results["ticket_create_api"] = _time(agent_client, "post", "/api/v1/tickets", n, data=body,
                                         content_type="application/json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        db_version = cursor.fetchone()[0]
    record = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "database": {"vendor": connection.vendor, "version": db_version},
        "dataset": {"tickets": Ticket.objects.count(), "customers": args.customers},
        "build_tickets_per_second": round(build_rate, 1) if build_rate else None,
        "sequential_ms": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "tickets.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved[connection.vendor] = record
    path.write_text(json.dumps(saved, indent=2, ensure_ascii=False) + "\n")
    lines = ["# Service requests benchmark", "", "| database | page | n | p50 ms | p95 ms | p99 ms |",
             "|---|---|---|---|---|---|"]
    for vendor, rec in saved.items():
        for name, p in rec["sequential_ms"].items():
            lines.append(f"| {vendor} {rec['database']['version']} ({rec['dataset']['tickets']:,} tickets) | {name} "
                         f"| {p['n']} | {p['p50']} | {p['p95']} | {p['p99']} |")
    (RESULTS / "tickets.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
