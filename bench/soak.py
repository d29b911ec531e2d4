"""Soak benchmark: 8 clients for 30 minutes mixing queue reads, ticket pages, creations and hand-overs.

    .venv/bin/python bench/soak.py --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/
    .venv/bin/python bench/soak.py --tickets 20000 --minutes 3        # a quick look on SQLite

It serves Fuwu as in production (`bench/server.py`) on the dataset `bench/load.py` builds (reused
when it has the size), and holds 8 clients on it, each drawing its next request from the mix
below. What it judges, each minute and over the run: no request fails; the workers' memory does not
grow (resident size of each web worker and of the huey worker, sampled every 30 s, the last sample
against the first after the warm-up minute); and the p95 of the last five minutes stays within
20 % of the first five after the warm-up. Writes bench/results/soak-<vendor>.json and .md.
"""

import argparse
import json
import random
import threading
import time
from pathlib import Path

from load import RESULTS, ROOT, Fixture, Session, build_dataset, machine, scenario, who
from phone_lookup import _percentiles
from server import ProductionServer

# What a working day asks of the web workers, by weight.
MIX = {"queue_mine": 3, "queue_group": 2, "queue_filtered": 1, "ticket_page": 4, "ticket_create": 1, "handover": 1}
WARM_UP_MINUTES = 1
WINDOW_MINUTES = 5
BUDGET_P95_DRIFT = 0.20
BUDGET_RSS_GROWTH = 0.10


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; SQLite when omitted.")
    parser.add_argument("--pg-database", default="fuwu_bench_load")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            pending.extend(children)
    return found


def _sample_memory(server: ProductionServer) -> dict[str, int]:
    """Resident KiB of every process of the server: granian's workers and the huey worker."""
    sample = {}
    for process in server.processes:
        for pid in [process.pid, *_descendants(process.pid)]:
            rss = _rss_kib(pid)
            if rss is not None:
                sample[f"{Path(str(process.args[0])).name}:{pid}"] = rss
    return sample


