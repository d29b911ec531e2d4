"""Load benchmark (issue 5): Fuwu served as in production, measured over loopback. See bench/README.md.

    .venv/bin/python bench/load.py --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/
    .venv/bin/python bench/load.py --tickets 100000            # SQLite

1. Dataset: `manage.py seed_demo --customers C --tickets N --fast` into its own database
   (var/bench/load_<N>.sqlite3, or `fuwu_bench_load` on the PostgreSQL server); reused while its
   size matches, rebuilt otherwise (or with --rebuild). The build time is reported.
2. Server: granian (WSGI, 2 workers) with DEBUG off and the huey worker (`bench/server.py`).
3. Client (this process, no Django in it): logs in over HTTP as the demo agent and manager and
   measures, first one request at a time (p50/p95/p99), then with 8 concurrent clients for a
   bounded time (throughput, errors, percentiles):
   the agent's queues (mine, group, a filtered list), a ticket page, ticket creation
   (POST /api/v1/tickets), a hand-over (POST /api/v1/tickets/{id}/handover), the phone lookup, and
   the manager's and general manager's home pages (service health, issue 14).
4. PostgreSQL only: pgbench's TPC-B-like script on the same database, 8 clients, as the ceiling
   the ticket creation rate is compared with.

Writes bench/results/load-<vendor>.json and .md, with the machine and the dataset described and
each figure against its budget.
"""

# ruff: noqa: S603, S607 - runs the project's own commands and pgbench
import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phone_lookup import _percentiles, prepare_database  # shared helpers of the benchmarks
from server import BENCH_SECRET_KEY, PY, ROOT, ProductionServer

RESULTS = ROOT / "bench" / "results"
PG_BENCH_DB = "fuwu_bench_load"
DEMO_PASSWORD = "fuwu-demo-2026"  # noqa: S105 - the documented demo password (fuwu.org.demo)

# Budgets at 1,000,000 requests on PostgreSQL (issue 5); SQLite at 100,000 gets twice the time and half the rate.
BUDGET_P95_MS = {
    "queue_mine": 60, "queue_group": 60, "queue_filtered": 60, "ticket_page": 80, "ticket_create": 40,
    "phone_lookup": 20, "home_manager": 300, "home_gm": 300,  # issue 14: the role home pages
}
BUDGET_CREATE_PER_SECOND = 250


# --- HTTP client ------------------------------------------------------------------------------------------------


class Session:
    """One logged-in user on one keep-alive connection; cookies and the CSRF token kept by hand."""

    def __init__(self, base_url: str, username: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.username = username
        page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        form = urlencode({"username": username, "password": DEMO_PASSWORD,
                          "csrfmiddlewaretoken": token.group(1).decode()})
        answer = self.request("POST", "/login/", body=form, content_type="application/x-www-form-urlencoded")
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({answer.status})")

    def clone(self) -> "Session":
        """Another connection with the same login (what a second browser tab would do)."""
        other = object.__new__(Session)
        other.host, other.port, other.username = self.host, self.port, self.username
        other.cookies = dict(self.cookies)
        other.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return other

    def request(self, method: str, path: str, *, body: str | None = None, content_type: str = "application/json"):
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            headers["Content-Type"] = content_type
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # keep-alive connection closed by the server: one retry on a fresh one
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, data)


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self):
        return json.loads(self.body)


# --- Scenarios --------------------------------------------------------------------------------------------------


@dataclass
class Fixture:
    """What the scenarios draw from: the dataset's samples, and tickets created here for the hand-overs."""

    data: dict
    rng: random.Random
    created: list = field(default_factory=list)  # (ticket id, version) created by the benchmark, not handed over
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ticket_page(self) -> str:
        return f"/tickets/{self.rng.choice(self.data['ticket_ids'])}/"

    def phone(self) -> str:
        if self.rng.random() < 0.1:  # an unknown caller now and then
            return f"/api/v1/customers/lookup?phone=1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
        return f"/api/v1/customers/lookup?phone={self.rng.choice(self.data['phones'])}"

    def new_ticket(self) -> str:
        rng, data = self.rng, self.data
        return json.dumps({
            "service_type_id": data["service_types"]["repair"], "title": "空调不制冷",
            "description": "办公区中央空调开机后只吹自然风，室温降不下来。", "channel": "phone",
            "customer_id": rng.choice(data["customer_ids"]), "contact_name": "陈先生",
            "contact_phone": f"139{rng.randrange(10**8):08d}", "site_address": "上海市浦东新区世纪大道100号",
            "region_id": rng.choice(data["regions"]), "occurred_since": "今天上午",
        }, ensure_ascii=False)

    def take_created(self):
        with self.lock:
            return self.created.pop() if self.created else None


