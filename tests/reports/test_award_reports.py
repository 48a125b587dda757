"""The evaluation and award report kinds: the tender evaluation report (officers only) and one
bidder's assessment summary letter (its own figures beside the winner's, nobody else's), from
the demo's awarded tender and the one under evaluation."""

import pytest
from django.urls import reverse

from socialvalue.models import Role
from socialvalue.reports import services
from socialvalue.reports.models import Report, ReportStatus
from tests.factories import AuthorityFactory, person_with_role
from tests.reports.test_reports import _assert_tagged, _figure_alts, _pdf_text, _request


def _awarded(demo):
    from tenders.demo import AWARDED_TITLE
    from tenders.models import Tender

    return Tender.objects.get(authority=demo.council, title=AWARDED_TITLE)


def _letters(tender):
    from tenders.models import BidderNotice

    return {
        letter.bid.bidder.name: letter
        for letter in BidderNotice.objects.unscoped(reason="the test reads what was stored")
        .filter(notice__tender=tender, notice__withdrawn_at__isnull=True)
        .select_related("bid__bidder")
    }


@pytest.mark.django_db
def test_evaluation_report_of_the_awarded_tender_has_marks_ranking_chart_and_decision(
    demo, client_for, django_capture_on_commit_callbacks
):
    from tenders import ranking
    from tenders.models import AwardDecision, Criterion, ModeratedMark

    tender = _awarded(demo)
    client = client_for(demo.procurement)
    _request(client, "tender-evaluation", tender.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    lot = tender.lots.get()
    for criterion in Criterion.objects.filter(lot=lot):
        assert criterion.name[:30] in text
        assert f"{criterion.weight:.2f}%" in text
    # Declarations, each evaluator's justification and the panel's rationale.
    assert "No conflict" in text
    assert "evidence weighed against the descriptor for 4" in text
    rationale = ModeratedMark.objects.filter(criterion__lot=lot).first().rationale
    assert " ".join(rationale.split())[:60] in text
    # The ranking: every bid's total as the ranking page computes it, in the table and the chart.
    lot_ranking = ranking.rank_lot(lot=lot)
    for row in lot_ranking.ranked:
        assert f"{row.result.total:.2f}" in text
    alts = _figure_alts(reader)
    assert len(alts) == 1
    leader = lot_ranking.ranked[0]
    assert alts[0].startswith(f"1. {leader.bid.bidder.name}: ")
    assert f"total {leader.result.total:.2f} points" in alts[0]
    assert "How robust the result is" in text
    decision = AwardDecision.objects.get(lot=lot, set_aside_at__isnull=True)
    assert f"Award to {decision.bid.bidder.name}" in text
    # Confidential: the download is never stored by a cache.
    download = client.get(reverse("report-download", args=[report.pk]))
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_evaluation_report_of_the_tender_under_evaluation_says_what_is_not_done(
    demo, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.procurement)
    _request(client, "tender-evaluation", demo.closed_tender.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert demo.closed_tender.title in text
    assert "No award decision has been recorded for this lot." in text
    assert "No bidder was asked to explain its price." in text


@pytest.mark.django_db
def test_a_bidders_letter_shows_its_own_scores_beside_the_winners_and_nobody_elses(
    demo, client_for, django_capture_on_commit_callbacks
):
    tender = _awarded(demo)
    letters = _letters(tender)
    assert len(letters) == 3
    losing = [letter for letter in letters.values() if not letter.successful]
    mine = losing[0]
    others = [name for name, letter in letters.items() if letter not in (mine,)]
    winner = mine.summary["winner_name"]
    third = next(name for name in others if name != winner)
    client = client_for(mine.bid.bidder.memberships.first().user)
    _request(client, "assessment-summary", mine.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert f"The authority intends to award {mine.summary['lot']} to {winner}." in text
    assert mine.summary["own_total"] in text and mine.summary["winner_total"] in text
    row = mine.summary["criteria"][0]
    assert row["name"][:30] in text and f"{row['own_score']} points" in text
    # The third bidder is never named, nor its total.
    assert third not in text
    assert letters[third].summary["own_total"] not in text.replace(mine.summary["own_total"], "")
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_another_bidders_letter_is_refused_before_anything_is_queued(
    demo, client_for, django_capture_on_commit_callbacks
):
    letters = list(_letters(_awarded(demo)).values())
    mine, theirs = letters[0], letters[1]
    me = mine.bid.bidder.memberships.first().user
    client = client_for(me)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("report-request", args=["assessment-summary", theirs.pk]))
    assert response.status_code in (403, 404)
    assert callbacks == []
    assert not Report.objects.exists()
    with pytest.raises(services.ReportRefused):
        services.report_request(kind_key="assessment-summary", subject_id=theirs.pk, user=me)
    # Nor may a bidder have the officers' evaluation report of the tender it bid for.
    with pytest.raises(services.ReportRefused):
        services.report_request(
            kind_key="tender-evaluation", subject_id=mine.notice.tender_id, user=me
        )
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_evaluation_report_is_refused_to_other_authorities_and_to_the_commissioner(
    demo, client_for, django_capture_on_commit_callbacks
):
    tender = _awarded(demo)
    stranger = person_with_role(Role.PROCUREMENT_OFFICER, AuthorityFactory())
    for person in (stranger, demo.commissioner):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client_for(person).post(
                reverse("report-request", args=["tender-evaluation", tender.pk])
            )
        assert response.status_code in (403, 404)
        assert callbacks == []
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_ranking_and_outcome_pages_offer_their_reports(demo, client_for):
    tender = _awarded(demo)
    lot = tender.lots.get()
    page = client_for(demo.procurement).get(reverse("award-ranking", args=[lot.pk]))
    assert reverse("report-request", args=["tender-evaluation", tender.pk]) in page.content.decode()
    letter = next(iter(_letters(tender).values()))
    page = client_for(letter.bid.bidder.memberships.first().user).get(
        reverse("bid-outcome", args=[letter.bid.pk])
    )
    assert page.status_code == 200
    assert (
        reverse("report-request", args=["assessment-summary", letter.pk]) in page.content.decode()
    )


@pytest.mark.django_db
def test_the_summary_has_every_bids_marks_and_the_top_bids_reasons_the_full_record_all(
    procurement_officer, authority
):
    from socialvalue.reports import registry, rendering
    from tenders import award_reports, ranking
    from tenders.models import ModeratedMark
    from tests.tenders.award_factories import bulk_lot

    top = award_reports.SUMMARY_REASONS
    tender, lot = bulk_lot(procurement_officer, authority, bids=top + 3, questions=2)
    for mark in ModeratedMark.objects.filter(criterion__lot=lot):
        mark.rationale = f"REASON-OF-{mark.bid_id}-END"
        mark.save(update_fields=["rationale"])
    kind = registry.get("tender-evaluation")
    html = {
        detail: rendering.report_html(
            kind, tender, kind.clean_options({"detail": detail}), title="Evaluation"
        )
        for detail in ("", "full")
    }
    ranked = ranking.rank_lot(lot=lot).ranked
    assert len(ranked) == top + 3
    # Every bid's marks are in the marks table of both: one row per bid.
    for detail in ("", "full"):
        table = html[detail].split('class="govuk-table app-marks-table"')[1].split("</table>")[0]
        assert table.count('<th scope="row"') == top + 3
    for row in ranked[:top]:
        assert f"REASON-OF-{row.bid.pk}-END" in html[""]
    for row in ranked[top:]:
        assert f"REASON-OF-{row.bid.pk}-END" not in html[""]
        assert f"REASON-OF-{row.bid.pk}-END" in html["full"]
    assert "The reasons for the other 3 bids are in the full record" in html[""]
    assert "in the full record" not in html["full"]


@pytest.mark.django_db
def test_the_officer_chooses_the_full_record_and_a_wrong_choice_is_refused(
    demo, client_for, django_capture_on_commit_callbacks
):
    tender = _awarded(demo)
    client = client_for(demo.procurement)
    lot = tender.lots.get()
    page = client.get(reverse("award-ranking", args=[lot.pk])).content.decode()
    assert 'name="detail" type="radio" value="full"' in page
    refused = _request(
        client, "tender-evaluation", tender.pk, django_capture_on_commit_callbacks, detail="most"
    )
    assert refused.status_code == 302
    assert not Report.objects.exists()
    _request(
        client, "tender-evaluation", tender.pk, django_capture_on_commit_callbacks, detail="full"
    )
    report = Report.objects.get()
    assert report.options == {"detail": "full"}
    assert report.status == ReportStatus.READY, report.error
    assert "full record" in report.title
    # The summary is another report of the same tender, not the full one handed back.
    _request(client, "tender-evaluation", tender.pk, django_capture_on_commit_callbacks)
    assert Report.objects.count() == 2
