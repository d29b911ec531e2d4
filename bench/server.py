"""Fuwu as in production, for the load benchmark: granian (WSGI, N workers) and the huey worker.

    with ProductionServer(database_url=…, workers=2) as server:
        server.base_url  # http://127.0.0.1:<port>

DEBUG off, the SECRET_KEY the dataset was built with (so its audit seals verify), ALLOWED_HOSTS
set, static files collected and served by WhiteNoise from the manifest, the task queue on Redis
when it answers on 127.0.0.1:6379 (its own database number, so nothing else is touched), else
huey's SQLite file. Cookies are not marked Secure because the benchmark talks plain HTTP over
loopback (a TLS proxy does that in production).
Both processes run in their own process groups and are stopped on exit, by their ids.
"""

# ruff: noqa: S603 - runs the project's own commands
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 13  # the benchmark's own Redis database


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The benchmark datasets' key: the events seeded and those the server records are sealed with the key derived
# from it (config/settings.py, FUWU_AUDIT_KEY), so `verify_audit` passes on a dataset reused across runs.
BENCH_SECRET_KEY = "fuwu-bench-" + "x" * 40


def production_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRANIAN_", "HUEY_"))}
    env.update({
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": BENCH_SECRET_KEY,
        # A name beyond loopback: production rules (hashed static files, HSTS), but for the cookies below.
        "ALLOWED_HOSTS": "127.0.0.1,localhost,fuwu-bench.example",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",
    })
    if redis_answers():
        env["HUEY_REDIS_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
    return env


class ProductionServer:
    def __init__(self, *, database_url: str, workers: int = 2, threads: int = 1, log_dir: Path):
        self.env = production_env(database_url)
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    @property
    def description(self) -> dict:
        return {
            "server": f"granian {_granian_version()} (WSGI), {self.workers} workers x {self.threads} thread(s)",
            "worker": "huey run_huey, 1 worker thread",
            "queue": "Redis" if "HUEY_REDIS_URL" in self.env else "huey SQLite file",
            "debug": False,
        }

    def __enter__(self) -> "ProductionServer":
        self.log_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=self.env, check=True)
        self._start("granian", [
            GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(self.workers), "--blocking-threads", str(self.threads), "--no-ws",
            "--log-level", "warning", "config.wsgi:application",
        ])
        self._start("huey", [PY, "manage.py", "run_huey", "--workers", "1", "--quiet"])
        self._wait_ready()
        return self

    def _start(self, name: str, command: list[str]) -> None:
        log = (self.log_dir / f"{name}.log").open("w")
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} exited early; see {self.log_dir}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/login/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log_dir}")

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # its own process group: granian's workers, huey's threads
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _granian_version() -> str:
    try:
        import granian

        return granian.__version__
    except ImportError:
        out = subprocess.run([GRANIAN, "--version"], capture_output=True, text=True, check=False).stdout
        return out.strip().split()[-1] if out.strip() else "?"