def run(args) -> dict:
    data, database_url = build_dataset(args)
    data["filtered_path"] = "/tickets/?queue=all&status=closed&sort=received"
    fixture = Fixture(data=data, rng=random.Random(args.seed))
    names, weights = list(MIX), list(MIX.values())
    records: list[tuple[float, str, float | None, int]] = []  # (seconds since start, scenario, ms or None, status)
    memory: list[tuple[float, dict[str, int]]] = []
    lock = threading.Lock()
    with ProductionServer(database_url=database_url, workers=args.workers, threads=args.threads,
                          log_dir=ROOT / "var" / "bench" / "logs") as server:
        logins = {"agent": Session(server.base_url, "agent"), "manager": Session(server.base_url, "manager")}
        began = time.perf_counter()
        deadline = began + args.minutes * 60

        def client(index: int) -> None:
            rng = random.Random(args.seed + index)
            sessions = {user: session.clone() for user, session in logins.items()}
            while time.perf_counter() < deadline:
                name = rng.choices(names, weights)[0]
                try:
                    result = scenario(name, sessions[who(name)], fixture)
                except OSError:
                    result = (False, 0.0, 0)
                if result is None:  # no fresh request to hand over yet
                    continue
                ok, seconds, status = result
                with lock:
                    records.append((time.perf_counter() - began, name, seconds * 1000 if ok else None, status))

        def sampler() -> None:
            while time.perf_counter() < deadline:
                memory.append((time.perf_counter() - began, _sample_memory(server)))
                time.sleep(30)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        threads.append(threading.Thread(target=sampler, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads[:-1]:
            thread.join()
        memory.append((time.perf_counter() - began, _sample_memory(server)))
        server_description = server.description
    return {"data": data, "records": records, "memory": memory, "server": server_description}


def summarise(args, outcome: dict) -> dict:
    records, memory = outcome["records"], outcome["memory"]
    minutes = int(args.minutes)
    per_minute = []
    for minute in range(minutes):
        inside = [r for r in records if minute * 60 <= r[0] < (minute + 1) * 60]
        ok = [r[2] for r in inside if r[2] is not None]
        per_minute.append({"minute": minute + 1, "requests": len(inside), "errors": len(inside) - len(ok),
                           **({"p95": _percentiles(ok)["p95"]} if len(ok) > 1 else {})})
    window = min(WINDOW_MINUTES, max(1, (minutes - WARM_UP_MINUTES) // 2))
    first = [r[2] for r in records if WARM_UP_MINUTES * 60 <= r[0] < (WARM_UP_MINUTES + window) * 60 and r[2]]
    last = [r[2] for r in records if r[0] >= (args.minutes - window) * 60 and r[2]]
    p95_start = _percentiles(first)["p95"] if len(first) > 1 else None
    p95_end = _percentiles(last)["p95"] if len(last) > 1 else None
    after_warm_up = [sample for at, sample in memory if at >= WARM_UP_MINUTES * 60] or [memory[0][1]]
    start_rss, end_rss = after_warm_up[0], memory[-1][1]
    growth = {name: round(end_rss[name] / start_rss[name] - 1, 3) for name in start_rss if name in end_rss}
    errors = sum(1 for r in records if r[2] is None)
    statuses: dict[str, int] = {}
    for r in records:
        if r[2] is None:
            statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
    by_scenario = {name: _percentiles([r[2] for r in records if r[1] == name and r[2]])
                   for name in MIX if sum(1 for r in records if r[1] == name and r[2]) > 1}
    budgets = [
        {"what": "errors", "budget": "0", "measured": errors, "met": errors == 0},
        {"what": f"p95 of the last {window} min against the first {window} after warm-up",
         "budget": f"<= +{BUDGET_P95_DRIFT:.0%}", "measured": f"{p95_start} -> {p95_end} ms",
         "met": bool(p95_start and p95_end and p95_end <= p95_start * (1 + BUDGET_P95_DRIFT))},
        {"what": "worker memory growth (resident, after warm-up to the end)",
         "budget": f"<= +{BUDGET_RSS_GROWTH:.0%} each", "measured": growth,
         "met": all(g <= BUDGET_RSS_GROWTH for g in growth.values())},
    ]
    return {
        "benchmark": "soak", "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(),
        "database": outcome["data"]["database"], "tickets": outcome["data"]["counts"]["tickets"],
        "server": outcome["server"], "clients": args.clients, "minutes": args.minutes, "mix": MIX,
        "requests": len(records), "errors": errors, "error_statuses": statuses, "by_scenario_ms": by_scenario,
        "per_minute": per_minute, "memory_kib": {"after_warm_up": start_rss, "end": end_rss},
        "budgets": budgets,
    }


def markdown(r: dict) -> list[str]:
    lines = [
        f"# Soak: {r['database']['vendor']} {r['database']['version']}, {r['tickets']:,} service requests",
        "", "Written by `bench/soak.py` (`make bench`); see bench/README.md.", "",
        f"- When: {r['measured_at']}; machine: {r['machine']['cpus']} CPUs, {r['machine']['ram_gb']} GB RAM",
        f"- Server: {r['server']['server']}; {r['server']['worker']} on {r['server']['queue']}",
        f"- {r['clients']} clients for {r['minutes']:g} minutes, mix by weight {r['mix']}: "
        f"{r['requests']:,} requests, {r['errors']} errors {r['error_statuses'] or ''}",
        "", "| Request | n | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|",
    ]
    for name, s in r["by_scenario_ms"].items():
        lines.append(f"| {name} | {s['n']} | {s['p50']} | {s['p95']} | {s['p99']} |")
    lines += ["", "| Minute | requests | errors | p95 ms |", "|---:|---:|---:|---:|"]
    lines += [f"| {m['minute']} | {m['requests']} | {m['errors']} | {m.get('p95', '–')} |" for m in r["per_minute"]]
    lines += ["", "| Budget | Limit | Measured | Met |", "|---|---|---|---|"]
    lines += [f"| {b['what']} | {b['budget']} | {b['measured']} | {'yes' if b['met'] else '**no**'} |"
              for b in r["budgets"]]
    return lines


def main() -> None:
    args = _parse_args()
    print(f"Soak: {args.clients} clients for {args.minutes:g} minutes", flush=True)
    record = summarise(args, run(args))
    vendor = record["database"]["vendor"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"soak-{vendor}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"soak-{vendor}.md").write_text("\n".join(markdown(record)) + "\n")
    print("\n".join(markdown(record)))


if __name__ == "__main__":
    main()
