"""Headless Chromium (Debian's package) driven by Playwright against the live test server."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"



class OneRequestAtATime(ThreadedWSGIServer):
    """On SQLite the live server's request threads share the tests' one in-memory connection, and two
    requests at once (a page and its picture) use it together: "bad parameter or other API misuse", a
    503, a page missing its rows. The application is entered by one request at a time; connections
    still run in threads (a browser keeps several open)."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed (make test installs it as root on Debian)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the end-to-end tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # The browser asks for English on purpose: Fuwu must still answer in Chinese by default.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    vendor = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{vendor}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- Accessibility and browser checks (issue 15): axe-core from npm, console errors, page weight ---

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"
MAX_HTML_BYTES = 150 * 1024
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now.

    The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy
    (script-src 'self') does not govern; a <script> tag would be refused, as it should be.
    """
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci installs axe-core)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n =>
                n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)),
        }))"""
    )
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


class BrowserErrors:
    """Console errors and uncaught exceptions of a page, collected as they happen."""

    def __init__(self, page):
        self.messages: list[str] = []
        page.on("console", lambda m: self.messages.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))

    def take(self) -> list[str]:
        messages, self.messages = self.messages, []
        return messages


@pytest.fixture
def screen():
    """Save a full-page screenshot to artifacts/screens/ (gitignored), named by the database vendor.

    JPEG: a tall page encodes several times faster than as PNG, and reads as well."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    vendor = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"

    def take(page, name: str) -> Path:
        path = SCREENS / f"{vendor}-{name}.jpg"
        page.screenshot(path=str(path), full_page=True, type="jpeg", quality=80)
        return path

    return take