FILTERED = "/tickets/?" + urlencode({"queue": "all", "status": "closed", "sort": "received"})


def scenario(name: str, session: Session, fixture: Fixture):
    """One request of the scenario: returns (ok, seconds). Only the measured request is timed."""
    if name == "queue_mine":
        method, path, body = "GET", "/tickets/?queue=mine", None
    elif name == "queue_group":
        method, path, body = "GET", "/tickets/?queue=group", None
    elif name == "queue_filtered":
        method, path, body = "GET", fixture.data["filtered_path"], None
    elif name == "ticket_page":
        method, path, body = "GET", fixture.ticket_page(), None
    elif name == "phone_lookup":
        method, path, body = "GET", fixture.phone(), None
    elif name in ("home_manager", "home_gm"):  # service health: snapshots, targets and the live backlog
        method, path, body = "GET", "/", None
    elif name == "ticket_create":
        method, path, body = "POST", "/api/v1/tickets", fixture.new_ticket()
    elif name == "handover":
        taken = fixture.take_created()
        if taken is None:
            return None
        ticket_id, version = taken
        method, path = "POST", f"/api/v1/tickets/{ticket_id}/handover"
        body = json.dumps({"to_group_id": fixture.data["groups"]["repair"], "note": "请上门检修，客户上午在。",
                           "version": version}, ensure_ascii=False)
    else:
        raise ValueError(name)
    started = time.perf_counter()
    reply = session.request(method, path, body=body)
    seconds = time.perf_counter() - started
    ok = reply.status < 400
    if ok and name == "ticket_create":
        created = reply.json()
        with fixture.lock:
            fixture.created.append((created["id"], created["version"]))
    return ok, seconds, reply.status


SCENARIOS = ["queue_mine", "queue_group", "queue_filtered", "ticket_page", "ticket_create", "handover", "phone_lookup",
             "home_manager", "home_gm"]


def who(name: str) -> str:
    return {"queue_filtered": "manager", "home_manager": "manager", "home_gm": "gm"}.get(name, "agent")


def sequential(name: str, sessions: dict[str, Session], fixture: Fixture, count: int) -> dict:
    session = sessions[who(name)]
    for _ in range(min(20, count) if name not in ("ticket_create", "handover") else 0):  # warm-up
        scenario(name, session, fixture)
    samples, errors, statuses = [], 0, {}
    for _ in range(count):
        result = scenario(name, session, fixture)
        if result is None:
            break
        ok, seconds, status = result
        if ok:
            samples.append(seconds * 1000)
        else:
            errors += 1
            statuses[status] = statuses.get(status, 0) + 1
    return {**(_percentiles(samples) if len(samples) > 1 else {"n": len(samples)}), "errors": errors,
            "error_statuses": statuses}


def concurrent(name: str, sessions: dict[str, Session], fixture: Fixture, clients: int, seconds: float) -> dict:
    base = sessions[who(name)]
    workers = [base.clone() for _ in range(clients)]
    samples: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    statuses: dict[int, int] = {}
    exhausted = threading.Event()
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def run(index: int) -> None:
        session = workers[index]
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            try:
                result = scenario(name, session, fixture)
            except OSError:
                errors[index] += 1
                continue
            if result is None:
                exhausted.set()
                return
            ok, took, status = result
            if ok:
                samples[index].append(took * 1000)
            else:
                errors[index] += 1
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    merged = [s for per in samples for s in per]
    result = {
        **(_percentiles(merged) if len(merged) > 1 else {"n": len(merged)}),
        "clients": clients, "seconds": round(elapsed, 2), "errors": sum(errors), "error_statuses": statuses,
        "per_second": round(len(merged) / elapsed, 1) if elapsed else 0,
    }
    if exhausted.is_set():
        result["note"] = "ran out of freshly created requests to hand over before the time was up"
    return result


