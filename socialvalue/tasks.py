"""Celery tasks of the core. Tasks take ids, not objects, and are safe to run twice."""

from celery import shared_task

from socialvalue import audit, jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> None:
    """Run a queued job by id; a job already finished is left alone."""
    jobs.run(job_id)


@shared_task(ignore_result=True)
def sweep_stale_jobs() -> None:
    """Re-send jobs the broker lost or a dead worker left running (see socialvalue.jobs)."""
    jobs.sweep_stale()


@shared_task(ignore_result=True)
def anchor_audit_trail() -> None:
    """Write the audit trail's newest entry to storage and the log (see socialvalue.audit_anchors)."""
    audit.anchor_newest(reason="daily")
