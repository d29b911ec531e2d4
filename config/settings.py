"""Fuwu settings: one file, driven by environment variables (DESIGN.md rule 8).

Safe defaults for local use. With DEBUG off, a real SECRET_KEY and ALLOWED_HOSTS are required.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
_INSECURE_KEY = "django-insecure-fuwu-local-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if not DEBUG:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Set SECRET_KEY (at least 32 characters) when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG is off.")

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
    "fuwu.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fuwu.core.middleware.PrivateResponseMiddleware",
    "fuwu.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fuwu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
VAR_DIR.mkdir(exist_ok=True)
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'fuwu.sqlite3'}"
DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Anchors of the audit chain outside the database (fuwu/core/anchors.py, docs/operations.md), signed
# with a key that is not in the database. Set FUWU_AUDIT_ANCHOR_KEY in production; by default it is
# derived from SECRET_KEY.
FUWU_AUDIT_ANCHOR_DIR = env.path("FUWU_AUDIT_ANCHOR_DIR", default=VAR_DIR / "audit-anchors")
FUWU_AUDIT_ANCHOR_KEY = env.str("FUWU_AUDIT_ANCHOR_KEY", default="") or f"audit-anchor:{SECRET_KEY}"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

MAILERS = {
    "default": {
        "BACKEND": env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="127.0.0.1"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="fuwu@localhost")

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
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Browsers keep to HTTPS for a year once they have seen the site over it (production; 0 turns it off).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
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
