"""Background jobs: a row per job is the truth, the broker only carries a nudge.

`enqueue` writes the row and sends the task after the transaction commits; `run` executes a job's
handler once (running a finished job again does nothing); `sweep_stale` re-sends jobs the broker
lost or a dead worker left running. Feature apps register their job kinds with `register`; parts
with rows of their own that a worker runs (reports) add them to the sweep with `register_sweep`.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.core.models import Job, JobStatus

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], dict]
_HANDLERS: dict[str, JobHandler] = {}
_LABELS: dict[str, str] = {}
# Other rows a worker runs (a report, say) that the same sweep re-sends: (now=...) -> their ids.
Sweep = Callable[..., list[int]]
_SWEEPS: dict[str, Sweep] = {}


class UnknownJobKind(LookupError):
    """No handler is registered for this kind of job."""


def register(kind: str, *, label: str = "") -> Callable[[JobHandler], JobHandler]:
    """Decorator: `@jobs.register("audit.verify", label="Audit trail check")` makes a function
    the handler for a kind; the label names the job on the pages (the kind when none is given)."""

    def decorator(handler: JobHandler) -> JobHandler:
        _HANDLERS[kind] = handler
        if label:
            _LABELS[kind] = label
        return handler

    return decorator


def register_sweep(name: str, sweep: Sweep) -> Sweep:
    """Add `sweep(now=...)` to the periodic sweep: it re-sends its own rows left queued or running
    too long (by its own timeout) and returns their ids."""
    _SWEEPS[name] = sweep
    return sweep


def label_for(kind: str) -> str:
    """What a person calls this kind of job: its registered label, else the kind itself."""
    return _LABELS.get(kind, kind)


def _send(job_id: int) -> None:
    run_job.delay(job_id)


def enqueue(*, kind: str, params: dict | None = None, requested_by=None, organisation=None) -> Job:
    """Create a queued job and send it to a worker once the surrounding transaction commits."""
    if kind not in _HANDLERS:
        raise UnknownJobKind(kind)
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        requested_by=requested_by,
        organisation=organisation,
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(lambda: _send(job.pk))
    return job


def retry(*, job: Job, user) -> Job:
    """Queue a failed (or stuck) job again; a finished one is left as it is."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.SUCCEEDED:
            return job
        job.status = JobStatus.QUEUED
        job.error = ""
        job.enqueued_at = timezone.now()
        job.save(update_fields=["status", "error", "enqueued_at"])
        audit.record(actor=user, action="job.retried", obj=job, data={"kind": job.kind})
        transaction.on_commit(lambda: _send(job.pk))
    return job


def run(job_id: int) -> Job | None:
    """Run one job if it is still waiting; record its result or its error on the row."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == JobStatus.SUCCEEDED:
            return job
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "attempts"])
    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise UnknownJobKind(job.kind)
        result = handler(job)
    except Exception as error:  # noqa: BLE001 - any failure is recorded so a person can retry
        log.exception("Job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = "".join(traceback.format_exception_only(error)).strip()[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    return job


def sweep_stale(now=None) -> list[int]:
    """Re-send jobs queued long ago (the message was lost) or running long since they started (the
    worker died); returns their ids. A job re-sent after it was sent again is judged by the new time.
    The registered sweeps (reports) run with the same clock; their ids are logged, not returned."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    stale = list(
        Job.objects.filter(
            Q(status=JobStatus.QUEUED, enqueued_at__lt=cutoff)
            | Q(status=JobStatus.RUNNING, started_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
    if stale:
        Job.objects.filter(pk__in=stale).update(status=JobStatus.QUEUED, enqueued_at=now)
        for job_id in stale:
            transaction.on_commit(lambda job_id=job_id: _send(job_id))
    for name, sweep in _SWEEPS.items():
        resent = sweep(now=now)
        if resent:
            log.warning("Sweep re-sent %s %s", name, resent)
    return stale


@register("audit.verify", label="Audit trail check")
def _verify_audit(job: Job) -> dict:
    report = audit.verify_chain()
    return {
        "intact": report.intact,
        "entries": report.entries,
        "problem": report.problem,
        "sequence": report.sequence,
    }


# The Celery tasks live beside what they run, so the module that enqueues a job and the task
# that runs it are one module, not two importing each other.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> None:
    """Run a queued job by id; a job already finished is left alone."""
    run(job_id)


@shared_task(ignore_result=True)
def sweep_stale_jobs() -> None:
    """Re-send jobs the broker lost or a dead worker left running."""
    sweep_stale()
