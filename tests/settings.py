"""Test settings: the service's settings with a test key, eager tasks and fast password hashing.

DATABASE_URL and CELERY_BROKER_URL still come from the environment, so CI runs the same tests
against PostgreSQL and Redis.
"""

import hashlib
import hmac
import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "t" * 30)
# As in development: the audit key derived from the secret key (see socialvalue/settings.py).
os.environ.setdefault(
    "AUDIT_KEY",
    hmac.new(
        os.environ["SECRET_KEY"].encode(), b"socialvalue audit trail", hashlib.sha256
    ).hexdigest(),
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Tests keep their SQLite file and broker folders apart from a running development server's.
os.environ.setdefault(
    "LOCAL_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test")
)
# Under pytest-xdist each worker (PYTEST_XDIST_WORKER: gw0, gw1, ...) has a folder of its own
# below that one, for its SQLite file, uploaded files (MEDIA_ROOT) and the embedded broker's
# folders: two workers never share a file. A process a worker starts (the real Celery worker of
# tests/core/test_worker.py) inherits both variables, so it reads the same folder.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and Path(os.environ["LOCAL_DATA_DIR"]).name != XDIST_WORKER:
    os.environ["LOCAL_DATA_DIR"] = str(Path(os.environ["LOCAL_DATA_DIR"]) / XDIST_WORKER)

from socialvalue.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A query of bids that skips the sealed rule fails the test that made it.
SEALED_BIDS_STRICT = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = LOCAL_DATA_DIR / "test-media"  # noqa: F405
# No collected static folder in tests: the test server serves static files from the finders.
STATIC_ROOT = None

if XDIST_WORKER and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    # Each xdist worker's queues, bindings and unacknowledged messages under its own key prefix
    # in the one Redis database, so workers' Celery processes never see each other's keys.
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "global_keyprefix": f"test-{XDIST_WORKER}:",
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test run, so two runs in the same checkout never share (and clobber) a database
    # (pytest-django adds _gw0, _gw1... to it for each xdist worker, in the worker's own folder).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(LOCAL_DATA_DIR / f"test-socialvalue-{os.getpid()}.sqlite3")  # noqa: F405
    }
