"""Settings: one module, read from the environment once.

With no environment set, the service runs on the embedded default: a SQLite file and a filesystem
message broker under ./var, so it needs no database or Redis server. Production sets DATABASE_URL
(PostgreSQL), CELERY_BROKER_URL and CACHE_URL (Redis), SECRET_KEY and DEBUG=false.
"""

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SECURE_SSL_REDIRECT=(bool, True),
    SESSION_COOKIE_SECURE=(bool, True),
    CSRF_COOKIE_SECURE=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31536000),
    CONN_MAX_AGE=(int, 60),
    CELERY_TASK_ALWAYS_EAGER=(bool, False),
    LOCAL_DATA_DIR=(str, str(BASE_DIR / "var")),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
LOCAL_DATA_DIR = Path(env("LOCAL_DATA_DIR"))
LOCAL_DATA_DIR.mkdir(parents=True, exist_ok=True)

if DEBUG:
    SECRET_KEY = env(
        "SECRET_KEY", default="insecure-development-key-only-for-debug-mode-" + "x" * 20
    )
else:
    # Refuse to start in production without a real key rather than run with a guessable one.
    SECRET_KEY = env("SECRET_KEY")

# The audit trail's key: each entry and each anchor carries an HMAC-SHA256 made with it, so
# someone who can write the audit table (or the anchor files) cannot rewrite history and make it
# verify again. Never stored in the database. In development it is derived from SECRET_KEY (an
# HMAC of it with a fixed label); in production (DEBUG off) AUDIT_KEY is required, kept apart from
# SECRET_KEY so that rotating the secret key for sessions never makes the trail look forged. Keep
# it for as long as the trail is kept: entries written with another key fail verification.
AUDIT_KEY = env("AUDIT_KEY", default="")
if not AUDIT_KEY and DEBUG:
    AUDIT_KEY = hmac.new(
        SECRET_KEY.encode(), b"socialvalue audit trail", hashlib.sha256
    ).hexdigest()
if not AUDIT_KEY:
    raise ImproperlyConfigured(
        "Set AUDIT_KEY (a long random string, kept out of the database and kept as long as the "
        "audit trail) when DEBUG is off."
    )
# Besides a daily anchor, every this many entries the trail's newest entry is written to storage
# (audit-anchors/) and the log, so removing the newest entries is caught (socialvalue/audit.py).
AUDIT_ANCHOR_EVERY = env.int("AUDIT_ANCHOR_EVERY", default=100)
# How many of the newest anchors verify_audit compares the trail against, and where they live in
# the default storage.
AUDIT_ANCHORS_CHECKED = env.int("AUDIT_ANCHORS_CHECKED", default=30)
AUDIT_ANCHOR_DIR = env("AUDIT_ANCHOR_DIR", default="audit-anchors")

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "socialvalue.apps.SocialValueConfig",
    "measurement.apps.MeasurementConfig",
    "tenders.apps.TendersConfig",
    "compact.apps.CompactConfig",
    "measurement.delivery.apps.DeliveryConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "axes",
    "django_ratelimit",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files, served from this service (no CDN) for the API's docs page.
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # request.htmx: a report's page answers its own poll with the status partial alone.
    "django_htmx.middleware.HtmxMiddleware",
    "socialvalue.core.private_responses.PrivateResponsesMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialvalue.urls"
