"""Asking for a report, making it in the background, retrying it, and the sweep.

`report_request` checks permission before anything is written, then returns the report already
made (or being made) from the same version of the data, or queues a new one; the Celery task is
sent once the transaction commits and takes the report's id only. `render` claims the row, lays
out the PDF outside any transaction, and stores it under the report's one file name; a second
delivery of the same message, a retry or the sweep find the row ready and do nothing. The row is
the truth: a report a dead worker left `rendering`, or whose message the broker lost, is re-sent
by the core's periodic job sweep (`jobs.register_sweep`, registered in registrations.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
from datetime import datetime, timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.core.permissions import can
from socialvalue.reports import registry, rendering
from socialvalue.reports.models import Report, ReportStatus
from socialvalue.reports.registry import ReportKind

log = logging.getLogger(__name__)

# Failures worth another go without a person: the database or storage briefly away. A template
# or data error fails the same way every time, so it is recorded at once for a person to see.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)
MAX_RETRIES = 3


class ReportRefused(PermissionDenied):
    """The person may not have this report (they may not see its subject)."""


class SubjectNotFound(LookupError):
    """No object of the kind's subject model has this id."""


def subject_of(kind: ReportKind, subject_id: int):
    model = apps.get_model(kind.subject_model)
    subject = model._base_manager.filter(pk=subject_id).first()
    if subject is None:
        raise SubjectNotFound(f"No {model._meta.verbose_name} has the id {subject_id}.")
    return subject


def may_have(user, kind: ReportKind, subject) -> bool:
    """The one question for asking, seeing and downloading: may this person see the subject?"""
    return can(user, kind.permission, subject)


def data_version(kind: ReportKind, subject, options: dict) -> str:
    """The version of the data a report would be made from: the kind's own, with the options."""
    text = json.dumps(options, sort_keys=True) + "\n" + kind.data_version(subject, options)
    return hashlib.sha256(text.encode()).hexdigest()


def title_for(kind: ReportKind, subject, options: dict) -> str:
    about = kind.describe(subject, options) if kind.describe else str(subject)
    return f"{kind.title}: {about}"[:300]


def _send(report_id: int) -> None:
    render_report.delay(report_id)


def report_request(*, kind_key: str, subject_id: int, user, options: dict | None = None) -> Report:
    """The report of this kind about this subject for the data as it is now: the one made (or
    being made) already if the data has not changed, else a new version, queued. Refused, with
    nothing written or queued, unless the person may see the subject."""
    kind = registry.get(kind_key)
    subject = subject_of(kind, subject_id)
    if not may_have(user, kind, subject):
        raise ReportRefused("You may not have this report.")
    options = kind.clean_options(options or {}) if kind.clean_options else {}
    version_key = data_version(kind, subject, options)
    existing = Report.objects.filter(
        kind=kind.key, subject_id=subject.pk, data_version=version_key
    ).first()
    if existing is not None:
        return existing
    requester = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            latest = Report.objects.filter(kind=kind.key, subject_id=subject.pk).aggregate(
                Max("version")
            )["version__max"]
            report = Report.objects.create(
                kind=kind.key,
                subject_id=subject.pk,
                options=options,
                title=title_for(kind, subject, options),
                organisation=kind.organisation_of(subject),
                requested_by=requester,
                data_version=version_key,
                version=(latest or 0) + 1,
                enqueued_at=timezone.now(),
            )
            audit.record(
                actor=requester,
                action="report.requested",
                obj=report,
                organisation=report.organisation,
                data={"kind": kind.key, "subject_id": subject.pk, "version": report.version},
            )
    except IntegrityError:
        # Someone asked for the same data a moment earlier: theirs is the report.
        return Report.objects.get(kind=kind.key, subject_id=subject.pk, data_version=version_key)
    transaction.on_commit(lambda: _send(report.pk))
    return report


