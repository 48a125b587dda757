"""A report survives its worker being killed: a real Celery worker against the configured broker
(Redis in CI) is sent SIGKILL while it renders; another worker starts, the job sweep re-sends
the report, and it completes exactly once: one ready row, one file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socialvalue.celery import app as celery_app
from socialvalue.core import jobs
from socialvalue.models import Report, ReportStatus, Role
from socialvalue.reports import services
from tests.core.test_worker import _database_url
from tests.factories import AuthorityFactory, person_with_role
from tests.reports import slow_worker

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(queue: str, name: str, slow_seconds: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url(),
        "SLOW_REPORT_SECONDS": str(slow_seconds),
    }
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.reports.slow_worker",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{name}@%h",
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


def _wait_for(report: Report, statuses: set[str], worker: subprocess.Popen, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped: {worker.stdout.read()}")
        time.sleep(0.1)
    pytest.fail(f"the report stayed {report.status}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_completes_exactly_once_on_another():
    queue = f"test-{uuid.uuid4().hex[:12]}"
    authority = AuthorityFactory()
    person = person_with_role(Role.COMMISSIONER, authority)
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(authority.pk)
    shutil.rmtree(folder, ignore_errors=True)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    first = _start_worker(queue, f"{queue}-first", slow_seconds=120)
    second = None
    try:
        with transaction.atomic():
            report = services.report_request(
                kind_key=slow_worker.SLOW.key, subject_id=authority.pk, user=person
            )
        _wait_for(report, {ReportStatus.RENDERING}, first, 90)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=15)
        report.refresh_from_db()
        assert report.status == ReportStatus.RENDERING and report.attempts == 1
        assert not folder.exists() or not any(folder.iterdir())

        second = _start_worker(queue, f"{queue}-second", slow_seconds=0)
        # The periodic sweep, run as if its timeout had passed: the row, not the broker, knows
        # the report never finished.
        later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
        jobs.sweep_stale(now=later)
        report = _wait_for(report, {ReportStatus.READY, ReportStatus.FAILED}, second, 90)
        assert report.status == ReportStatus.READY, report.error
        assert report.attempts == 2

        # The same message again (a broker redelivering the dead worker's): nothing new.
        finished = report.finished_at
        services.render_report.delay(report.pk)
        time.sleep(3)
        report.refresh_from_db()
        assert (report.status, report.finished_at, report.attempts) == (
            ReportStatus.READY,
            finished,
            2,
        )
        assert (
            Report.objects.filter(kind=slow_worker.SLOW.key, subject_id=authority.pk).count() == 1
        )
        assert sorted(p.name for p in folder.iterdir()) == [f"{report.pk}.pdf"]
        assert report.file.size == report.byte_size
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        _stop(first)
        if second is not None:
            _stop(second)
    print(
        f"worker killed mid-render via {settings.CELERY_BROKER_URL.split('://')[0]}: completed once"
    )
