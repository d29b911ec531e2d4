"""Fuwu settings: one file, driven by environment variables (docs/architecture.md, rule 8).

Safe by default: DEBUG is off unless asked for. Served to this machine only (ALLOWED_HOSTS all
loopback, the default: `make run`), plain HTTP is fine and the secret key may be one generated on
first start and kept in `var/secret_key`. Served beyond it, production rules apply
(docs/operations.md): a SECRET_KEY from the environment, secure cookies and HSTS.
"""

import os
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")
VAR_DIR = Path(env.str("FUWU_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """The key kept in var/secret_key, made on first start; processes starting together agree on it."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first process to get here wins, the others read its key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on, the friendly 404 and 500 pages are shown all the same unless this asks for Django's
# debug pages (fuwu/site/middleware.py, FriendlyErrorPagesMiddleware).
FUWU_TECHNICAL_ERROR_PAGES = env.bool("FUWU_TECHNICAL_ERROR_PAGES", default=False)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=sorted(LOOPBACK_HOSTS))
SERVED_BEYOND_THIS_MACHINE = not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS
SECRET_KEY = env.str("SECRET_KEY", default="") or ("" if SERVED_BEYOND_THIS_MACHINE else _local_secret_key())
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("Set SECRET_KEY (at least 32 characters): Fuwu is served beyond this machine "
                               "(ALLOWED_HOSTS names other hosts).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "huey.contrib.djhuey",
    "fuwu.core",
    "fuwu.org",
    "fuwu.customers",
    "fuwu.standards",
    "fuwu.tickets",
    "fuwu.materials",
    "fuwu.fieldservice",
    "fuwu.improvements",
    "fuwu.complaints",
    "fuwu.faults",
    "fuwu.inspections",
    "fuwu.mail",
    "fuwu.surveys",
    "fuwu.portal",
    "fuwu.followups",
    "fuwu.quality",
    "fuwu.reports",
    "fuwu.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fuwu.core.middleware.PrivateResponseMiddleware",
    "fuwu.site.middleware.ApiJsonErrorsMiddleware",
    "fuwu.core.middleware.RequestIdMiddleware",
    "fuwu.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fuwu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fuwu.site.middleware.FriendlyErrorPagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fuwu.site.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite (WAL) by default so `make run` needs no server; DATABASE_URL selects PostgreSQL.
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'fuwu.sqlite3'}"
DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        # How long a write waits for another writer before failing cleanly (503, docs/operations.md).
        "timeout": env.float("SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env.bool("PG_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server and statements prepared on their fifth use: a list page's
        # six-table join is planned once per connection instead of on every view (2.5 ms of 3).
        # Off behind a pooler in transaction mode (PgBouncer), which cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
# A connection kept across requests: no connection set-up (or SQLite's pragmas and functions) per request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://fuwu"),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lockout: this many failed logins for one username within the window lock it for the window.
FUWU_LOGIN_MAX_FAILURES = env.int("FUWU_LOGIN_MAX_FAILURES", default=5)
FUWU_LOGIN_LOCKOUT_MINUTES = env.int("FUWU_LOGIN_LOCKOUT_MINUTES", default=15)
# Failed passwords or API keys from one address, any usernames, before the address is locked (R1.2).
FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS", default=20)
# Lookups by phone number per login and hour for viewers who see numbers masked (R2.2).
FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR = env.int("FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR", default=20)
# One password check with one lockout, whichever form the password was typed in (fuwu/org/auth.py).
AUTHENTICATION_BACKENDS = ["fuwu.org.auth.LockoutBackend"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at setup (package.json); they are served, never vendored.
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/echarts", BASE_DIR / "node_modules/echarts/dist"),
]
# Served beyond this machine (and not debugging): hashed, compressed files from `collectstatic`, cached
# for ever by browsers. Otherwise (`make run`) WhiteNoise serves them straight from their folders.
_HASHED_STATIC = SERVED_BEYOND_THIS_MACHINE and not DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _HASHED_STATIC
# The audit record's key (docs/operations.md, "The audit record"): it seals each event
# (fuwu/core/audit.py) and signs the anchors of the chain kept outside the database
# (fuwu/core/anchors.py). It is not in the database, so writing to the database is not enough to
# rewrite the record undetected. Set FUWU_AUDIT_KEY in production and never change it (earlier seals
# would no longer verify); by default it is derived from SECRET_KEY.
FUWU_AUDIT_KEY = env.str("FUWU_AUDIT_KEY", default="") or f"audit:{SECRET_KEY}"
FUWU_AUDIT_ANCHOR_DIR = env.path("FUWU_AUDIT_ANCHOR_DIR", default=VAR_DIR / "audit-anchors")
# Each anchor is also e-mailed to these addresses, so a copy lives off the machine (empty: not sent).
FUWU_AUDIT_ANCHOR_EMAILS = env.list("FUWU_AUDIT_ANCHOR_EMAILS", default=[])
# The working calendar that field technicians' appointment slots come from (R4.5), by its code: by default
# the standard service hours (every day 08:00-18:00, closed on statutory holidays).
FUWU_FIELD_CALENDAR = env.str("FUWU_FIELD_CALENDAR", default="service_hours")
# Follow-up (R8): the calendar of plan and survey deadlines and of rules without one of their own; how
# many days back the daily job still makes a plan's follow-up it missed; the day of December by which
# the needs survey (新需求管理) is due.
FUWU_FOLLOWUP_CALENDAR = env.str("FUWU_FOLLOWUP_CALENDAR", default="office")
FUWU_FOLLOWUP_CATCH_UP_DAYS = env.int("FUWU_FOLLOWUP_CATCH_UP_DAYS", default=7)
FUWU_NEEDS_SURVEY_DUE_DAY = env.int("FUWU_NEEDS_SURVEY_DUE_DAY", default=20)
# Compensation on a complaint above this amount (CNY) needs the general manager's approval (R6.3).
FUWU_COMPENSATION_GM_THRESHOLD = env.int("FUWU_COMPENSATION_GM_THRESHOLD", default=5000)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# Outgoing e-mail (docs/operations.md, "E-mail"). With EMAIL_HOST set, mail goes out over SMTP; with
# neither EMAIL_HOST nor EMAIL_BACKEND set (`make run` on a laptop), each mail is written to a file
# under var/mail/ instead, so nothing needs a mail server. EMAIL_BACKEND overrides both (e.g. the
# console backend).
_EMAIL_HOST = env.str("EMAIL_HOST", default="")
_EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or (
    "django.core.mail.backends.smtp.EmailBackend" if _EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _MAILER_OPTIONS = {
        "host": _EMAIL_HOST or "127.0.0.1",
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": 10,
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _MAILER_OPTIONS = {"file_path": str(env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail"))}
else:
    _MAILER_OPTIONS = {}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _MAILER_OPTIONS}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="fuwu@localhost")
# Incoming e-mail (fuwu/mail): the login that registers requests from mail (created on first use),
# the service type they get until an agent classifies them, and an optional IMAP mailbox polled
# every minute (imaps://user:password@host/INBOX; empty: not polled, use `manage.py receive_mail`).
FUWU_MAIL_ACTOR = env.str("FUWU_MAIL_ACTOR", default="fuwu-mail")
FUWU_MAIL_SERVICE_TYPE = env.str("FUWU_MAIL_SERVICE_TYPE", default="consultation")
# Staff replies on a request are mailed to its contact e-mail (R3.1); off for a site that answers elsewhere.
FUWU_MAIL_REPLIES = env.bool("FUWU_MAIL_REPLIES", default=True)
FUWU_IMAP_URL = env.str("FUWU_IMAP_URL", default="")

# Background work: django.tasks on top of huey. The queue only wakes workers; durable intent
# lives in the application database, so a lost message loses nothing.
HUEY = {
    "name": "fuwu",
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "connection": {},
}
_huey_url = env.str("HUEY_REDIS_URL", default="")
if _huey_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _huey_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})
TASKS = {"default": {"BACKEND": "fuwu.core.task_backend.HueyTaskBackend"}}

SESSION_COOKIE_HTTPONLY = True
# Served beyond this machine, Fuwu is served over HTTPS: cookies travel only over it, and browsers keep
# to HTTPS for a year once they have seen the site (0 turns HSTS off).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SERVED_BEYOND_THIS_MACHINE)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SERVED_BEYOND_THIS_MACHINE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SERVED_BEYOND_THIS_MACHINE else 0)
# No inline script anywhere (behaviour lives in static files, e.g. fuwu/core/static/fuwu/fuwu.js);
# inline style attributes are still allowed until the pages' styles move into the stylesheet.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Customer import: the most rows one Excel file may carry.
FUWU_IMPORT_MAX_ROWS = env.int("FUWU_IMPORT_MAX_ROWS", default=50_000)

# Service requests (R4.1): a resolved request may be reopened within this many days, and is closed
# automatically after this many days without the customer's confirmation.
FUWU_REOPEN_DAYS = env.int("FUWU_REOPEN_DAYS", default=7)
FUWU_AUTO_CLOSE_DAYS = env.int("FUWU_AUTO_CLOSE_DAYS", default=3)
# The customer portal (R3.1, R1.2): the login that takes its requests (made on first use, no password),
# the service kinds customers may file, and the one-time sign-in links by e-mail (minutes valid, per hour).
FUWU_PORTAL_ACTOR = env.str("FUWU_PORTAL_ACTOR", default="fuwu-portal")
FUWU_PORTAL_SERVICE_KINDS = env.list(
    "FUWU_PORTAL_SERVICE_KINDS", default=["consultation", "repair", "fault", "complaint", "suggestion"])
FUWU_PORTAL_LINK_MINUTES = env.int("FUWU_PORTAL_LINK_MINUTES", default=15)
FUWU_PORTAL_LINKS_PER_HOUR = env.int("FUWU_PORTAL_LINKS_PER_HOUR", default=5)
# Inspections and mystery shopping (R9.4, R9.7): the login that registers a finding as a service request
# (made on first use, no password), the catalogue type of those requests, and the default pass mark (percent).
FUWU_INSPECTIONS_ACTOR = env.str("FUWU_INSPECTIONS_ACTOR", default="fuwu-inspections")
FUWU_INSPECTIONS_SERVICE_TYPE = env.str("FUWU_INSPECTIONS_SERVICE_TYPE", default="quality_issue")
FUWU_INSPECTIONS_PASS_MARK = env.int("FUWU_INSPECTIONS_PASS_MARK", default=80)
# Shown to customers on the public commitments page (R10.1, R10.3); each is left out when empty.
FUWU_SERVICE_HOTLINE = env.str("FUWU_SERVICE_HOTLINE", default="")
FUWU_DUTY_LINE = env.str("FUWU_DUTY_LINE", default="")
FUWU_SERVICE_HOURS = env.str("FUWU_SERVICE_HOURS", default="")
# A cached business calendar is re-checked against the database at most this often (seconds).
FUWU_STANDARDS_CACHE_SECONDS = env.float("FUWU_STANDARDS_CACHE_SECONDS", default=2.0)
# SLA escalation (R9.5): each step up the chain waits this share of the target after the breach.
FUWU_SLA_ESCALATION_STEP_PERCENT = env.int("FUWU_SLA_ESCALATION_STEP_PERCENT", default=50)
# Attachments on replies and notes.
FUWU_ATTACHMENT_MAX_BYTES = env.int("FUWU_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FUWU_ATTACHMENT_TYPES = env.list(
    "FUWU_ATTACHMENT_TYPES",
    default=[
        "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip",
    ],
)

# Satisfaction surveys (fuwu/surveys, R9.1): the address customers reach the site at (the public
# survey links in e-mails are built on it) and how many days an invitation's link stays open.
FUWU_SITE_URL = env.str("FUWU_SITE_URL", default="http://localhost:8000")
FUWU_SURVEY_EXPIRY_DAYS = env.int("FUWU_SURVEY_EXPIRY_DAYS", default=30)
