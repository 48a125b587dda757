"""The Compact review report (a local definition's review by the Compact group) and the
per-subject confidentiality of report kinds: a consultation's report is its authority's alone,
and downloaded with no-store, until the consultation opens; cacheable once it has."""

from __future__ import annotations

from datetime import timedelta

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from compact import services as compact_services
from compact.demo import JOINT_TITLE, OPEN_TITLE
from compact.models import Consultation, ReviewComment
from socialvalue.core.permissions import can
from socialvalue.models import AuditEntry, LocalDefinition, Report, ReportStatus
from socialvalue.reports import registry
from socialvalue.reports import views as report_views
from tests.reports.test_compact_reports import _users
from tests.reports.test_reports import _assert_tagged, _pdf_text, _request


def _joint(demo) -> LocalDefinition:
    return LocalDefinition.objects.get(title=JOINT_TITLE)


@pytest.mark.django_db
def test_review_report_shows_the_version_checks_comments_view_and_outcome(
    demo, client_for, django_capture_on_commit_callbacks
):
    definition = _joint(demo)
    keeper = _users(demo)["compact"]
    compact_services.group_view_record(
        actor=keeper,
        definition=definition,
        position="support_with_changes",
        reasons="Support, once apprenticeships are counted separately.",
    )
    client = client_for(keeper)
    page = client.get(reverse("compact-review", args=[definition.pk]))
    assert page.status_code == 200
    assert reverse("report-request", args=["compact-review", definition.pk]) in page.text
    assert "Checked against the Compact" in page.text
    _request(client, "compact-review", definition.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    assert report.organisation_id == definition.owner_id
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert "Contents" in text and "The group's view and the outcome" in text
    # What was reviewed: the version, who wrote it, for which authority, when submitted.
    assert f"{JOINT_TITLE}, version {definition.version} (In review)" in text
    assert "Northfield Compact Group" in text and "Northfield" in text
    assert f"{definition.submitted_at:%-d %B %Y}" in text
    # The commitment checked, with its unconfirmed wording flagged as on the page.
    assert "social, environmental and economic value a standard part" in text
    assert "Wording not confirmed" in text and "Not confirmed" in text
    assert "Reviewed by Northfield Compact Group." in text
    assert f"Support with changes, recorded on {timezone.localdate():%-d %B %Y}." in text
    # Two threads, one answered but neither resolved: the authors' answer falls short.
    assert "2 of 2 threads open." in text and "Falls short" in text
    # The members' comments, the reply, the group's view and the outcome.
    assert "name the voluntary sector's part in delivering social value" in text
    assert "the role of voluntary organisations is now set out" in text
    assert "count apprenticeships separately?" in text
    assert "Support, once apprenticeships are counted separately." in text
    assert "Outcome: In review: not adopted yet." in text
    assert "Not adopted yet" in text
    # No form of the page reaches the PDF.
    assert "Add comment" not in text and "Resolve this thread" not in text
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_review_report_is_refused_before_anything_is_queued(
    demo, client, client_for, django_capture_on_commit_callbacks
):
    definition = _joint(demo)
    outsider = _users(demo)["bidder_3"]  # an SME, not in the Compact group
    assert not can(outsider, "socialvalue.view_definition", definition)
    audit_before = AuditEntry.objects.count()
    signed_in = client_for(outsider)
    assert signed_in.get(reverse("compact-review", args=[definition.pk])).status_code in {403, 404}
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed_in.post(reverse("report-request", args=["compact-review", definition.pk]))
    assert response.status_code in {403, 404}
    assert callbacks == []
    signed_in.logout()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("report-request", args=["compact-review", definition.pk]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert callbacks == []
    assert not Report.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_render_report_command_for_the_compact_review(demo, tmp_path):
    definition = _joint(demo)
    users = _users(demo)
    out = tmp_path / "review.pdf"
    call_command(
        "render_report",
        "compact-review",
        str(definition.pk),
        "--as",
        users["compact"].email,
        "--out",
        str(out),
    )
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(out).pages).split())
    assert f"Compact review: {JOINT_TITLE}" in text
    assert "count apprenticeships separately?" in text
    assert not Report.objects.exists()
    with pytest.raises(CommandError, match="may not have this report"):
        call_command(
            "render_report",
            "compact-review",
            str(definition.pk),
            "--as",
            users["bidder_3"].email,
            "--out",
            str(tmp_path / "no.pdf"),
        )
    assert not (tmp_path / "no.pdf").exists()


