"""
Amends settings: one module, every value that differs between machines read
from the environment (django-environ), with safe local defaults.

https://docs.djangoproject.com/en/5.2/topics/settings/
https://django-environ.readthedocs.io/
"""

import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
import phonenumbers
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def required(name: str) -> str:
    """A production-only value: no default, and a message naming the variable."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: it is required when DEBUG is off (see .env.example)."
        )
    return value


def public_url(name: str, value: str) -> str:
    """The site's address, checked: http(s), a host, no query or fragment; no trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be the address people reach Amends at, e.g. https://amends.example.com (got {value!r})."
        )
    return value.strip().rstrip("/")


def phone_region(name: str, value: str) -> str:
    """A region the phone number library knows (GB, IE, US…), upper case."""
    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ImproperlyConfigured(f"{name} must be a two-letter region code such as GB or US (got {value!r}).")
    return region


def mailbox_name(name: str, value: str) -> str:
    """The part of an address before the @ (and before the +token Amends adds): lower case
    letters, digits, dots, dashes and underscores."""
    local = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9._-]{0,30}[a-z0-9])?", local) or ".." in local:
        raise ImproperlyConfigured(f"{name} must be a mailbox name such as reply (got {value!r}).")
    return local


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) or [required("ALLOWED_HOSTS")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "django_celery_beat",
    "core",
    "accounts",
    "customers",
    "cases",
    "attachments",
    "webhooks",  # the event log, signed and sent to the owners' endpoints
    "recovery",
    "followups",
    "corrective",
    "conversations",
    "inbox",
    "portal",
    "dashboard",
    "privacy",  # a customer's data exported and erased, on request or after the retention period
    "desk",  # the top floor: the pages and services that span the apps below
    "api",  # the top floor too: the public API (REST, OpenAPI), beside desk
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs' Swagger UI, served from our static files (no CDN)
    "bench",  # tooling: seeds and benchmarks (its URLs only with AMENDS_BENCH)
]

