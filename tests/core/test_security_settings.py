"""Settings read from the environment: cookie security, HTTPS redirect, the shared cache."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "deploy-check-" + "k" * 50,
    "ALLOWED_HOSTS": "socialvalue.example.org",
    "AUDIT_KEY": "audit-key-" + "a" * 50,
    "DJANGO_SETTINGS_MODULE": "socialvalue.settings",
}
NAMES = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "NUM_PROXIES",
    "AXES_FAILURE_LIMIT",
]


def clean_environment() -> dict:
    """This process's environment less what the test run added to it (the test settings'
    SECURE_SSL_REDIRECT=false, the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)."""
    return {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}


def production_settings(**overrides: str) -> dict:
    env = clean_environment()
    env.update(PRODUCTION, PYTHONPATH=str(ROOT), **overrides)
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}} | "
        "{'CACHE': s.CACHES['default']['BACKEND'], 'DRF_PROXIES': s.REST_FRAMEWORK['NUM_PROXIES'],"
        " 'COOL_OFF': s.AXES_COOLOFF_TIME.total_seconds()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_secure():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["NUM_PROXIES"] == 0 and values["DRF_PROXIES"] == 0
    assert values["AXES_FAILURE_LIMIT"] == 10 and values["COOL_OFF"] == 15 * 60
    assert values["CACHE"] == "django.core.cache.backends.db.DatabaseCache"


def test_a_plain_http_staging_host_behind_a_proxy_can_say_so():
    values = production_settings(
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_SSL_REDIRECT="false",
        NUM_PROXIES="1",
        SIGN_IN_FAILURE_LIMIT="5",
        SIGN_IN_LOCKOUT_MINUTES="30",
        CACHE_URL="redis://127.0.0.1:6379/13",
    )
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["NUM_PROXIES"] == 1 and values["DRF_PROXIES"] == 1
    assert values["AXES_FAILURE_LIMIT"] == 5 and values["COOL_OFF"] == 30 * 60
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/13"])
def test_the_deploy_check_passes_with_production_settings(cache_url):
    env = clean_environment()
    env.update(PRODUCTION, PYTHONPATH=str(ROOT))
    if cache_url:
        env["CACHE_URL"] = cache_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
