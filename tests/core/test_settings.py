"""Safe defaults (docs/operations.md, Settings): settings read in a fresh process, as a deployment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = ("import json; from django.conf import settings as s; print(json.dumps({'debug': s.DEBUG, "
        "'key': s.SECRET_KEY, 'secure_cookies': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE, "
        "'hsts': s.SECURE_HSTS_SECONDS}))")
CONFIG = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
          "SECURE_HSTS_SECONDS", "FUWU_VAR_DIR", "DJANGO_SETTINGS_MODULE")


def _settings(var_dir: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", FUWU_VAR_DIR=str(var_dir), **environment)
    return subprocess.run([sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603


def test_by_default_debug_is_off_and_a_local_key_is_made_once(tmp_path):
    first = _settings(tmp_path)
    assert first.returncode == 0, first.stderr
    found = json.loads(first.stdout)
    assert found["debug"] is False
    assert len(found["key"]) >= 32 and (tmp_path / "secret_key").read_text() == found["key"]
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert json.loads(_settings(tmp_path).stdout)["key"] == found["key"]  # kept, so sessions survive a restart
    # Served to this machine only: plain HTTP on loopback works.
    assert found["secure_cookies"] is False and found["hsts"] == 0


def test_served_beyond_this_machine_needs_a_key_and_uses_https_rules(tmp_path):
    refused = _settings(tmp_path, ALLOWED_HOSTS="fuwu.example.com")
    assert refused.returncode != 0 and "Set SECRET_KEY" in refused.stderr
    assert not (tmp_path / "secret_key").exists()  # no key is invented for a served site
    served = _settings(tmp_path, ALLOWED_HOSTS="fuwu.example.com", SECRET_KEY="k" * 40)
    assert served.returncode == 0, served.stderr
    assert json.loads(served.stdout) == {"debug": False, "key": "k" * 40, "secure_cookies": True, "hsts": 31_536_000}
