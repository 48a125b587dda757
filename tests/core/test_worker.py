"""Background jobs: eagerly in-process, and once through a real Celery worker process and broker.

The real-worker test uses whatever broker CELERY_BROKER_URL names: Redis in CI, the embedded
filesystem transport on a laptop. It runs on its own queue so no other worker can take its task.
"""

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from socialvalue.celery import app as celery_app
from socialvalue.core import audit, jobs
from socialvalue.models import Job, JobStatus, WorkerHeartbeat
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_staff_start_an_audit_check_and_see_its_result(
    client_for, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True)
    audit.record(actor=staff, action="test.happened")
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audit-check"))
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "The audit trail is intact: 1 entries checked." in page


@pytest.mark.django_db
def test_a_failed_job_records_its_error_and_can_be_retried(
    client_for, django_capture_on_commit_callbacks
):
    calls = []

    @jobs.register("test.flaky")
    def flaky(job):
        calls.append(job.pk)
        if len(calls) == 1:
            raise RuntimeError("the printer caught fire")
        return {"ok": True}

    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(kind="test.flaky", requested_by=staff)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "printer caught fire" in job.error
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(reverse("job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    # Running a finished job again does nothing new.
    jobs.run(job.pk)
    assert len(calls) == 2


@pytest.mark.django_db
def test_sweep_leaves_a_job_that_started_recently_though_it_was_queued_long_ago():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    running = Job.objects.create(
        kind="audit.verify",
        status=JobStatus.RUNNING,
        enqueued_at=now - timedelta(hours=2),
        started_at=now - timedelta(seconds=5),
    )
    dead = Job.objects.create(
        kind="audit.verify",
        status=JobStatus.RUNNING,
        enqueued_at=now - timedelta(hours=2),
        started_at=now - timedelta(hours=1),
    )
    assert jobs.sweep_stale(now=now) == [dead.pk]
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING


@pytest.mark.django_db
def test_sweep_resends_jobs_left_queued(settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    job = Job.objects.create(kind="audit.verify", enqueued_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _forget_queue(queue: str) -> None:
    """Leave nothing of the test's queue in the broker: its Redis keys and bindings, or the
    filesystem transport's binding files (the worker's own control queue is named after it)."""
    with celery_app.connection_for_write() as broker:
        channel = broker.default_channel
        with contextlib.suppress(Exception):
            channel.queue_delete(queue)
        client = getattr(channel, "client", None)
        if client is not None and hasattr(client, "scan_iter"):
            # Under pytest-xdist the keys carry the worker's prefix (tests/settings.py); kombu's
            # client adds it to DEL, ZRANGE and ZREM itself, not to SCAN or EXISTS.
            prefix = getattr(client, "global_keyprefix", "")
            for key in client.scan_iter(match=f"{prefix}*{queue}*"):
                client.delete(key.decode()[len(prefix) :])
            # Binding expiry times of exchanges whose bindings are now gone.
            for exchange in client.zrange("_kombu.binding_deadlines", 0, -1):
                if not client.exists(prefix.encode() + b"_kombu.binding." + exchange):
                    client.zrem("_kombu.binding_deadlines", exchange)
    control = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("control_folder")
    if control:
        for path in Path(control).glob("*.exchange"):
            kept = [line for line in path.read_text().splitlines() if queue not in line]
            if kept:
                path.write_text("\n".join(kept) + "\n")
            else:
                path.unlink()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_a_real_worker_process_and_broker():
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url(),
        "WORKER_HEARTBEAT_SECONDS": "1",
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socialvalue",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        staff = UserFactory(is_staff=True)
        audit.record(actor=staff, action="test.happened")
        from django.db import transaction

        with transaction.atomic():
            job = jobs.enqueue(kind="audit.verify", requested_by=staff)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert job.status == JobStatus.SUCCEEDED, f"job stayed {job.status}"
        assert job.result["intact"] is True and job.result["entries"] == 1
        assert WorkerHeartbeat.objects.filter(hostname__startswith=queue).exists()
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        worker.stdout.close()
        _forget_queue(queue)
    print(f"real worker via {settings.CELERY_BROKER_URL.split('://')[0]} broker: ok")


@pytest.mark.django_db
def test_status_counts_only_workers_heard_from_recently():
    from datetime import timedelta

    from django.utils import timezone

    from socialvalue.core import status

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        hostname="old@host", last_seen=now - timedelta(hours=1), started_at=now
    )
    check = status.check_workers(now=now)
    assert not check.ok and "old@host" in check.detail
    WorkerHeartbeat.objects.create(hostname="fresh@host", last_seen=now, started_at=now)
    check = status.check_workers(now=now)
    assert check.ok and check.detail == "1 running: fresh@host"


def test_an_unreachable_broker_is_reported_not_raised(settings):
    from socialvalue.core import status

    broker, queue = status.check_broker("redis://127.0.0.1:1/0")
    assert not broker.ok and "Not reachable" in broker.detail
    assert not queue.ok