# --- pgbench ----------------------------------------------------------------------------------------------------


def pgbench(database_url: str, clients: int, seconds: int, scale: int) -> dict | None:
    if shutil.which("pgbench") is None:
        print("pgbench is not installed (Debian: postgresql-contrib / postgresql-client): ceiling skipped.")
        return None
    uri = database_url.replace("postgres://", "postgresql://", 1)
    subprocess.run(["pgbench", "-i", "-q", "-s", str(scale), uri], check=True, capture_output=True)
    try:
        out = subprocess.run(["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), "-M", "prepared", uri],
                             check=True, capture_output=True, text=True).stdout
    finally:
        subprocess.run(["pgbench", "-i", "-I", "d", uri], check=False, capture_output=True)  # drop its tables
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    version = subprocess.run(["pgbench", "--version"], capture_output=True, text=True).stdout.strip()
    return {"script": "TPC-B (sort of), built in", "scale": scale, "clients": clients, "threads": 2,
            "seconds": seconds, "mode": "prepared", "tps": float(tps.group(1)) if tps else None,
            "latency_avg_ms": float(latency.group(1)) if latency else None, "version": version}


# --- Main -------------------------------------------------------------------------------------------------------


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted.")
    parser.add_argument("--pg-database", default=PG_BENCH_DB, help="The PostgreSQL database the dataset lives in.")
    parser.add_argument("--requests", type=int, default=300, help="Sequential requests per scenario.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20, help="Length of each concurrent phase.")
    parser.add_argument("--workers", type=int, default=2, help="Server worker processes.")
    parser.add_argument("--threads", type=int, default=1, help="Blocking threads per worker.")
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def _django(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run([PY, *args], cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return result.stdout or ""


def build_dataset(args) -> tuple[dict, str]:
    """The dataset's view (dataset.py) and URL: reused when the marker says it has the wanted size, else rebuilt."""
    database_url = prepare_database(database_url=args.database_url, sqlite_name=f"load_{args.tickets}",
                                    pg_name=args.pg_database, rebuild=False)
    vendor = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    marker = ROOT / "var" / "bench" / f"load-{vendor}-{Path(urlsplit(database_url).path).name}.json"
    # "field": what the fast path writes besides the requests; a new value rebuilds datasets made before it.
    wanted = {"tickets": args.tickets, "customers": args.customers, "seed": args.seed,
              "field": "work orders bulk-loaded"}
    known = json.loads(marker.read_text()) if marker.is_file() and not args.rebuild else {}
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": BENCH_SECRET_KEY,
           "ALLOWED_HOSTS": "127.0.0.1", "PYTHONWARNINGS": "ignore::UserWarning"}
    if known.get("dataset") != wanted:
        marker.unlink(missing_ok=True)
        database_url = prepare_database(database_url=args.database_url, sqlite_name=f"load_{args.tickets}",
                                        pg_name=args.pg_database, rebuild=True)
        env["DATABASE_URL"] = database_url
        print(f"Building the dataset ({args.tickets:,} requests, {args.customers:,} customers, {vendor})…",
              flush=True)
        started = time.perf_counter()
        _django(env, "manage.py", "migrate", "--no-input", "-v0")
        out = _django(env, "manage.py", "seed_demo", "--customers", str(args.customers), "--tickets",
                      str(args.tickets), "--seed", str(args.seed), "--fast", capture=True)
        built = time.perf_counter() - started
        if vendor == "postgresql":  # what autovacuum does soon after a load: visibility map and statistics
            import psycopg

            with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
                conn.execute("VACUUM (ANALYZE)")
        lines = [line for line in out.splitlines()
                 if any(part in line for part in ("service requests in", "given work orders", "Demo data created"))]
        print("\n".join(lines), flush=True)
        known = {"dataset": wanted, "built_seconds": round(built, 1), "seed_output": lines}
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(known, ensure_ascii=False, indent=2))
    else:
        _django(env, "manage.py", "migrate", "--no-input", "-v0")
    view = json.loads(_django(env, "bench/dataset.py", "--seed", str(args.seed), capture=True))
    view["build"] = known
    return view, database_url


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else ""
    total_kb = re.search(r"MemTotal:\s+(\d+)", meminfo)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "ram_gb": round(int(total_kb.group(1)) / 1024 / 1024, 1) if total_kb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    args = _parse_args()
    host = machine()
    data, database_url = build_dataset(args)
    vendor = data["database"]["vendor"]
    data["filtered_path"] = FILTERED
    fixture = Fixture(data=data, rng=random.Random(args.seed))
    print(f"Dataset: {data['counts']['tickets']:,} requests on {vendor} {data['database']['version']}", flush=True)
    with ProductionServer(database_url=database_url, workers=args.workers, threads=args.threads,
                          log_dir=ROOT / "var" / "bench" / "logs") as server:
        sessions = {"agent": Session(server.base_url, "agent"), "manager": Session(server.base_url, "manager"),
                    "gm": Session(server.base_url, "gm")}
        seq, conc = {}, {}
        for name in SCENARIOS:
            seq[name] = sequential(name, sessions, fixture, args.requests)
            print(f"  sequential {name:15} {_line(seq[name])}", flush=True)
        for name in SCENARIOS:
            conc[name] = concurrent(name, sessions, fixture, args.clients, args.seconds)
            print(f"  {args.clients} clients  {name:15} {_line(conc[name])} {conc[name]['per_second']}/s", flush=True)
        server_description = server.description
    ceiling = pgbench(database_url, args.clients, int(args.seconds), args.pgbench_scale) if vendor == "postgresql" \
        else None
    host["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    record = {
        "benchmark": "load",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": host,
        "database": data["database"],
        "dataset": {**data["counts"], "seed": args.seed, "requested_tickets": args.tickets,
                    "built_seconds": data["build"].get("built_seconds"),
                    "seed_output": data["build"].get("seed_output")},
        "server": server_description,
        "client": {"kind": "Python http.client, keep-alive, one connection per client, same machine",
                   "sequential_requests": args.requests, "concurrent_clients": args.clients,
                   "concurrent_seconds": args.seconds, "filtered_queue": FILTERED},
        "sequential_ms": seq,
        "concurrent": conc,
        "pgbench": ceiling,
    }
    record["budgets"] = judge(record, vendor)
    write(record, vendor)


def judge(record: dict, vendor: str) -> list[dict]:
    """Each budget, met or not and by how much: PostgreSQL at 1,000,000 as given, SQLite at 100,000 twice as loose."""
    factor = 1 if vendor == "postgresql" else 2
    out = []
    for name, limit in BUDGET_P95_MS.items():
        limit = limit * factor
        for mode in ("sequential_ms", "concurrent"):
            p95 = record[mode][name].get("p95")
            if mode == "concurrent" and name != "ticket_create":
                continue
            out.append({"what": f"{name} p95 ({'sequential' if mode == 'sequential_ms' else '8 clients'})",
                        "budget": f"<= {limit} ms", "measured": p95,
                        "met": p95 is not None and p95 <= limit})
    create = record["concurrent"]["ticket_create"]
    rate = BUDGET_CREATE_PER_SECOND / factor
    out.append({"what": "ticket_create throughput (8 clients)", "budget": f">= {rate:g}/s",
                "measured": create["per_second"], "met": create["per_second"] >= rate})
    out.append({"what": "ticket_create errors (8 clients)", "budget": "0", "measured": create["errors"],
                "met": create["errors"] == 0})
    if record["pgbench"] and record["pgbench"].get("tps"):
        record["pgbench"]["ticket_create_share"] = round(create["per_second"] / record["pgbench"]["tps"], 3)
    return out


def _line(stats: dict) -> str:
    if "p50" not in stats:
        return f"n={stats.get('n', 0)} errors={stats.get('errors', 0)}"
    return (f"n={stats['n']:5} p50={stats['p50']:7.1f} p95={stats['p95']:7.1f} p99={stats['p99']:7.1f} ms "
            f"errors={stats['errors']}")


def write(record: dict, vendor: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{vendor}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"load-{vendor}.md").write_text("\n".join(markdown(record)) + "\n")
    print("\n".join(markdown(record)))


LABELS = {
    "queue_mine": "Agent queue: mine (`/tickets/?queue=mine`)",
    "queue_group": "Agent queue: my group (`/tickets/?queue=group`)",
    "queue_filtered": "Queue, filtered (manager: all, closed, by time received)",
    "ticket_page": "Ticket page (`/tickets/<id>/`, random request)",
    "ticket_create": "Ticket creation (`POST /api/v1/tickets`)",
    "handover": "Hand-over (`POST /api/v1/tickets/<id>/handover`)",
    "phone_lookup": "Phone lookup (`GET /api/v1/customers/lookup`)",
}


def markdown(r: dict) -> list[str]:
    db, data, m, conc = r["database"], r["dataset"], r["machine"], r["concurrent"]
    lines = [
        f"# Load benchmark: {db['vendor']} {db['version']}, {data['tickets']:,} service requests",
        "",
        "Written by `bench/load.py` (`make bench`); see bench/README.md and docs/performance.md.",
        "",
        f"- When: {r['measured_at']}",
        f"- Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, {m['platform']}, Python {m['python']}; "
        f"load average {m['load_average_before']} before, {m['load_average_after']} after "
        "(the client, the server, the worker and the database share these CPUs)",
        f"- Server: {r['server']['server']}; {r['server']['worker']} on {r['server']['queue']}; DEBUG off",
        f"- Dataset: {data['tickets']:,} requests ({data['open_tickets']:,} open), "
        f"{data['audit_events']:,} audit events, "
        f"{data['handovers']:,} hand-overs, {data['sla_clocks']:,} SLA clocks, "
        + (f"{data['work_orders']:,} work orders ({data['visits']:,} visits), " if "work_orders" in data else "")
        + f"{data['customers']:,} customers "
        f"({data['contacts']:,} contacts); seed {data['seed']}"
        + (f"; built by `seed_demo --fast` in {data['built_seconds']} s" if data.get("built_seconds") else ""),
        f"- Client: {r['client']['kind']}; {r['client']['sequential_requests']} sequential requests per line, "
        f"then {r['client']['concurrent_clients']} clients for {r['client']['concurrent_seconds']:g} s per line",
        "",
        "| Request | seq. p50 ms | seq. p95 ms | seq. p99 ms | 8 clients: req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in LABELS.items():
        s, c = r["sequential_ms"][name], conc[name]
        lines.append(
            f"| {label} | {s.get('p50', '–')} | {s.get('p95', '–')} | {s.get('p99', '–')} | {c.get('per_second', '–')} "
            f"| {c.get('p50', '–')} | {c.get('p95', '–')} | {c.get('p99', '–')} | {s['errors'] + c['errors']} |")
    if r.get("pgbench"):
        pg = r["pgbench"]
        lines += ["", f"pgbench ({pg['version']}), built-in TPC-B-like script, scale {pg['scale']}, "
                      f"{pg['clients']} clients, {pg['seconds']} s, {pg['mode']} statements: **{pg['tps']} tps** "
                      f"(average latency {pg['latency_avg_ms']} ms). Ticket creation through the whole stack runs at "
                      f"**{conc['ticket_create']['per_second']}/s**, "
                      f"{pg.get('ticket_create_share', 0) * 100:.1f} % of that ceiling."]
    lines += ["", "| Budget | Limit | Measured | Met |", "|---|---|---:|---|"]
    for b in r["budgets"]:
        lines.append(f"| {b['what']} | {b['budget']} | {b['measured']} | {'yes' if b['met'] else '**no**'} |")
    return lines


if __name__ == "__main__":
    main()
