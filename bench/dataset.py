"""The load benchmark's dataset, seen from inside Django: sizes and samples, as JSON on stdout.

    DATABASE_URL=… .venv/bin/python bench/dataset.py [--seed 2026]

Run by `bench/load.py` (which itself stays free of Django, so the load client costs the server
as little CPU as possible). Prints the counts of what `seed_demo` made (requests, events,
hand-overs, clocks, customers) and what the load client needs: ticket ids to open, phone numbers
to look up, the ids of the repair group, service types and regions.
"""

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min

    from fuwu.core.models import AuditEvent
    from fuwu.customers.models import Contact, Customer
    from fuwu.fieldservice.models import Visit, WorkOrder
    from fuwu.org.models import Group, Region
    from fuwu.standards.models import ServiceType
    from fuwu.tickets.lifecycle import OPEN_STATUSES
    from fuwu.tickets.models import Handover, SlaClock, Ticket

    rng = random.Random(args.seed)
    bounds = Ticket.objects.aggregate(low=Min("id"), high=Max("id"))
    ticket_ids: list[int] = []
    if bounds["low"] is not None:
        wanted = [rng.randint(bounds["low"], bounds["high"]) for _ in range(args.samples * 2)]
        existing = set(Ticket.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        ticket_ids = [pk for pk in wanted if pk in existing][: args.samples]
    contacts = Contact.objects.filter(is_active=True).exclude(phone="")
    contact_bounds = contacts.aggregate(low=Min("id"), high=Max("id"))
    phones: list[str] = []
    if contact_bounds["low"] is not None:
        wanted = [rng.randint(contact_bounds["low"], contact_bounds["high"]) for _ in range(args.samples * 2)]
        phones = list(contacts.filter(pk__in=wanted).values_list("phone", flat=True))[: args.samples]
    customers = list(Customer.objects.filter(is_active=True).order_by("-id").values_list("id", flat=True)[:500])
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    print(json.dumps({
        "database": {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])},
        "counts": {
            "tickets": Ticket.objects.count(),
            "open_tickets": Ticket.objects.filter(status__in=OPEN_STATUSES).count(),
            "audit_events": AuditEvent.objects.count(),
            "handovers": Handover.objects.count(),
            "sla_clocks": SlaClock.objects.count(),
            "work_orders": WorkOrder.objects.count(),
            "visits": Visit.objects.count(),
            "customers": Customer.objects.count(),
            "contacts": Contact.objects.count(),
        },
        "ticket_ids": ticket_ids,
        "phones": phones,
        "customer_ids": customers,
        "groups": dict(Group.objects.values_list("code", "id")),
        "service_types": dict(ServiceType.objects.values_list("code", "id")),
        "regions": list(Region.objects.order_by("id").values_list("id", flat=True)),
    }))


if __name__ == "__main__":
    main()
