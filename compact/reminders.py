"""Reminders that a joint strategy's review is due: a daily beat task queues one job, which
emails each strategy's keepers once per review date (socialvalue.core.jobs and notify)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F

from compact import selectors
from compact.models import JointStrategy
from compact.permissions import AUTHORITY_ROLES
from socialvalue.core import jobs, notify
from socialvalue.core.models import Job, Membership, Role

KIND = "compact.review_reminders"
LETTER = "compact.strategy_review_reminder"


def _keepers_emails(strategy: JointStrategy) -> list[str]:
    """The group's admins and the commissioners and admins of its area's authorities."""
    compact = strategy.compact
    authority_ids = list(compact.authorities.values_list("pk", flat=True))
    rows = Membership.objects.filter(user__is_active=True).filter(
        organisation_id=compact.group_id, role=Role.ORG_ADMIN
    ) | Membership.objects.filter(
        user__is_active=True, organisation_id__in=authority_ids, role__in=list(AUTHORITY_ROLES)
    )
    return sorted(set(rows.values_list("user__email", flat=True)))


@notify.letter(LETTER, label="Email a strategy review reminder")
def _strategy_reminder(job: Job) -> list[notify.Email]:
    strategy = JointStrategy.objects.select_related("compact").get(pk=job.params["strategy_id"])
    return notify.compose(
        _keepers_emails(strategy),
        subject=f"Review due: {strategy.title}",
        template="compact/email/strategy_review_due.txt",
        context={"strategy": strategy},
    )


@jobs.register(KIND, label="Compact review reminders")
def _send_reminders(job: Job) -> dict:
    """Email the keepers of each strategy whose review is near or past, once per review date."""
    today = selectors.today()
    days = getattr(settings, "COMPACT_REMINDER_DAYS_AHEAD", 30)
    sent = []
    for strategy in selectors.strategies_due_for_reminder(on_date=today, days_ahead=days):
        with transaction.atomic():
            # Claimed by one update, so two runs at once remind once.
            claimed = (
                JointStrategy.objects.filter(pk=strategy.pk)
                .exclude(reminded_for=F("next_review_on"))
                .update(reminded_for=F("next_review_on"))
            )
            if claimed:
                notify.send(kind=LETTER, params={"strategy_id": strategy.pk})
                sent.append(strategy.pk)
    return {"strategies": sent}


@shared_task(ignore_result=True)
def queue_review_reminders() -> None:
    """The beat's daily nudge: one job row, which does the work (safe to run twice)."""
    jobs.enqueue(kind=KIND)
