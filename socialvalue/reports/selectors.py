"""Reads of reports; each view asks the permission layer about the report it found."""

from django.db.models import QuerySet

from socialvalue.reports.models import Report


def report_get(*, pk: int) -> Report | None:
    return Report.objects.select_related("organisation", "requested_by").filter(pk=pk).first()


def reports_requested_by(*, user) -> QuerySet[Report]:
    """The reports this person asked for, newest first (each still checked when opened)."""
    return Report.objects.filter(requested_by=user).select_related("organisation")


def versions_of(*, report: Report) -> QuerySet[Report]:
    """Every version of the same kind of report about the same subject, newest first."""
    return Report.objects.filter(kind=report.kind, subject_id=report.subject_id).order_by(
        "-version"
    )