MIDDLEWARE = [
    # First: it times all the others, and every response carries its request id (core/request_log.py).
    "core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Who and from where, for the event log (core/request_context.py).
    "core.request_context.RequestContextMiddleware",
    # After authentication (no-store for the signed-in), inside CSPMiddleware (preview hashes).
    "core.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desk.context_processors.roles",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite under var/ by default, PostgreSQL when DATABASE_URL says so
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
# ---------------------------------------------------------------------------
# An empty variable (DATABASE_URL= in .env) means the default, as if unset.
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'amends.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Choice fields iterate their querysets; on PostgreSQL that opens a
    # server-side cursor (an extra round trip) for a handful of rows, and such
    # cursors break behind a transaction-pooling bouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # PostgreSQL compiles queries it thinks costly to machine code (JIT): on our short page
    # queries the compiling took longer than the query (118 of 440 ms measured on the failed
    # follow-ups count at a million cases). Off for our connections unless PG_JIT=1.
    # https://www.postgresql.org/docs/15/jit-decision.html
    if not env.bool("PG_JIT", default=False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for a lock
    # instead of failing at once. IMMEDIATE takes the write lock when a
    # transaction starts, so two writers queue for it rather than one of them
    # failing with "database is locked" when it upgrades from reading.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Authentication
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",  # ModelBackend, its two permission queries made one
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Throttle guessing, per user name and address together, and let the lock
# expire: axes' default cool-off (None) would lock an account for ever.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Failed sign-ins from one address whatever the user names (someone trying name after name),
# counted apart from axes (accounts/views.py), and password reset requests per address and
# per email asked for. django-ratelimit rates: "20/15m" is 20 in a 15-minute window.
AMENDS_SIGN_IN_FAILURES_PER_ADDRESS = env.str("AMENDS_SIGN_IN_FAILURES_PER_ADDRESS", default="20/15m")
AMENDS_PASSWORD_RESETS_PER_ADDRESS = env.str("AMENDS_PASSWORD_RESETS_PER_ADDRESS", default="5/h")
AMENDS_PASSWORD_RESETS_PER_EMAIL = env.str("AMENDS_PASSWORD_RESETS_PER_EMAIL", default="3/h")

# ---------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/
# Staff pages are in LANGUAGE_CODE (no LocaleMiddleware); a customer's pages and messages are
# in their own language, one of LANGUAGES (portal's views and followups' composing switch to it).
# A language is added by naming it here and translating locale/<code>/ (README: "Languages").
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files: our own under static/, Bootstrap from node_modules (npm),
# served by WhiteNoise.  https://whitenoise.readthedocs.io/
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# ---------------------------------------------------------------------------
# Photos and files on cases (attachments/): their own storage, never publicly served. Local
# disk under var/attachments by default; any S3-compatible store when a bucket is named.
# Files are read back only through attachments.views, which checks who may see the case.
# https://docs.djangoproject.com/en/5.2/ref/settings/#storages
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
# ---------------------------------------------------------------------------
AMENDS_ATTACHMENTS_DIR = Path(env.str("AMENDS_ATTACHMENTS_DIR", default="") or VAR_DIR / "attachments")
AMENDS_ATTACHMENTS_S3_BUCKET = env.str("AMENDS_ATTACHMENTS_S3_BUCKET", default="")
if AMENDS_ATTACHMENTS_S3_BUCKET:
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AMENDS_ATTACHMENTS_S3_BUCKET,
            # Empty: AWS itself; else the store's address (MinIO, R2, Scaleway, ...).
            "endpoint_url": env.str("AMENDS_ATTACHMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AMENDS_ATTACHMENTS_S3_REGION", default="") or None,
            # Empty: boto3 finds credentials as it does (environment, instance role).
            "access_key": env.str("AMENDS_ATTACHMENTS_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AMENDS_ATTACHMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AMENDS_ATTACHMENTS_S3_PREFIX", default="attachments"),
            # No ACL sent: the bucket stays private (stores with ACLs turned off refuse one).
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: nothing serves this folder; attachments.views reads the files.
        "OPTIONS": {"location": str(AMENDS_ATTACHMENTS_DIR), "file_permissions_mode": 0o640},
    }
# The largest file kept (a photo or PDF), in bytes; a larger upload is refused with this size named.
AMENDS_ATTACHMENT_MAX_BYTES = env.int("AMENDS_ATTACHMENT_MAX_BYTES", default=10 * 1000 * 1000)
# An image of more pixels than this is refused before it is decoded (a decompression bomb).
AMENDS_ATTACHMENT_MAX_PIXELS = env.int("AMENDS_ATTACHMENT_MAX_PIXELS", default=50_000_000)
# How many files staff may attach at once.
AMENDS_ATTACHMENTS_PER_UPLOAD = 10
# A stored file that no attachment names (its row's transaction rolled back) is deleted by the
# daily sweep (`attachments.sweep`, `manage.py attachments_sweep`) once it is this old: younger,
# its row may still be on its way.
AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS = env.int("AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS", default=24)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------------------
# Email: a file per message under var/mail by default, SMTP when EMAIL_URL says
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
# ---------------------------------------------------------------------------
_email = env.email_url_config(env.str("EMAIL_URL", default="") or "filemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    _email["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Amends <amends@localhost>")
# A mail server that hangs must not hold up the messages behind it: give up on one after this
# many seconds without an answer and try it again later. A chunk of follow-ups starts no send
# after 40 s, so this plus 40 must stay under the task's soft time limit (60 s).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# ---------------------------------------------------------------------------
# Celery: kombu's filesystem transport under var/ by default (no server
# needed), Redis when CELERY_BROKER_URL says so.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
_celery_dir = VAR_DIR / "celery"
for _folder in ("queue", "processed", "control"):
    (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
# The worker, beat and the web process must all use the same folders.
FILESYSTEM_BROKER_OPTIONS = {
    "data_folder_in": str(_celery_dir / "queue"),
    "data_folder_out": str(_celery_dir / "queue"),
    "processed_folder": str(_celery_dir / "processed"),
    "store_processed": False,
    "control_folder": str(_celery_dir / "control"),
}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
# Acknowledge a message after its task ran, not when it arrives: a worker that dies mid-task
# leaves it on the queue for another (the database guards make a second run harmless). With
# acks late, prefetch 1 means a process holds only the message it runs, so a long task never
# keeps a waiting message from an idle process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Queues (docs/workers.md): each kind of work on its own, so a burst of one never delays
# another. `urgent`: short tasks someone is waiting for (the dispatchers, reminders and
# escalations to staff, a message staff just wrote, the health canary); `bulk`: messages to
# customers in numbers, webhooks, the mailbox; `reports`: long computations (roll-ups, the
# what-if replay, the nightly sweeps). Production runs a worker per queue; `make run`, one
# worker for all three. tests/core/test_queues.py fails for a task with no queue here.
AMENDS_QUEUES = {
    "urgent": [
        "core.canary",
        "core.ping",
        "followups.dispatch",
        "followups.send_to_staff",
        "followups.send",
        "followups.digest",
        "followups.decision_email_send",
        "recovery.proposal_decided_notify",
        "webhooks.dispatch",
    ],
    "bulk": [
        "followups.send_many",
        "followups.digest_one",
        "webhooks.send",
        "portal.self_report_acknowledge",
        "inbox.fetch_imap",
    ],
    "reports": [
        "dashboard.refresh",
        "recovery.policy_replay_run",
        "attachments.sweep",
        "api.idempotency_keys_sweep",
        "privacy.retention_sweep",
    ],
}
CELERY_TASK_QUEUES = [Queue(name) for name in AMENDS_QUEUES]
CELERY_TASK_ROUTES = {task: {"queue": queue} for queue, tasks in AMENDS_QUEUES.items() for task in tasks}
CELERY_TASK_DEFAULT_QUEUE = "urgent"

# Losing the broker (https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-settings).
# A worker never gives up on the broker: retrying for ever (None; Celery's default gives up
# after 100) costs nothing, and exiting would need someone to start it again.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Off, deliberately (Celery 5's default). On, a worker that loses the broker SIGTERMs the pool
# process running a task: a fault drill caught one just after psycopg had sent COMMIT, and the
# process lived on with a broken connection, failing every task for 25 minutes. Off, the task
# finishes; its acknowledgement is lost with the connection, so Redis gives the message again
# after the visibility timeout, and the database guards make that second run do nothing.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Celery's Django fixup closes the database connection after every task unless told to
# reuse it: with chunks of sends a task, reconnecting each time is a large share of the cost.
# A reused connection that broke is closed before the next task, or its process replaced
# (core/worker_processes.py).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=200)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The Redis transport's options (https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.redis.html).
REDIS_BROKER_OPTIONS: dict[str, object] = {
    # Redis gives an unacknowledged message again after this long: it must outlast the longest
    # task (30 minutes, the attachments' sweep; a test holds every time limit under it), or a
    # task still running would be started twice. No task waits on an ETA longer than seconds.
    "visibility_timeout": 60 * 60,
    # A connection idle this long is pinged before use, so a Redis that restarted is noticed
    # and reconnected to rather than read from a dead socket.
    "health_check_interval": 10,
    # A broker host that vanished without closing the connection (a crash, a network cut) is
    # noticed: connecting gives up after 5 s, a reply that does not come after 30 s (well above
    # kombu's 1 s blocking reads), and TCP keepalive probes the idle socket.
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
    "socket_keepalive": True,
    "retry_on_timeout": True,
}
CELERY_BROKER_TRANSPORT_OPTIONS = (
    FILESYSTEM_BROKER_OPTIONS if CELERY_BROKER_URL.startswith("filesystem://") else REDIS_BROKER_OPTIONS
)
# The schedule lives in the database (django-celery-beat), editable in the admin;
# followups/migrations make the entries. The database is the source of truth:
# beat only asks every minute what is due.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Workers log as LOGGING below says (JSON lines with request ids), not in Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# ---------------------------------------------------------------------------
# Security: what `manage.py check --deploy` asks for when DEBUG is off
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers and monitors ask the health checks (/health/, /health/live/, /health/ready/)
    # and Prometheus /metrics over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/(?:live/|ready/)?$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# No script or style but our own files: no inline <script>, no style="..." (django-csp 4).
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the app never uses, turned off for every page (Permissions-Policy).
AMENDS_PERMISSIONS_POLICY_OFF = [
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "serial", "usb",
]  # fmt: skip
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form says so in plain words (customers see it too), not Django's technical page.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Rate limits count by the client's address. Behind a proxy every request comes from the
# proxy: name the header it puts the client's address in (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None
if RATELIMIT_IP_META_KEY:
    # django-axes (sign-in lockouts, and the address in the event log: core/request_context.py)
    # reads the client's address from the same header; without it every sign-in behind a load
    # balancer would come from the balancer, and one address's failures would lock out everyone.
    # https://django-axes.readthedocs.io/en/latest/4_configuration.html#configuring-reverse-proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER = (RATELIMIT_IP_META_KEY, "REMOTE_ADDR")

# ---------------------------------------------------------------------------
# Cache: rate limits on the customer's pages count here. Per process by default;
# set CACHE_URL to Redis in production so every web process shares the counts.
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-cache-url
# ---------------------------------------------------------------------------
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}
# django-ratelimit warns that a per-process cache is not shared; with one web
# process (make run) it is exact, and production sets CACHE_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# ---------------------------------------------------------------------------
# Logs (docs/operations.md): to standard error, one line per record, with the request id of the
# request or task it was written for; one line per request and per task. JSON for a log collector
# (the default when DEBUG is off), text for people (the default when it is on).
# https://docs.djangoproject.com/en/5.2/topics/logging/
# ---------------------------------------------------------------------------
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text (got {LOG_FORMAT!r}).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.log_format.RequestIdFilter", "missing": None if LOG_FORMAT == "json" else "-"}
    },
    "formatters": {
        "json": {"()": "core.log_format.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Its "Not Found: /c/<token>/" warnings would write the tokens the request line masks.
        "django.request": {"level": "ERROR"},
        # Celery gives its task logger a handler of its own unless it has one: ours.
        "celery.task": {"handlers": ["console"], "propagate": False},
        # "Task … succeeded": the task's own line (core/task_log.py) says it; failures stay.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------
# Metrics (docs/operations.md): GET /metrics for Prometheus, never public. A scraper sends
# "Authorization: Bearer <AMENDS_METRICS_TOKEN>", or asks from this machine when
# AMENDS_METRICS_ALLOW_LOOPBACK is on (no proxy on this machine passing requests on without a
# forwarding header). Neither set: /metrics answers 404. Several gunicorn workers add up their
# counts through PROMETHEUS_MULTIPROC_DIR (config/gunicorn.py).
# ---------------------------------------------------------------------------
AMENDS_METRICS_TOKEN = env.str("AMENDS_METRICS_TOKEN", default="")
AMENDS_METRICS_ALLOW_LOOPBACK = env.bool("AMENDS_METRICS_ALLOW_LOOPBACK", default=False)

# ---------------------------------------------------------------------------
# Error reports (docs/operations.md): Sentry, only when SENTRY_DSN is set (config/sentry.py).
# https://docs.sentry.io/platforms/python/integrations/django/
# ---------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
sentry_init(
    dsn=SENTRY_DSN,
    release=env.str("SENTRY_RELEASE", default=""),
    environment=env.str("SENTRY_ENVIRONMENT", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# ---------------------------------------------------------------------------
# Amends
# ---------------------------------------------------------------------------
AMENDS_CURRENCY = env.str("AMENDS_CURRENCY", default="GBP")
AMENDS_CURRENCY_SYMBOL = env.str("AMENDS_CURRENCY_SYMBOL", default="£")
# Above this, an amount on a case is taken for a typing mistake.
AMENDS_MAX_AMOUNT = Decimal(env.str("AMENDS_MAX_AMOUNT", default="100000"))
AMENDS_CASES_PER_PAGE = 25
# Where customers and staff reach the app: every link in a message (email, text, digest)
# is this followed by the page's path (core.links.absolute_url), never the request's host.
AMENDS_PUBLIC_URL = public_url("AMENDS_PUBLIC_URL", env.str("AMENDS_PUBLIC_URL", default="http://127.0.0.1:8000"))
# The region a phone number typed without its country code is read in (ISO 3166 code, e.g.
# GB, IE, US); a location can set its own. Numbers are stored in E.164 (+447700900123).
AMENDS_PHONE_REGION = phone_region("AMENDS_PHONE_REGION", env.str("AMENDS_PHONE_REGION", default="GB"))
# Where a customer with no location to hand (an altered link) is told to get in touch.
AMENDS_CONTACT_LINE = env.str("AMENDS_CONTACT_LINE", default="")
# The customer's own report (/report/<report token>/): how many a single address may send
# (django-ratelimit rates: "5/h" is 5 an hour), and how often it may load the page.
AMENDS_SELF_REPORTS_PER_ADDRESS = env.str("AMENDS_SELF_REPORTS_PER_ADDRESS", default="5/h")
AMENDS_SELF_REPORT_VIEWS_PER_ADDRESS = env.str("AMENDS_SELF_REPORT_VIEWS_PER_ADDRESS", default="60/m")
# How long a customer's link to their case works.
AMENDS_CUSTOMER_LINK_DAYS = env.int("AMENDS_CUSTOMER_LINK_DAYS", default=60)
# Text messages: "none" (no provider yet: a text message fails with that reason),
# "file" (one file per message under var/sms, for development) or "locmem" (tests).
AMENDS_SMS_BACKEND = env.str("AMENDS_SMS_BACKEND", default="none")
# Where customers' replies go: every email to a customer says Reply-To: <local part>+<token>@<domain>,
# the token naming its case, signed (cases/reply_tokens.py). The domain defaults to DEFAULT_FROM_EMAIL's.
AMENDS_REPLY_DOMAIN = env.str("AMENDS_REPLY_DOMAIN", default="").strip().lower()
AMENDS_REPLY_LOCAL_PART = mailbox_name("AMENDS_REPLY_LOCAL_PART", env.str("AMENDS_REPLY_LOCAL_PART", default="reply"))
# Inbound mail (inbox/): customers' replies and new problems come back by IMAP or a provider's POST.
# AMENDS_IMAP_URL: imaps://user:password@host:993/INBOX (imap:// for plain, e.g. a local server);
# empty: the command says so and beat's task does nothing. Percent-encode a password's @ or /.
AMENDS_IMAP_URL = env.str("AMENDS_IMAP_URL", default="")
# How many messages one run of inbox_fetch_imap (and beat's task, every minute) takes.
AMENDS_IMAP_BATCH = env.int("AMENDS_IMAP_BATCH", default=50)
# The inbound endpoint (POST /inbound/email/mime, Mailgun's "forward raw MIME"): the signing key
# (Mailgun's "HTTP webhook signing key"). Empty: the endpoint answers 404.
AMENDS_INBOUND_SECRET = env.str("AMENDS_INBOUND_SECRET", default="")
# The largest message taken, raw, in bytes (attachments included): larger ones are refused (413)
# or, from IMAP, recorded as rejected.
AMENDS_INBOUND_MAX_BYTES = env.int("AMENDS_INBOUND_MAX_BYTES", default=15 * 1000 * 1000)
# A reply to a case closed within this many days reopens it; a later one opens a new case linked to it.
AMENDS_INBOUND_REOPEN_DAYS = env.int("AMENDS_INBOUND_REOPEN_DAYS", default=14)
# Requests to the inbound endpoint per address and minute.
AMENDS_INBOUND_RATE = env.str("AMENDS_INBOUND_RATE", default="120/m")
# How long a posted token (and its timestamp) is accepted: older ones are refused as replays.
AMENDS_INBOUND_MAX_AGE_SECONDS = 300
# Customers with no activity (no case logged or changed, nothing on their cases' timelines, no case
# open, no follow-up scheduled) for this many days are anonymised by beat's nightly
# `privacy.retention_sweep` (`manage.py customers_retention --dry-run` says who). 0: never (the default).
AMENDS_CUSTOMER_RETENTION_DAYS = env.int("AMENDS_CUSTOMER_RETENTION_DAYS", default=0)
# How long a worker may hold a claimed follow-up before another takes it (seconds). Short: the
# worker renews it every third of it while it works, so only a dead or cut-off worker's rows
# wait this long (then the next minute's sweep takes them).
AMENDS_FOLLOWUP_LEASE_SECONDS = env.int("AMENDS_FOLLOWUP_LEASE_SECONDS", default=30)
# How long a follow-up that failed for a temporary reason (a mail server refusing for now or
# away) is tried again, with backoff of at most five minutes, before it is marked failed.
AMENDS_FOLLOWUP_RETRY_SECONDS = env.int("AMENDS_FOLLOWUP_RETRY_SECONDS", default=24 * 60 * 60)

# ---------------------------------------------------------------------------
# Webhooks (webhooks/, docs/webhooks.md): the event log, signed, to the owners' endpoints.
# ---------------------------------------------------------------------------
# Off in production: webhooks go only to public HTTPS addresses (a server that sends requests for
# its users must not reach into its own network). On for development and tests: plain HTTP and
# private, loopback and link-local addresses (a receiver on this machine) are allowed.
AMENDS_WEBHOOKS_ALLOW_PRIVATE = env.bool("AMENDS_WEBHOOKS_ALLOW_PRIVATE", default=False)
# Seconds to connect, and to wait for the answer, per request.
AMENDS_WEBHOOKS_CONNECT_TIMEOUT = env.float("AMENDS_WEBHOOKS_CONNECT_TIMEOUT", default=3.0)
AMENDS_WEBHOOKS_READ_TIMEOUT = env.float("AMENDS_WEBHOOKS_READ_TIMEOUT", default=10.0)
# Receivers' certificates are checked against the system's trust store; a path here trusts the CA
# certificates in that file instead (a receiver behind a company's own CA). Empty: the system's.
AMENDS_WEBHOOKS_CA_BUNDLE = env.str("AMENDS_WEBHOOKS_CA_BUNDLE", default="")
# How long a delivery is retried (backoff with jitter) before it is marked failed: a day.
AMENDS_WEBHOOKS_RETRY_SECONDS = env.int("AMENDS_WEBHOOKS_RETRY_SECONDS", default=24 * 60 * 60)
# How long a worker may hold a claimed delivery before another takes it (seconds).
AMENDS_WEBHOOKS_LEASE_SECONDS = env.int("AMENDS_WEBHOOKS_LEASE_SECONDS", default=120)
# How long a transaction may stay open after writing to the event log and still have its
# events sent: the fan-out looks this far back for ids that committed late.
AMENDS_WEBHOOKS_SETTLE_SECONDS = env.int("AMENDS_WEBHOOKS_SETTLE_SECONDS", default=300)
# /health/ tells anyone only "ok" or "failing"; the details (the canary's worker, what waits to
# be sent, a database error) go to a monitor that sends "Authorization: Bearer <this token>",
# and to a signed-in owner. Empty: no token opens them.
AMENDS_HEALTH_TOKEN = env.str("AMENDS_HEALTH_TOKEN", default="")
# The readiness check (/health/ready/, desk/health.py) fails when no worker has consumed beat's
# minutely canary for this many seconds, or when a due follow-up has waited this long for a
# worker to take it (those in flight or waiting out a retry's backoff are not counted).
AMENDS_HEALTH_CANARY_STALE_SECONDS = env.int("AMENDS_HEALTH_CANARY_STALE_SECONDS", default=180)
AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS = env.int("AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS", default=600)
# Mount the benchmark's own routes (the bare floor view, bench/urls.py): `make bench` sets it;
# off in production, where no URL serves a benchmark route.
AMENDS_BENCH = env.bool("AMENDS_BENCH", default=False)
# When staff get the daily email digest of their reminders and escalations (local time).
AMENDS_DIGEST_HOUR = env.int("AMENDS_DIGEST_HOUR", default=7)

# ---------------------------------------------------------------------------
# The public API (api/, docs/api.md): Django REST framework, its schema by drf-spectacular
# https://www.django-rest-framework.org/api-guide/settings/
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
# ---------------------------------------------------------------------------
# Requests per token (DRF rates: "600/min", "10000/hour", "100/sec"); creates count in both.
AMENDS_API_RATE = env.str("AMENDS_API_RATE", default="600/min")
AMENDS_API_WRITE_RATE = env.str("AMENDS_API_WRITE_RATE", default="120/min")
# How long an Idempotency-Key is remembered: a retry after this makes a new object.
AMENDS_API_IDEMPOTENCY_HOURS = env.int("AMENDS_API_IDEMPOTENCY_HOURS", default=24)
AMENDS_API_PAGE_SIZE = env.int("AMENDS_API_PAGE_SIZE", default=50)
REST_FRAMEWORK = {
    # Tokens only: the API never reads the session cookie, so no page can be made to call it
    # (no CSRF to forget), and a token's rights are the only ones a request has.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.TokenWriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": AMENDS_API_RATE, "token_write": AMENDS_API_WRITE_RATE},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    "PAGE_SIZE": AMENDS_API_PAGE_SIZE,
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amends API",
    # Replaced by the whole guide (docs/api.md and docs/webhooks.md) by api.guide.with_guide.
    "DESCRIPTION": "Log cases, read what became of them, and act on them. The guide: docs/api.md.",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.guide.with_guide"],
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each set of choices the resources share (a case's state, its severity…).
    "ENUM_NAME_OVERRIDES": {
        "StateEnum": "cases.models.STATE_CHOICES",
        "SeverityEnum": "cases.models.SEVERITY_CHOICES",
        "OutcomeEnum": "cases.models.OUTCOME_CHOICES",
        "LostEnum": "cases.models.LOST_CHOICES",
        "RemedyKindEnum": "recovery.models.REMEDY_CHOICES",
        "EditableRemedyKindEnum": "recovery.forms.EDITABLE_KINDS",
        "ProposalStateEnum": "recovery.models.Proposal.State",
        "EventKindEnum": "cases.events.Kind",
        "ChannelEnum": "cases.models.Channel",
        "FollowUpKindEnum": "followups.models.FollowUp.Kind",
        "FollowUpChannelEnum": "followups.models.FollowUp.Channel",
        "FollowUpStateEnum": "followups.models.STATE_CHOICES",
        "CorrectiveActionKindEnum": "corrective.models.CorrectiveAction.Kind",
        "CorrectiveActionStateEnum": "corrective.models.STATE_CHOICES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "tryItOutEnabled": False},
}
