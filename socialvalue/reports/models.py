"""A report: one PDF of one kind about one subject, made from one version of its data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialvalue.core.models import Organisation, User


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_file_name(report, filename: str) -> str:
    # One name per report: a render after a dead worker's overwrites, never adds, a file.
    return f"reports/{report.organisation_id}/{report.pk}.pdf"


class Report(models.Model):
    """The row is the truth about a report (the broker only carries a nudge to a worker).

    The file lives in the default storage under a name no web server serves; it is handed out
    only by the download view, after the same permission check as the subject's page.
    """

    kind = models.CharField(max_length=60)
    subject_id = models.PositiveBigIntegerField()
    options = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ReportStatus, default=ReportStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    data_version = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=report_file_name, max_length=200, blank=True)
    content_digest = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveIntegerField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Asking twice for the same data never makes two reports, even from two requests at
            # once: the second insert fails and the service returns the first.
            models.UniqueConstraint(
                fields=["kind", "subject_id", "data_version"], name="report_one_per_data_version"
            )
        ]
        indexes = [
            models.Index(fields=["status", "enqueued_at"]),
            models.Index(fields=["kind", "subject_id", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.READY, ReportStatus.FAILED}
