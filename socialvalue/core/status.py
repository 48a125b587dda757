"""Health of the parts the service needs: database, message broker, workers, queue length."""

from dataclasses import dataclass
from datetime import timedelta

from celery import current_app as app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from socialvalue.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Check:
    """One line of the status page."""

    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - the page reports any failure
        return Check("Database", False, f"Not reachable: {error}")
    return Check("Database", True, f"Reachable ({connection.vendor})")


def _broker_label() -> str:
    url = settings.CELERY_BROKER_URL
    return "embedded filesystem broker" if url.startswith("filesystem://") else url.split("://")[0]


def check_broker(broker_url: str | None = None) -> tuple[Check, Check]:
    """Whether the broker answers, and how many messages wait in the default queue."""
    queue = app.conf.task_default_queue
    try:
        with app.connection_for_read(broker_url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            declared = conn.default_channel.queue_declare(queue=queue, passive=True)
            waiting = declared.message_count
    except Exception as error:  # noqa: BLE001 - a missing queue or a refused connection both count
        text = str(error)
        if "NOT_FOUND" in text or "no queue" in text.lower():
            return Check("Message broker", True, f"Reachable ({_broker_label()})"), Check(
                "Queue length", True, "0 waiting (queue not created yet)"
            )
        return Check("Message broker", False, f"Not reachable: {error}"), Check(
            "Queue length", False, "Unknown"
        )
    return (
        Check("Message broker", True, f"Reachable ({_broker_label()})"),
        Check("Queue length", True, f"{waiting} waiting in '{queue}'"),
    )


def check_workers(now=None) -> Check:
    """A worker counts as alive when its heartbeat is newer than three heartbeat intervals."""
    now = now or timezone.now()
    fresh_after = now - timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS * 3)
    alive = list(
        WorkerHeartbeat.objects.filter(last_seen__gte=fresh_after).values_list(
            "hostname", flat=True
        )
    )
    if not alive:
        last = WorkerHeartbeat.objects.order_by("-last_seen").first()
        seen = (
            f"last heard from {last.hostname} at {last.last_seen:%d %b %Y %H:%M:%S}"
            if last
            else "never heard from"
        )
        return Check(
            "Background workers",
            False,
            f"None running ({seen}). Background jobs wait until a worker starts: the README "
            "says how to start one.",
        )
    return Check("Background workers", True, f"{len(alive)} running: {', '.join(sorted(alive))}")


def all_checks() -> list[Check]:
    broker, queue = check_broker()
    return [check_database(), broker, queue, check_workers()]