WSGI_APPLICATION = "socialvalue.wsgi.application"

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
                "socialvalue.core.navigation.context",
                "csp.context_processors.nonce",
            ],
            # No "loaders" here, so Django uses its cached loader (each template compiled once per
            # process) in production and development alike (Django 4.1 and later).
            # Template tags every page may use, registered once instead of loaded per template.
            "builtins": [
                "socialvalue.templatetags.permissions",
                "socialvalue.templatetags.numbers",
                "tenders.templatetags.tender_tags",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{LOCAL_DATA_DIR / 'socialvalue.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a real worker process in the tests can see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(LOCAL_DATA_DIR / "test-socialvalue.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    # Persistent connections: measured here, a one-query page served 2.3 times the requests per
    # second with them (design notes); the health check drops connections the server closed.
    DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "socialvalue.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account and address is refused before any password is checked.
    # The standalone backend only refuses; ModelBackend below signs in and rules answers has_perm.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# How long the link that confirms a self-registered person's email address works.
EMAIL_CONFIRMATION_VALID_HOURS = env.int("EMAIL_CONFIRMATION_VALID_HOURS", default=72)

# The cache shared by every process and machine: sign-in limits, rate limits and API throttles
# count in it. Production sets CACHE_URL to Redis; the embedded default is a table in the database
# (made by `manage.py createcachetable`), which needs no server and still holds across processes.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://socialvalue_cache"),
    # Rendered template fragments whose key names everything they show (the opportunity
    # filters: their input, choices and day), so each process may keep its own copy.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Sessions read from Redis on every signed-in request and written through to the database;
    # with the embedded database cache the plain database sessions cost the same and stay simple.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a public page (an authority's market statement) is served to signed-out visitors from
# that cache (socialvalue.core.public_cache); publishing a tender or adopting a definition drops
# every stored copy at once, so this bounds only changes made elsewhere (proxy values).
PUBLIC_PAGE_SECONDS = env.int("PUBLIC_PAGE_SECONDS", default=120)

# How many reverse proxies in front of the service append to X-Forwarded-For. 0 (the default)
# trusts no forwarded header: each client is the address that connected. Read by the API
# throttles (as DRF's NUM_PROXIES) and by socialvalue.core.client_address for sign-in and rate limits.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Sign-in lockout (django-axes), counted in the database so it holds across processes and
# machines. The pair of account and client address is locked, so a guesser elsewhere cannot lock a
# person out of their own account, and failures from one address spread over many accounts do not
# lock any of them (the per-address limits below and the API throttles bound those).
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "socialvalue.core.rate_limits.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "socialvalue.core.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "socialvalue.core.account_views.sign_in_locked"
AXES_RESET_ON_SUCCESS = True
# A try while locked does not restart the cool-off, so the time the page gives is the time it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
# Every admin page is read-only (socialvalue.core.admin_base); a lock lifts after the cool-off or
# when the person chooses a new password through the emailed link.
AXES_ENABLE_ADMIN = False
# No start-up banner on every management command (it would land in the output of assess_act).
AXES_VERBOSE = False

# Rate limits (django-ratelimit, counted in the shared cache), as "count/period" (s, m, h, d).
PASSWORD_RESET_RATE_PER_ADDRESS = env("PASSWORD_RESET_RATE_PER_ADDRESS", default="10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env("PASSWORD_RESET_RATE_PER_EMAIL", default="3/h")
REGISTRATION_RATE_PER_ADDRESS = env("REGISTRATION_RATE_PER_ADDRESS", default="5/h")
CONFIRMATION_RESEND_RATE_PER_ACCOUNT = env("CONFIRMATION_RESEND_RATE_PER_ACCOUNT", default="3/h")
RATELIMIT_IP_META_KEY = "socialvalue.core.client_address.client_address"
SILENCED_SYSTEM_CHECKS = []
if CACHES["default"]["BACKEND"] in (
    "django.core.cache.backends.db.DatabaseCache",
    "django.core.cache.backends.redis.RedisCache",
):
    # django-ratelimit's list of supported caches predates Django's own Redis cache, whose
    # increment is Redis's atomic INCR. It refuses the database cache (E003) because its increment
    # is read-then-write: on the embedded default a burst of simultaneous requests can be
    # under-counted by a few, accepted for a one-machine setup; production sets CACHE_URL to Redis.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001", "django_ratelimit.E003"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(LOCAL_DATA_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    # Uploaded files and generated reports go through the storage API: a folder outside the web
    # root by default, an S3-compatible store when STORAGE_BACKEND says so.
    "default": {
        "BACKEND": env("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Bid attachments: the largest file accepted (bytes); the accepted types are in tenders/services/uploads.py.
TENDERS_ATTACHMENT_MAX_BYTES = env.int("TENDERS_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# A query of bids that skips the sealed rule (tenders.models.sealed): raise (the tests do) or,
# by default, log an error and return no rows, so a forgotten rule leaks nothing.
SEALED_BIDS_STRICT = env.bool("SEALED_BIDS_STRICT", default=False)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Social value service <no-reply@localhost>")
SERVICE_NAME = env("SERVICE_NAME", default="Social value in commissioning")
# The service's public address, for links in emails that background jobs send without a request
# (opportunity alerts and their unsubscribe links).
SERVICE_URL = env("SERVICE_URL", default="http://localhost:8000").rstrip("/")
# Where people report an accessibility problem or ask about their personal data: the organisation
# running this installation (shown on the accessibility statement and the privacy notice).
SERVICE_CONTACT_EMAIL = env("SERVICE_CONTACT_EMAIL", default="")
SERVICE_OPERATOR = env("SERVICE_OPERATOR", default="")

# Open data (OCDS releases, tenders.ocds). The OCID prefix is the one the publisher registers
# with the Open Contracting Partnership ("ocds-" and six characters); the default marks data
# from a service that has not registered one. OCDS_BASE_URL is the service's public address,
# for `export_ocds` (no request to read it from); the API builds its links from the request.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-sv0000")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default=SERVICE_NAME)
OCDS_LICENSE_URL = env("OCDS_LICENSE_URL", default="")
OCDS_BASE_URL = env("OCDS_BASE_URL", default="http://localhost:8000")

# Content-Security-Policy, enforced: every script, style, image and font comes from this
# service (no CDN); the one inline script, GOV.UK Frontend's js-enabled snippet at the top of
# base.html, carries the request's nonce. No inline styles or event handlers anywhere. The
# browsable API and the admin site work under the same policy (tests/socialvalue/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Without it DRF would count each X-Forwarded-For value a caller invents as a new client.
    "NUM_PROXIES": NUM_PROXIES,
    # Anonymous calls per address: generous for a person or a script, low enough to stop someone
    # hammering the service. Counted in the shared cache.
    "DEFAULT_THROTTLE_RATES": {
        "act_check": env("API_ACT_CHECK_RATE", default="120/minute"),
        "opportunities": env("API_OPPORTUNITIES_RATE", default="120/minute"),
        "open_data": env("API_OPEN_DATA_RATE", default="120/minute"),
        # Per person, for calls made with an API token.
        "own_data": env("API_OWN_DATA_RATE", default="600/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Social value in commissioning API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page (/api/docs/) loads Swagger UI from this service's static files, and its
    # start-up script from a URL of its own rather than inline, as the CSP requires.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Enums named by what they list (two vocabularies of contract types are kept apart).
    "ENUM_NAME_OVERRIDES": {
        "TenderContractTypeEnum": "tenders.models.ContractType",
        "ActContractTypeEnum": "socialvalue.act.engine.CONTRACT_TYPES",
        "TenderStatusEnum": "tenders.models.TenderStatus",
        "CriterionKindEnum": "tenders.models.CriterionKind",
    },
}

# Background work. The job's own database row is the source of truth, not the broker: the
# filesystem transport can lose a message (kombu issue #1551), so a periodic sweep re-sends jobs
# left queued past a timeout and pages can always offer a retry.
BROKER_DIR = LOCAL_DATA_DIR / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # 0.1 s gives ~100 ms latency at negligible idle cost (measured; design notes).
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DATA_DIR / "celerybeat-schedule")
# Every periodic task, in one place. Each is safe to run twice.
CELERY_BEAT_SCHEDULE = {
    # Re-send jobs the broker lost or a dead worker left running (socialvalue.core.jobs).
    "sweep-stale-jobs": {"task": "socialvalue.core.jobs.sweep_stale_jobs", "schedule": 60.0},
    # Record closures at the deadline; every rule already treats a tender past its deadline as
    # closed, so this only writes the closure and its audit entry down.
    "close-due-tenders": {"task": "tenders.tasks.close_due_tenders", "schedule": 300.0},
    # Daily: email the keepers of joint strategies whose review is near (compact.reminders).
    "compact-review-reminders": {
        "task": "compact.reminders.queue_review_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    # Email each person the new tenders matching their saved searches: one email a run.
    "opportunity-alerts": {
        "task": "tenders.tasks.send_opportunity_alerts",
        "schedule": crontab(minute=7),
    },
    # Daily: remind suppliers of delivery returns due soon or overdue (measurement.delivery).
    "delivery-return-reminders": {
        "task": "measurement.delivery.reminders.queue_return_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
    # Daily, so a quiet audit trail is anchored too, not only every AUDIT_ANCHOR_EVERY entries.
    "anchor-audit-trail": {
        "task": "socialvalue.core.audit.anchor_audit_trail",
        "schedule": crontab(hour=2, minute=17),
    },
}
# How many days before a joint strategy's review date its keepers are reminded.
COMPACT_REMINDER_DAYS_AHEAD = env.int("COMPACT_REMINDER_DAYS_AHEAD", default=30)
JOB_STALE_AFTER_SECONDS = env.int("JOB_STALE_AFTER_SECONDS", default=600)
# A report queued or being made this long is re-sent by the sweep (its worker died or the broker
# lost the message); longer than the slowest report takes to render.
REPORT_STALE_AFTER_SECONDS = env.int("REPORT_STALE_AFTER_SECONDS", default=300)
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=10)

if not DEBUG:
    # On by default; a plain-http staging host behind a proxy may turn them off by name.
    SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE")
    CSRF_COOKIE_SECURE = env("CSRF_COOKIE_SECURE")
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "same-origin"

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own default gives its "django" logger a console handler too (in DEBUG), so each of
    # its lines printed twice: here it only passes its records up to the root's one handler.
    # (django.server keeps Django's format for the request lines and does not propagate.)
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # WeasyPrint logs each layout step at INFO; its warnings (a dropped URL, say) still show.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
