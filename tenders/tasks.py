"""Celery tasks of tenders. Safe to run twice: closing an already closed tender does nothing."""

from celery import shared_task

from tenders import services


@shared_task(ignore_result=True)
def close_due_tenders() -> None:
    """Record the closure of published tenders past their deadline (every rule already treats
    them as closed; this writes it down and adds the audit entry)."""
    services.close_due_tenders()
