"""Fill an empty database with demo data: organisation, staff, one login per role, customers, materials.

Idempotent: on a database that already has the demo data it changes nothing and says so.
Deterministic for a seed. All rows are written by actions, so the audit chain covers them.
"""

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from fuwu.complaints import demo as complaints_demo
from fuwu.customers import demo as customer_demo
from fuwu.faults import demo as faults_demo
from fuwu.fieldservice import bulkload as field_bulkload
from fuwu.fieldservice import demo as field_demo
from fuwu.followups import demo as followup_demo
from fuwu.improvements import demo as improvements_demo
from fuwu.inspections import demo as inspections_demo
from fuwu.materials import demo as materials_demo
from fuwu.org import demo as org_demo
from fuwu.org.roles import Role
from fuwu.quality import demo as quality_demo
from fuwu.reports import demo as reports_demo
from fuwu.standards.demo import calendars as calendar_demo
from fuwu.standards.demo import commitments as standards_demo
from fuwu.standards.demo import sla as sla_demo
from fuwu.surveys import demo as survey_demo
from fuwu.tickets import bulkload as ticket_bulkload
from fuwu.tickets import demo as ticket_demo
from fuwu.tickets.demo import simulated_clock


class Command(BaseCommand):
    help = "Create demo data (regions, staff, one login per role, customers). Does nothing if already present."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument("--customers", type=int, default=2000, help="How many customers (default 2000).")
        parser.add_argument("--staff", type=int, default=30, help="How many staff members, about (default 30).")
        parser.add_argument("--tickets", type=int, default=800, help="How many service requests (default 800).")
        parser.add_argument("--work-orders", type=int, default=None,
                            help="On-site repairs played through the actions (default: one per six requests, "
                                 "at most 300); with --fast, at most this many of the on-site requests get a "
                                 "work order (default: all whose visit fits a technician's calendar).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Customers registered per batch.")
        parser.add_argument(
            "--fast", action="store_true",
            help="Write the requests' year directly (COPY on PostgreSQL) instead of through the actions: "
                 "for large --tickets (fuwu.tickets.bulkload).",
        )
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument(
            "--year-only", action="store_true",
            help="Only the organisation, customers, the requests' year, work orders and materials: no surveys, "
                 "follow-ups, complaints, improvement, fault reports, inspections (whose findings are requests "
                 "too), indicators or reports.")

    def handle(self, *args, **options):
        if options["print_logins"]:
            self._print_logins()
            return
        state = org_demo.demo_state()
        if state == "present":
            self.stdout.write("demo data already present")
            self._print_logins()
            return
        if state == "partial":
            raise CommandError(
                "Some demo regions or logins (admin, manager, …) exist but not all of them; "
                "seed_demo only fills a database without them."
            )
        started = time.perf_counter()
        # With DEBUG on, every statement's SQL would also be logged with its parameters: not for a bulk load.
        with override_settings(DEBUG=False), transaction.atomic():
            regions, skills = org_demo.seed_regions_and_skills()
            logins = org_demo.seed_staff(seed=options["seed"], staff=options["staff"], regions=regions,
                                         skills=skills)
            # Standards before the requests, so the demo year runs under them (R10).
            standards_demo.seed_standards(actor=logins[Role.MANAGER])
            calendar_demo.seed_calendars(regions=regions, staff_by_role=logins, seed=options["seed"])
            sla_demo.seed_sla_policies(regions=regions)
            customers_started = time.perf_counter()
            created = customer_demo.seed_customers(
                seed=options["seed"],
                count=options["customers"],
                region_ids={r.code: r.pk for r in regions},
                today=timezone.localdate(),
                batch_size=options["batch_size"],
                progress=self._progress if sys.stderr.isatty() else None,
            )
            customers_seconds = time.perf_counter() - customers_started
            login = next(d for d in org_demo.DEMO_LOGINS if d.role == Role.CUSTOMER)
            customer_demo.seed_portal_login(username=login.username, password=org_demo.DEMO_PASSWORD)
            seed_tickets = ticket_bulkload.seed_tickets_fast if options["fast"] else ticket_demo.seed_tickets
            seed_tickets(seed=options["seed"], count=options["tickets"], log=self.stdout.write)
            # The materials ledger (R13.2): a few hundred actions, the same on both paths, dated at the start
            # of the demo year so the technicians hold parts before the year's repairs use them.
            with simulated_clock() as clock:
                clock["at"] = timezone.now() - datetime.timedelta(days=366)
                materials_demo.seed_materials(seed=options["seed"], actor=logins[Role.MANAGER],
                                              log=self.stdout.write)
            work_orders = options["work_orders"]
            if options["fast"]:  # the on-site requests just loaded get their work orders (fuwu.fieldservice.bulkload)
                field_bulkload.seed_work_orders_fast(seed=options["seed"], limit=work_orders, log=self.stdout.write)
            else:
                if work_orders is None:
                    work_orders = min(300, options["tickets"] // 6)
                field_demo.seed_work_orders(seed=options["seed"], count=work_orders, log=self.stdout.write)
            if not options["year_only"]:
                self._seed_supervision(options, logins)
        if sys.stderr.isatty():
            self.stderr.write("")
        rate = created / customers_seconds if customers_seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created in {time.perf_counter() - started:.1f} s: "
                f"{created} customers ({rate:,.0f} per second)."
            )
        )
        self._print_logins()

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{done}/{total} customers", ending="")

    def _print_logins(self) -> None:
        self.stdout.write("Demo logins (role, username, password):")
        for line in org_demo.login_lines():
            self.stdout.write(f"  {line}")

    def _seed_supervision(self, options, logins) -> None:
        """What follows the requests' year: surveys, follow-ups, complaints, improvement, fault reports,
        inspections, indicators and reports."""
        # Satisfaction surveys (R9.1) for a share of the resolved requests; the --fast year only its latest.
        survey_demo.seed_surveys(seed=options["seed"], actor=logins[Role.MANAGER],
                                 recent=2000 if options["fast"] else None, log=self.stdout.write)
        # Follow-ups (R8): after the requests and repairs; with --fast, the recent requests only.
        followup_demo.seed_follow_ups(seed=options["seed"], fast=options["fast"], log=self.stdout.write)
        # Complaint records (R6) for the year's complaints; with --fast only the recent ones.
        complaints_demo.seed_complaints(seed=options["seed"], recent_days=90 if options["fast"] else None,
                                        limit=200 if options["fast"] else None, log=self.stdout.write)
        # Improvement (R17): actions from the complaints found valid, preventive ones, suggestions.
        improvements_demo.seed_improvements(seed=options["seed"], complaints=complaints_demo.improvement_sources(),
                                            limit=40 if options["fast"] else None, log=self.stdout.write)
        # Major fault reports (R7): a handful over the year, most closed with their analysis; the same with --fast.
        faults_demo.seed_faults(seed=options["seed"], log=self.stdout.write)
        # Inspection rounds and mystery shopping (R9.4, R9.7): monthly rounds over the year, some findings.
        inspections_demo.seed_inspections(seed=options["seed"], fast=options["fast"], log=self.stdout.write)
        # Indicator targets and a year of snapshots (R9.5), after everything they measure.
        quality_demo.seed_quality(actor=logins[Role.MANAGER], owner=logins[Role.MANAGER], log=self.stdout.write)
        # Last month's supervision report and last week's report (R8.4, R9.6), against those targets.
        reports_demo.seed_reports(supervisor=logins[Role.QUALITY_SUPERVISOR], manager=logins[Role.MANAGER],
                                  general_manager=logins[Role.GENERAL_MANAGER], log=self.stdout.write)