def report_retry(*, report: Report, user) -> Report:
    """Queue a failed (or stuck) report again; a ready one is left as it is."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == ReportStatus.READY:
            return report
        report.status = ReportStatus.QUEUED
        report.error = ""
        report.enqueued_at = timezone.now()
        report.save(update_fields=["status", "error", "enqueued_at"])
        audit.record(
            actor=user,
            action="report.retried",
            obj=report,
            organisation=report.organisation,
            data={"kind": report.kind},
        )
        transaction.on_commit(lambda: _send(report.pk))
    return report


def _claim(report_id: int, now: datetime) -> Report | None:
    """Mark the report rendering if it is waiting; None if it is ready, or being made by a
    worker that started recently (the sweep re-sends it if that worker died)."""
    stale_before = now - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.READY:
            return None
        if report.status == ReportStatus.RENDERING and report.started_at > stale_before:
            return None
        if report.status == ReportStatus.FAILED:
            return None
        report.status = ReportStatus.RENDERING
        report.started_at = now
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
    return report


def _store(report: Report, made: rendering.RenderedReport, claimed_at: datetime) -> bool:
    """Save the file and mark the report ready, unless another worker got there first."""
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status == ReportStatus.READY or current.started_at != claimed_at:
            return False
        name = f"reports/{current.organisation_id}/{current.pk}.pdf"
        storage = current.file.storage
        if storage.exists(name):
            # A worker that died after writing left it; this render replaces it.
            storage.delete(name)
        current.file.save(name.rsplit("/", 1)[1], ContentFile(made.pdf), save=False)
        current.status = ReportStatus.READY
        current.error = ""
        current.content_digest = made.digest
        current.page_count = made.page_count
        current.byte_size = len(made.pdf)
        current.render_ms = round(made.seconds * 1000)
        current.finished_at = timezone.now()
        current.save()
    return True


def _fail(report: Report, error: BaseException, claimed_at: datetime) -> None:
    message = "".join(traceback.format_exception_only(error)).strip()[:2000]
    Report.objects.filter(pk=report.pk, started_at=claimed_at).exclude(
        status=ReportStatus.READY
    ).update(status=ReportStatus.FAILED, error=message, finished_at=timezone.now())


def make(report: Report) -> rendering.RenderedReport:
    """Lay out the PDF for a report row from its subject as it is now."""
    kind = registry.get(report.kind)
    subject = subject_of(kind, report.subject_id)
    html = rendering.report_html(
        kind,
        subject,
        report.options,
        title=report.title,
        version=report.version,
        made_at=report.started_at,
    )
    return rendering.html_to_pdf(html)


def render(report_id: int) -> Report | None:
    """Make one report if it is waiting; a ready report is left alone. Transient errors are
    raised for the task to retry; any other error is recorded on the row for a person."""
    now = timezone.now()
    report = _claim(report_id, now)
    if report is None:
        return Report.objects.filter(pk=report_id).first()
    try:
        made = make(report)
    except TRANSIENT_ERRORS:
        Report.objects.filter(pk=report.pk, started_at=now).update(status=ReportStatus.QUEUED)
        raise
    except Exception as error:  # noqa: BLE001 - any failure is recorded so a person can retry
        log.exception("Report %s failed", report.pk)
        _fail(report, error, now)
        return Report.objects.get(pk=report.pk)
    _store(report, made, now)
    return Report.objects.get(pk=report.pk)


def render_now(*, kind_key: str, subject_id: int, user, options: dict | None = None) -> bytes:
    """Make a report's PDF in this process with the page's permission check (the command line);
    nothing is stored. Raises ReportRefused or SubjectNotFound."""
    kind = registry.get(kind_key)
    subject = subject_of(kind, subject_id)
    if not may_have(user, kind, subject):
        raise ReportRefused("You may not have this report.")
    options = kind.clean_options(options or {}) if kind.clean_options else {}
    html = rendering.report_html(kind, subject, options, title=title_for(kind, subject, options))
    return rendering.html_to_pdf(html).pdf


def sweep_stale(*, now: datetime | None = None) -> list[int]:
    """Re-send reports queued (the message was lost) or rendering (the worker died) for longer
    than REPORT_STALE_AFTER_SECONDS. Called by the core's periodic job sweep."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    stale = list(
        Report.objects.filter(
            Q(status=ReportStatus.QUEUED, enqueued_at__lt=cutoff)
            | Q(status=ReportStatus.RENDERING, started_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
    if stale:
        Report.objects.filter(pk__in=stale).exclude(status=ReportStatus.READY).update(
            status=ReportStatus.QUEUED, enqueued_at=now
        )
        for report_id in stale:
            transaction.on_commit(lambda report_id=report_id: _send(report_id))
    return stale


# The task beside what it runs, as in core.jobs: one module enqueues and runs it.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def render_report(self, report_id: int) -> None:
    """Make a queued report by id; a ready one is left alone."""
    try:
        render(report_id)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            report = Report.objects.filter(pk=report_id).first()
            if report is not None:
                Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
                    status=ReportStatus.FAILED,
                    error=f"Gave up after {MAX_RETRIES + 1} attempts: {error}"[:2000],
                    finished_at=timezone.now(),
                )
        raise
