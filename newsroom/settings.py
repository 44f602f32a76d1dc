"""Newsroom settings: one module, driven by environment variables.

Development defaults are safe for a laptop (SQLite, DEBUG on, local memory
cache).  With ``DEBUG=0`` the site refuses to start without ``SECRET_KEY``.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A checkout keeps templates/ and static/ at its top and its data (db.sqlite3,
# media/, staticfiles/) beside them; an installed wheel carries the folders in
# newsroom/_site/ (see setup.py) and keeps data in NEWSROOM_DATA_DIR or the
# working directory, never in site-packages.
IN_CHECKOUT = (BASE_DIR / "manage.py").is_file()
SITE_FILES_DIR = BASE_DIR if IN_CHECKOUT else PACKAGE_DIR / "_site"
DATA_DIR = Path(os.environ.get("NEWSROOM_DATA_DIR") or (BASE_DIR if IN_CHECKOUT else Path.cwd())).resolve()


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_LANGUAGE = os.environ.get("SITE_LANGUAGE", "en")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "simple_history",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "articles",
    "newsroom.apps.NewsroomConfig",
]

MIDDLEWARE = [
    "newsroom.request_id.RequestIdMiddleware",
    # Answers /healthz and /readyz before host validation and the HTTPS redirect:
    # load balancers probe over plain HTTP with the instance's own address.
    "newsroom.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every GET and 304 answers to If-None-Match / If-Modified-Since;
    # listed early so it sees the finished response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: marks request.user verified by a one-time password.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: turns a lockout flagged during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    # The public pages (templates/jinja2/); the admin and the sitemaps' XML stay on Django's engine.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [SITE_FILES_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": ["articles.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
            "libraries": {"csp_media": "newsroom.templatetags.csp_media"},
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

# Persistent connections roughly double throughput; health checks drop
# connections the server closed.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "600"))
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
            conn_max_age=CONN_MAX_AGE,
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL this site can use: {error}") from None
# PostgreSQL binds the parameters itself (psycopg sends them beside the SQL, not quoted into it): measured
# 2-13% more uncached pages a second. Statements are prepared only where the public pages ask for it
# (articles.prepared's plan_once); the rest are planned for their values each time: a generic plan of
# related reading read every item of a common tag. Behind a PgBouncer in transaction mode, which cannot
# keep prepared statements, set it to 0: psycopg then binds and prepares nothing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool(
        "DATABASE_SERVER_SIDE_BINDING", True
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in security: lockout after failed passwords (django-axes), two-factor sign-in (django-otp) ---
# No "AXES: BEGIN" line from every process that starts.
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins are counted three ways, each with its own limit (0 turns that count off):
# one account from one address, one account from any address (a distributed guess at one
# password; also how a stranger could lock an editor out, hence the higher limit), and any
# account from one address (one password tried against many accounts).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
if min(AXES_FAILURE_LIMIT, LOGIN_ACCOUNT_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT) < 1:
    raise ImproperlyConfigured("Sign-in failure limits must be at least 1.")
AXES_HANDLER = "newsroom.signin.LockoutHandler"
# Failures count until this many minutes after the last one; refused attempts during a lockout
# do not extend it, so the lockout page can say when to try again.
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "newsroom.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.signin.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Proxies in front of the site that append to X-Forwarded-For; 0 trusts no header and counts
# failures by the connecting address. Set it only when every request passes through them.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# With STAFF_2FA=1 staff can enter the admin only after a code from a confirmed TOTP device;
# without it, a code is asked only of those who have a device.
STAFF_2FA = env_bool("STAFF_2FA", False)
OTP_TOTP_ISSUER = SITE_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "staticfiles")

# Media storage
# Uploads and their renditions go to MEDIA_ROOT on the local disk, or with
# MEDIA_STORAGE=s3 to a bucket on any S3-compatible service (django-storages).
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            # Unset keys leave boto3 to its own chain (instance role, ~/.aws).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public media: plain URLs that pages, feeds and caches can keep, not signatures that expire.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            # Two uploads called photo.jpg must not overwrite each other, as they don't on disk.
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")

STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TAGGIT_CASE_INSENSITIVE = True

# Background tasks (Celery)
# Renditions and admin imports run on a worker (`celery -A newsroom worker`);
# `celery -A newsroom beat` runs CELERY_BEAT_SCHEDULE.  Without a broker
# (`make run`, the tests on SQLite) tasks run in the process that sends them.
CELERY_TASK_ALWAYS_EAGER = not (os.environ.get("CELERY_BROKER_URL") or REDIS_URL)
# memory:// is never used by eager tasks; it only keeps kombu from guessing at a localhost broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
# A worker that dies mid-task leaves it to another; the tasks are safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Beat looks for ingest channels that are due every INGEST_BEAT_SECONDS.
CELERY_BEAT_SCHEDULE = {
    "poll-ingest-channels": {
        "task": "articles.tasks.poll_due_channels",
        "schedule": float(os.environ.get("INGEST_BEAT_SECONDS", "10")),
    }
}

# Wire import: files larger than this are refused (bytes).
WIRE_MAX_FILE_SIZE = int(os.environ.get("WIRE_MAX_FILE_SIZE", str(5 * 1024 * 1024)))
# The admin's import page takes this many files at once; Django itself refuses (a bare 400) only twice as many,
# so a batch just over the limit gets a form error that says so.
WIRE_MAX_FILES_PER_UPLOAD = int(os.environ.get("WIRE_MAX_FILES_PER_UPLOAD", "1000"))
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * WIRE_MAX_FILES_PER_UPLOAD
# An agency's story without an id, sent again with a small fix within this many hours, updates the first.
WIRE_RESEND_WINDOW_HOURS = int(os.environ.get("WIRE_RESEND_WINDOW_HOURS", "48"))
# How often the Incoming queue in the admin asks whether new copy has arrived.
INCOMING_REFRESH_SECONDS = int(os.environ.get("INCOMING_REFRESH_SECONDS", "15"))
# Ingest channels: a feed or endpoint must answer within INGEST_TIMEOUT seconds (whole body) and send at most
# INGEST_MAX_BYTES; a dropped file is taken once its size and time hold for INGEST_SETTLE_SECONDS; a file a dead
# worker claimed goes back to its folder after INGEST_ABANDONED_AFTER seconds.
INGEST_TIMEOUT = float(os.environ.get("INGEST_TIMEOUT", "20"))
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(20 * 1024 * 1024)))
INGEST_SETTLE_SECONDS = float(os.environ.get("INGEST_SETTLE_SECONDS", "1"))
INGEST_ABANDONED_AFTER = int(os.environ.get("INGEST_ABANDONED_AFTER", "900"))
INGEST_FILES_PER_TASK = int(os.environ.get("INGEST_FILES_PER_TASK", "50"))

# Image uploads larger than this are refused (bytes).
IMAGE_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))

# How long a signed draft-preview link works (seconds).
PREVIEW_LINK_MAX_AGE = int(os.environ.get("PREVIEW_LINK_MAX_AGE", str(7 * 24 * 3600)))

# Whole-page cache for anonymous readers (seconds); 0 disables it.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Each process keeps the pages it serves most (up to this many bytes) and
# checks for changes made elsewhere at most this often (seconds).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
PAGE_CACHE_TOKEN_SECONDS = float(os.environ.get("PAGE_CACHE_TOKEN_SECONDS", "0.5"))

# Related reading under an article: the editor's links, filled up to this
# many with the published stories sharing the most tags.
RELATED_READING_COUNT = int(os.environ.get("RELATED_READING_COUNT", "5"))
# How often an open live page asks for new updates (seconds); the answer is cached like any page.
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "15"))

# Logs go to stderr, one line each: LOG_FORMAT=json for a log collector (one JSON
# object a line), plain otherwise; both carry the request id (newsroom.request_id).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "newsroom.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handlers would print these a second time, unformatted.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Unhandled errors go to Sentry when SENTRY_DSN is set, without personal data:
# no cookies, user ids or client addresses (send_default_pii), no request bodies,
# and no stack frames' local variables (they hold session keys and query parameters).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        environment=os.environ.get("SENTRY_ENVIRONMENT") or ("development" if DEBUG else "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Behind a proxy that terminates TLS every request reaches Django as plain
# HTTP: with SECURE_SSL_REDIRECT on, Django answers each one with a redirect
# to https, which the proxy forwards as http again, for ever. Name the header
# the proxy sets (and overwrites when a client sends it), e.g.
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO, and Django believes it when
# its value is "https". Unset, no client can claim to be on https.
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip().upper().replace("-", "_"):
    if not proxy_ssl_header.startswith("HTTP_"):
        proxy_ssl_header = f"HTTP_{proxy_ssl_header}"
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# HSTS for every subdomain, and asking browsers to ship the domain in their
# preload list, bind hosts this project does not run and are slow to undo:
# the operator opts in. Declining is then a decision, not an oversight, so the
# deploy checks that ask for them (security.W005, security.W021) are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Page cache and CDN
# A dead Redis must cost milliseconds: the page cache then serves pages uncached (articles.caching).
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
        "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
    }
# Pages larger than this (bytes) are not stored in the shared cache; a CDN may still keep them.
PAGE_CACHE_ENTRY_BYTES = int(os.environ.get("PAGE_CACHE_ENTRY_BYTES", str(2 * 1024 * 1024)))
# Searches the page cache cannot answer, per client address: "30/m", "100/5m"; empty or 0 for no limit.
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "30/m")
# Who is told to drop cached pages by surrogate key: articles.cdn.LoggingPurger (no CDN) or
# articles.cdn.HttpPurger (POSTs {"keys": [...]} to CDN_PURGE_URL), or a class of your own with purge(keys).
CDN_PURGER = os.environ.get("CDN_PURGER", "articles.cdn.LoggingPurger")
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", "2"))

# Content-Security-Policy (django-csp). Public pages carry no inline script or
# style, so they need no nonce, which the page cache could not keep per
# request anyway. JSON-LD is a data block, not script: CSP does not apply to it.
_media_origin = urlsplit(MEDIA_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The nonce appears only in responses that use it: the admin's change forms.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"]
        + ([f"{_media_origin.scheme}://{_media_origin.netloc}"] if _media_origin.netloc else []),
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": os.environ.get("CSP_REPORT_URI") or None,
    },
}
# Added under /admin/: the body editor (Tiptap) injects its own <style>
# elements and django-simple-history's templates carry style attributes.
# Scripts stay as strict as on the public pages.
CONTENT_SECURITY_POLICY_ADMIN = {"style-src": [UNSAFE_INLINE]}

# Browser features no page here uses, refused to the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "interest-cohort", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    )
}  # fmt: skip
