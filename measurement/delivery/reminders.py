"""Reminders that a delivery return is due: a daily beat task queues one job, which emails
each supplier's bidders once per period's due date (socialvalue.core.jobs and notify)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from measurement.delivery import selectors
from measurement.delivery.models import ReportingPeriod
from measurement.delivery.permissions import SUPPLIER_ROLES
from socialvalue.core import jobs, notify
from socialvalue.core.models import Job, Membership

KIND = "delivery.return_reminders"
LETTER = "delivery.return_due_reminder"


def supplier_emails(period: ReportingPeriod) -> list[str]:
    rows = Membership.objects.filter(
        user__is_active=True,
        organisation_id=period.contract.supplier_id,
        role__in=list(SUPPLIER_ROLES),
    )
    return sorted(set(rows.values_list("user__email", flat=True)))


@notify.letter(LETTER, label="Email a delivery return reminder")
def _return_reminder(job: Job) -> list[notify.Email]:
    period = ReportingPeriod.objects.select_related("contract__tender").get(
        pk=job.params["period_id"]
    )
    return notify.compose(
        supplier_emails(period),
        subject=f"Social value return due: {period.contract.tender.title}",
        template="delivery/email/return_due.txt",
        context={"period": period, "contract": period.contract},
    )


@jobs.register(KIND, label="Delivery return reminders")
def _send_reminders(job: Job) -> dict:
    """Remind each supplier of returns due soon or overdue, once per due date."""
    sent = []
    for period in selectors.periods_to_remind(today=timezone.localdate()):
        with transaction.atomic():
            # Claimed by one update, so two runs at once remind once.
            claimed = (
                ReportingPeriod.objects.filter(pk=period.pk)
                .exclude(reminded_for=F("due_on"))
                .update(reminded_for=F("due_on"))
            )
            if claimed:
                notify.send(kind=LETTER, params={"period_id": period.pk})
                sent.append(period.pk)
    return {"periods": sent}


@shared_task(ignore_result=True)
def queue_return_reminders() -> None:
    """The beat's daily nudge: one job row, which does the work (safe to run twice)."""
    jobs.enqueue(kind=KIND)