@pytest.mark.django_db
def test_a_change_to_the_review_makes_a_new_version(
    demo, client_for, django_capture_on_commit_callbacks
):
    definition = _joint(demo)
    keeper = _users(demo)["compact"]
    client = client_for(keeper)
    _request(client, "compact-review", definition.pk, django_capture_on_commit_callbacks)
    _request(client, "compact-review", definition.pk, django_capture_on_commit_callbacks)
    assert Report.objects.count() == 1
    thread = ReviewComment.objects.filter(
        definition=definition, parent__isnull=True, priority__isnull=True
    ).get()
    compact_services.review_comment_resolve(
        actor=keeper, comment=thread, resolution="The statement now names the sector's part."
    )
    _request(client, "compact-review", definition.pk, django_capture_on_commit_callbacks)
    first, second = Report.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert second.status == ReportStatus.READY, second.error
    new_text, old_text = _pdf_text(second)[1], _pdf_text(first)[1]
    assert "The statement now names the sector's part." in new_text
    assert "1 of 2 threads open." in new_text
    assert "The statement now names the sector's part." not in old_text


@pytest.mark.django_db
def test_a_consultation_report_is_no_store_until_it_opens_and_cacheable_after(
    demo, client, client_for, rf, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    future = compact_services.consultation_create(
        actor=demo.commissioner,
        authority=demo.council,
        title="Not yet public",
        subject="policy",
        description="Draft.",
        audience="Everyone.",
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=100),
    )
    signed_in = client_for(demo.commissioner)
    _request(signed_in, "compact-consultation", future.pk, django_capture_on_commit_callbacks)
    before = Report.objects.get(subject_id=future.pk)
    assert before.status == ReportStatus.READY, before.error
    assert (
        "no-store" in signed_in.get(reverse("report-download", args=[before.pk]))["Cache-Control"]
    )
    # The view's own answer (signed-in pages are never cached anyway): the kind is confidential
    # for this subject until it opens.
    request = rf.get(reverse("report-download", args=[before.pk]))
    request.user = demo.commissioner
    assert report_views.report_download(request, pk=before.pk)["Cache-Control"] == (
        "no-store, private"
    )
    assert "Confidential to the organisation it was made for." in _pdf_text(before)[1]

    # An open consultation's report: public, downloaded signed out, cacheable for five minutes.
    signed_in.logout()
    open_one = Consultation.objects.get(title=OPEN_TITLE)
    _request(client, "compact-consultation", open_one.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get(subject_id=open_one.pk, kind="compact-consultation")
    response = client.get(reverse("report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Confidential to the organisation" not in _pdf_text(report)[1]

    # The day the first one opens, its report downloads as public too.
    Consultation.objects.filter(pk=future.pk).update(starts_on=today)
    response = client.get(reverse("report-download", args=[before.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"


def test_confidential_is_a_bool_or_a_callable_of_the_subject():
    def kind(confidential):
        return registry.ReportKind(
            key="k",
            title="K",
            subject_model="x.Y",
            permission="p",
            template="t.html",
            load=dict,
            data_version=str,
            organisation_of=str,
            confidential=confidential,
        )

    assert kind(True).is_confidential(object()) is True
    assert kind(False).is_confidential(None) is False
    secret = kind(lambda subject: subject == "draft")
    assert secret.is_confidential("draft") is True
    assert secret.is_confidential("published") is False
    # A subject that can no longer be found: confidential.
    assert secret.is_confidential(None) is True


@pytest.mark.django_db
def test_review_report_of_an_adopted_definition(demo, tmp_path):
    adopted = LocalDefinition.objects.get(owner=demo.council, status="adopted")
    out = tmp_path / "adopted.pdf"
    call_command(
        "render_report",
        "compact-review",
        str(adopted.pk),
        "--as",
        demo.commissioner.email,
        "--out",
        str(out),
    )
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(out).pages).split())
    assert f"Outcome: Adopted on {adopted.adopted_at:%-d %B %Y}." in text
    # The demo sets its review date and the sector's role: both checks are met.
    assert f"Next review on {adopted.review_on:%-d %B %Y}." in text
    assert "Voluntary organisations deliver much of the social value" in text
    assert (
        f"Reviewed by {adopted.review_group.name}."
        if adopted.review_group_id
        else "No Compact group reviews it."
    ) in text


@pytest.mark.django_db
def test_strategy_review_report_is_public_with_each_review(
    demo, client, django_capture_on_commit_callbacks
):
    from compact.models import JointStrategy

    strategy = JointStrategy.objects.get()
    keeper = _users(demo)["compact"]
    today = timezone.localdate()
    compact_services.strategy_review_record(
        actor=keeper,
        strategy=strategy,
        reviewed_on=today,
        findings="Two of the four priorities met their targets.",
        changes="The carbon priority now counts fleet miles.",
        next_review_on=today + timedelta(days=365),
    )
    page = client.get(reverse("compact-strategy", args=[strategy.pk]))
    assert reverse("report-request", args=["compact-strategy-review", strategy.pk]) in page.text
    # Signed out, like its page.
    _request(client, "compact-strategy-review", strategy.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert strategy.lead_officer in text
    assert "Two of the four priorities met their targets." in text
    assert "The carbon priority now counts fleet miles." in text
    assert f"{today:%-d %B %Y}" in text and "Wording not confirmed" in text
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download["Cache-Control"] == "private, max-age=300"
