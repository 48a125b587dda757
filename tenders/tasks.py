"""Celery tasks of tenders. Safe to run twice: closing an already closed tender does nothing."""

from celery import shared_task

from tenders import services


@shared_task(ignore_result=True)
def close_due_tenders() -> None:
    """Record the closure of published tenders past their deadline (every rule already treats
    them as closed; this writes it down and adds the audit entry)."""
    services.close_due_tenders()


@shared_task(ignore_result=True)
def send_opportunity_alerts() -> None:
    """Queue the emails of new tenders matching people's saved searches (one per person)."""
    services.opportunity_alerts_enqueue()
