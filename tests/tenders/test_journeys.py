"""The journeys of issue 22: public opportunities, navigation, saved searches with alerts,
interest, building and copying tenders, checking before publishing, deadlines after bidders
engage, bidding question by question, checking and submitting, receipts, and what officers see."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from measurement.models import Measure, ProxyValue
from socialvalue.core import jobs
from socialvalue.models import Job, Role
from tenders import criteria as criteria_layout
from tenders import reference, selectors, services
from tenders.models import (
    Bid,
    BidReceipt,
    BidStatus,
    Criterion,
    CriterionKind,
    Interest,
    SavedSearch,
    Tender,
    TenderStatus,
)
from tests.factories import AuthorityFactory, MembershipFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid, questions

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def _sv_question(tender) -> Criterion:
    return next(q for q in questions(tender) if q.kind == CriterionKind.SOCIAL_VALUE)


# --------------------------------------------------------------------------- public and navigation


def test_a_signed_out_visitor_finds_and_reads_published_tenders(
    client, procurement_officer, authority, open_tender, bidder, bidder_org
):
    draft = build_tender(procurement_officer, authority, publish=False, title="Hidden draft")
    draft_bid(bidder, bidder_org, open_tender, text="Private-answer-55")
    listing = html(client.get(reverse("tender-opportunities")))
    assert open_tender.title in listing and "Hidden draft" not in listing
    assert "Register to bid" in listing
    page = client.get(reverse("tender-detail", args=[open_tender.pk]))
    assert page.status_code == 200
    body = html(page)
    assert open_tender.title in body and "Private-answer-55" not in body
    assert "bid received" not in body and "Sign in" in body
    assert client.get(reverse("tender-detail", args=[draft.pk])).status_code == 404


def test_a_published_tenders_document_is_public_and_a_drafts_is_not(
    client, procurement_officer, authority
):
    draft = build_tender(procurement_officer, authority, publish=False)
    document = services.document_add(
        actor=procurement_officer,
        tender=draft,
        title="Specification",
        upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec", content_type="application/pdf"),
    )
    assert client.get(reverse("tender-document", args=[document.pk])).status_code == 404
    Tender.objects.filter(pk=draft.pk).update(status=TenderStatus.PUBLISHED)
    assert client.get(reverse("tender-document", args=[document.pk])).status_code == 200


def _nav(body: str) -> list[tuple[str, bool]]:
    items = re.findall(
        r'<li class="govuk-service-navigation__item( govuk-service-navigation__item--active)?">'
        r'\s*<a class="govuk-service-navigation__link" href="[^"]+"[^>]*>([^<]+)</a>',
        body,
    )
    return [(label, bool(active)) for active, label in items]


def test_a_bidders_organisation_admin_has_no_tenders_menu_item(client_for, bidder_org):
    admin = person_with_role(Role.BIDDER, bidder_org)
    MembershipFactory(user=admin, organisation=bidder_org, role=Role.ORG_ADMIN)
    client = client_for(admin)
    labels = [label for label, _ in _nav(html(client.get(reverse("tender-opportunities"))))]
    assert "Tenders" not in labels and "Opportunities" in labels
    assert client.get(reverse("tender-list")).status_code == 403


def test_the_authority_list_links_only_to_authorities_policies(client_for, authority):
    officer = person_with_role(Role.PROCUREMENT_OFFICER, authority)
    MembershipFactory(user=officer, organisation=authority, role=Role.ORG_ADMIN)
    body = html(client_for(officer).get(reverse("tender-list")))
    for slug in re.findall(r"/tenders/policy/([\w-]+)/", body):
        assert slug == authority.slug


def test_one_menu_item_is_current_at_a_time(client_for, bidder, open_tender):
    body = html(client_for(bidder).get(reverse("tender-opportunities")))
    assert [label for label, active in _nav(body) if active] == ["Opportunities"]
    body = html(client_for(bidder).get(reverse("bid-list")))
    assert [label for label, active in _nav(body) if active] == ["Your bids"]


def test_signed_out_visitors_see_opportunities_in_the_menu(client):
    labels = [label for label, _ in _nav(html(client.get(reverse("home"))))]
    assert "Opportunities" in labels


# --------------------------------------------------------------------------- saved searches


def test_a_bidder_saves_a_search_and_turns_its_alerts_off(client_for, bidder):
    client = client_for(bidder)
    response = client.post(
        reverse("tender-alerts"),
        {"name": "Care work", "email_alerts": "on", "query": "q=care&closing=30"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=bidder)
    assert search.query == {"q": "care", "closing": "30"} and search.email_alerts
    page = html(client.get(reverse("tender-alerts")))
    assert "Care work" in page and "Search: care" in page and "Within 30 days" in page
    client.post(reverse("tender-alert-change", args=[search.pk]))
    search.refresh_from_db()
    assert not search.email_alerts


def test_a_refused_filter_is_not_saved(client_for, bidder):
    response = client_for(bidder).post(
        reverse("tender-alerts"), {"name": "Odd", "query": "closing=999"}
    )
    assert response.status_code == 200
    assert "Choose when tenders close from the list." in html(response)
    assert not SavedSearch.objects.exists()


def test_another_persons_saved_search_is_not_found(client_for, bidder, other_bidder):
    search = services.saved_search_create(actor=bidder, name="Mine", query={})
    response = client_for(other_bidder).post(
        reverse("tender-alert-change", args=[search.pk]), {"remove": "1"}
    )
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()


def _run_alerts(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.opportunity_alerts_enqueue(now=now)


@override_settings(SERVICE_URL="https://service.example")
def test_alerts_email_each_person_once_a_run_with_every_match_and_a_stop_link(
    client,
    procurement_officer,
    authority,
    bidder,
    other_bidder,
    django_capture_on_commit_callbacks,
):
    start = timezone.now() - timedelta(hours=3)
    services.saved_search_create(actor=bidder, name="Care", query={"q": "care"}, now=start)
    services.saved_search_create(actor=bidder, name="Anything", query={}, now=start)
    services.saved_search_create(actor=other_bidder, name="Parks", query={"q": "parks"}, now=start)
    build_tender(procurement_officer, authority, title="Home care support")
    mail.outbox.clear()
    job = _run_alerts(timezone.now() + timedelta(seconds=1), django_capture_on_commit_callbacks)
    assert Job.objects.get(pk=job.pk).status == "succeeded"
    to_bidder = [m for m in mail.outbox if bidder.email in m.to]
    assert len(to_bidder) == 1, "one email per person per run, however many searches match"
    assert len(mail.outbox) == 1, "the parks search matched nothing: no email"
    body = to_bidder[0].body
    assert "Home care support" in body and "Care:" in body and "Anything:" in body
    stop = re.search(
        r"Stop alerts for 'Care': https://service\.example(/tenders/saved-searches/stop/\S+/)",
        body,
    )
    assert stop
    # The next run starts where this one ended: nothing new, nothing sent.
    mail.outbox.clear()
    _run_alerts(timezone.now() + timedelta(seconds=2), django_capture_on_commit_callbacks)
    assert not mail.outbox
    # The stop link asks first (a mail scanner's GET changes nothing), then stops that alert.
    assert client.get(stop.group(1)).status_code == 200
    assert SavedSearch.objects.get(name="Care").email_alerts
    stopped = client.post(stop.group(1))
    assert stopped.status_code == 200, stopped.status_code
    assert "Alerts stopped" in html(stopped)
    assert not SavedSearch.objects.get(name="Care").email_alerts
    assert SavedSearch.objects.get(name="Anything").email_alerts


def test_an_altered_stop_link_is_not_found(client, bidder):
    search = services.saved_search_create(actor=bidder, name="Mine", query={})
    token = services.unsubscribe_token(search)
    assert client.get(reverse("tender-alert-unsubscribe", args=[token + "x"])).status_code == 404


def test_a_job_run_twice_sends_the_same_emails(
    procurement_officer, authority, bidder, django_capture_on_commit_callbacks
):
    services.saved_search_create(
        actor=bidder, name="All", query={}, now=timezone.now() - timedelta(hours=1)
    )
    build_tender(procurement_officer, authority)
    job = _run_alerts(timezone.now() + timedelta(seconds=1), django_capture_on_commit_callbacks)
    first = [m.body for m in mail.outbox]
    Job.objects.filter(pk=job.pk).update(status="failed")
    mail.outbox.clear()
    jobs.run(job.pk)
    assert [m.body for m in mail.outbox] == first


# --------------------------------------------------------------------------- interest


def test_a_bidder_registers_interest_the_authority_sees_who_and_they_hear_of_amendments(
    client_for,
    open_tender,
    bidder,
    bidder_org,
    procurement_officer,
    django_capture_on_commit_callbacks,
):
    client = client_for(bidder)
    page = html(client.get(reverse("tender-detail", args=[open_tender.pk])))
    assert "Register interest" in page
    client.post(reverse("tender-interest", args=[open_tender.pk]))
    assert Interest.objects.filter(tender=open_tender, bidder=bidder_org).exists()
    listing = html(
        client_for(procurement_officer).get(reverse("tender-interest-list", args=[open_tender.pk]))
    )
    assert bidder_org.name in listing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason="Longer to bid.",
            submission_deadline=open_tender.submission_deadline + timedelta(days=3),
        )
    assert any(bidder.email in m.to for m in mail.outbox)


def test_a_bidder_withdraws_interest_and_a_non_bidder_cannot_register_any(
    client_for, open_tender, bidder, bidder_org, procurement_officer
):
    services.interest_register(actor=bidder, tender=open_tender, bidder=bidder_org)
    client = client_for(bidder)
    assert "Withdraw interest" in html(client.get(reverse("tender-detail", args=[open_tender.pk])))
    client.post(reverse("tender-interest", args=[open_tender.pk]), {"withdraw": "1"})
    assert not Interest.objects.exists()
    officer = client_for(procurement_officer)
    assert officer.post(reverse("tender-interest", args=[open_tender.pk])).status_code == 403
    assert not Interest.objects.exists()


def test_bidders_do_not_see_who_else_is_interested(client_for, open_tender, bidder, other_bidder):
    response = client_for(bidder).get(reverse("tender-interest-list", args=[open_tender.pk]))
    assert response.status_code == 403


def test_interest_is_not_registered_after_the_deadline(
    open_tender, bidder, bidder_org, monkeypatch
):
    from django.core.exceptions import ValidationError

    late = open_tender.submission_deadline + timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.interest_register(actor=bidder, tender=open_tender, bidder=bidder_org, now=late)


# --------------------------------------------------------------------------- building tenders


def test_a_new_lots_starting_criteria_are_valid_on_the_default_scale(
    procurement_officer, authority
):
    draft = build_tender(procurement_officer, authority, publish=False)
    lot = services.lot_add(actor=procurement_officer, tender=draft, title="Second lot")
    rows = selectors.lot_criteria(lot)
    report = criteria_layout.report(rows)
    assert report.is_valid, report.rows
    marked = [row for row in rows if row.kind != CriterionKind.PRICE]
    assert {row.max_mark for row in marked} == {criteria_layout.DEFAULT_SCALE_MAX}


def test_criteria_are_copied_from_another_lot_replacing_the_lots_own(
    client_for, procurement_officer, authority
):
    source = build_tender(procurement_officer, authority, publish=False, title="Source")
    draft = build_tender(procurement_officer, authority, publish=False, title="Target")
    lot = services.lot_add(actor=procurement_officer, tender=draft, title="Second lot")
    source_lot = source.lots.get()
    response = client_for(procurement_officer).post(
        reverse("tender-lot-copy", args=[lot.pk]), {"source": source_lot.pk}
    )
    assert response.status_code == 302
    names = lambda target: sorted(c.name for c in selectors.lot_criteria(target))  # noqa: E731
    assert names(lot) == names(source_lot)
    assert criteria_layout.report(selectors.lot_criteria(lot)).is_valid


def test_a_tender_is_copied_as_a_new_draft_without_its_dates(
    client_for, procurement_officer, open_tender
):
    response = client_for(procurement_officer).post(reverse("tender-copy", args=[open_tender.pk]))
    copy = Tender.objects.exclude(pk=open_tender.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.status == TenderStatus.DRAFT and copy.title == f"Copy of {open_tender.title}"
    assert copy.submission_deadline is None and copy.published_at is None
    assert len(selectors.lot_criteria(copy.lots.get())) == len(
        selectors.lot_criteria(open_tender.lots.get())
    )


def test_a_bidder_cannot_copy_a_tender(client_for, open_tender, bidder):
    response = client_for(bidder).post(reverse("tender-copy", args=[open_tender.pk]))
    assert response.status_code == 403
    assert Tender.objects.count() == 1


def test_check_and_publish_shows_timetable_documents_and_criteria_and_warns(
    client_for, procurement_officer, authority
):
    rules = reference.timetable_rules()
    short = timedelta(days=rules.short_bid_window_days) - timedelta(hours=2)
    draft = build_tender(procurement_officer, authority, publish=False, deadline_in=short)
    body = html(client_for(procurement_officer).get(reverse("tender-publish", args=[draft.pk])))
    assert 'id="publication-timetable"' in body and "Deadline for bids" in body
    assert "Service delivery" in body and "Local employment" in body  # the criteria
    assert f"less than {rules.short_bid_window_days} days" in body
    assert "No documents are published with the tender" in body


def test_a_long_window_with_documents_has_no_warnings(procurement_officer, authority):
    from tenders import readiness

    rules = reference.timetable_rules()
    draft = build_tender(
        procurement_officer,
        authority,
        publish=False,
        deadline_in=timedelta(days=rules.short_bid_window_days + 5),
    )
    services.document_add(
        actor=procurement_officer,
        tender=draft,
        title="Specification",
        upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec", content_type="application/pdf"),
    )
    assert readiness.check(tender=draft).warnings == ()


def test_after_a_question_the_deadline_comes_forward_only_leaving_the_days_kept(
    open_tender, bidder, bidder_org, procurement_officer
):
    from django.core.exceptions import ValidationError

    open_tender.submission_deadline = timezone.now() + timedelta(days=40)
    open_tender.save(update_fields=["submission_deadline"])
    services.clarification_ask(
        actor=bidder, tender=open_tender, bidder=bidder_org, question="Is parking provided?"
    )
    kept = reference.timetable_rules().days_kept_after_bringing_forward
    with pytest.raises(ValidationError) as refused:
        services.tender_amend(
            actor=procurement_officer,
            tender=open_tender,
            reason="Budget year ends.",
            submission_deadline=timezone.now() + timedelta(days=kept - 1),
        )
    assert f"at least {kept} days from now" in str(refused.value)
    amendment = services.tender_amend(
        actor=procurement_officer,
        tender=open_tender,
        reason="Budget year ends.",
        submission_deadline=timezone.now() + timedelta(days=kept + 1),
    )
    assert amendment.new_submission_deadline < amendment.old_submission_deadline


def test_the_date_hint_example_is_not_in_the_past():
    from socialvalue.core.forms import example_date_hint

    day, month, year = (int(part) for part in re.findall(r"\d+", str(example_date_hint)))
    from datetime import date

    assert date(year, month, day) > timezone.localdate()


def test_weight_labels_do_not_repeat_the_kind(client_for, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False)
    body = html(
        client_for(procurement_officer).get(reverse("tender-weights", args=[draft.lots.get().pk]))
    )
    assert "Price (price)" not in body and "Social value (social value)" not in body
    assert "Service delivery (quality)" in body


# --------------------------------------------------------------------------- bidding


def test_questions_come_grouped_by_kind_with_weights_and_a_word_count(
    client_for, procurement_officer, authority, bidder, bidder_org
):
    tender = build_tender(procurement_officer, authority, publish=False)
    lot = tender.lots.get()
    quality = Criterion.objects.get(lot=lot, parent=None, kind=CriterionKind.QUALITY)
    services.criterion_add(
        actor=procurement_officer,
        lot=lot,
        parent=quality,
        name="Staffing",
        weight=Decimal("0"),
        question="How will you staff it?",
        word_limit=750,
    )
    rows = {c.name: c for c in Criterion.objects.filter(lot=lot)}
    services.weights_update(
        actor=procurement_officer,
        lot=lot,
        weights={rows["Service delivery"].pk: Decimal("60"), rows["Staffing"].pk: Decimal("40")},
    )
    services.tender_publish(actor=procurement_officer, tender=tender)
    bid = services.bid_start(actor=bidder, lot=lot, bidder=bidder_org)
    body = html(client_for(bidder).get(reverse("bid-edit", args=[bid.pk])))
    quality_at, social_at = body.index("Quality questions"), body.index("Social value questions")
    assert quality_at < body.index("Staffing") < social_at < body.index("Local employment")
    assert "(20% of the total score)" in body  # 40% of the 50% quality group
    assert 'data-module="govuk-character-count"' in body and 'data-maxwords="750"' in body
    response = client_for(bidder).post(
        reverse("bid-edit", args=[bid.pk]),
        {"price": "100", f"answer_{rows['Staffing'].pk}": "word " * 751},
    )
    assert "Your answer has 751 words; the limit is 750." in html(response)


def _measure(code, name):
    measure = Measure.objects.create(
        code=code, theme="economic", outcome="Jobs", name=name, unit="job"
    )
    ProxyValue.objects.create(
        measure=measure,
        value=Decimal("100"),
        valid_from=timezone.localdate() - timedelta(days=365),
        source_title="Test",
        source_url="https://example.org",
    )
    return measure


def test_a_social_value_question_offers_only_its_measures_and_a_mismatch_says_so(
    client_for, procurement_officer, authority, bidder, bidder_org
):
    wanted, other = _measure("TST-10", "Local jobs"), _measure("TST-11", "Tree planting")
    tender = build_tender(procurement_officer, authority, publish=False)
    question = Criterion.objects.get(lot=tender.lots.get(), name="Local employment")
    question.measures.set([wanted])
    services.tender_publish(actor=procurement_officer, tender=tender)
    bid = services.bid_start(actor=bidder, lot=tender.lots.get(), bidder=bidder_org)
    client = client_for(bidder)
    url = reverse("bid-commitment-add", args=[bid.pk])
    chooser = html(client.get(url))
    assert "Which social value question does your commitment answer?" in chooser
    form = html(client.get(url, {"question": question.pk}))
    assert "TST-10 Local jobs" in form and "TST-11" not in form
    refused = html(
        client.post(
            url,
            {"criterion": question.pk, "measure": other.pk, "quantity": "2", "timing": "Y1"},
        )
    )
    assert "That measure is not one" in refused and "Select a valid choice" not in refused
    assert not bid.commitments.exists()


def test_the_primary_button_comes_first_on_the_bid_page(
    client_for, open_tender, bidder, bidder_org
):
    bid = draft_bid(bidder, bidder_org, open_tender)
    body = html(client_for(bidder).get(reverse("bid-detail", args=[bid.pk])))
    assert body.index("Check and submit") < body.index("Price and answers</a>")


def test_check_and_submit_shows_the_bid_and_needs_the_declaration(
    client_for, open_tender, bidder, bidder_org, django_capture_on_commit_callbacks
):
    bid = draft_bid(bidder, bidder_org, open_tender, text="Checked-answer")
    client = client_for(bidder)
    url = reverse("bid-submit", args=[bid.pk])
    page = html(client.get(url))
    assert "Checked-answer" in page and "£1,000.00" in page and "Declaration" in page
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Confirm the declaration to submit your bid." in html(refused)
    assert Bid.objects.own(user=bidder).get().status == BidStatus.DRAFT
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"declaration": "on"})
    assert response["Location"] == reverse("bid-receipt", args=[bid.pk])
    receipt = BidReceipt.objects.unscoped(reason="the test reads what was stored").get()
    emails = [m for m in mail.outbox if bidder.email in m.to]
    assert len(emails) == 1 and receipt.number in emails[0].subject
    assert receipt.digest in emails[0].body and "Checked-answer" not in emails[0].body
    printable = html(client.get(reverse("bid-receipt", args=[bid.pk])))
    assert receipt.number in printable and receipt.digest in printable
    assert "Checked-answer" in printable


def test_receipt_numbers_are_per_tender_and_not_a_sequence(
    procurement_officer, authority, bidder, bidder_org, other_bidder, other_bidder_org
):
    first = build_tender(procurement_officer, authority, title="First")
    second = build_tender(procurement_officer, authority, title="Second")
    numbers = []
    for tender, person, organisation in (
        (first, bidder, bidder_org),
        (first, other_bidder, other_bidder_org),
        (second, bidder, bidder_org),
    ):
        bid = draft_bid(person, organisation, tender)
        numbers.append((tender.pk, services.bid_submit(actor=person, bid=bid).number))
    for tender_id, number in numbers:
        assert re.fullmatch(rf"T{tender_id}-[A-Z2-9]{{4}}-[A-Z2-9]{{4}}", number), number
    assert len({number for _, number in numbers}) == 3
    assert not any(re.search(r"R0+\d", number) for _, number in numbers)


def test_your_bids_names_the_lot_and_a_lapsed_draft_says_so(
    client_for, open_tender, bidder, bidder_org, monkeypatch
):
    draft_bid(bidder, bidder_org, open_tender)
    client = client_for(bidder)
    body = html(client.get(reverse("bid-list")))
    assert str(open_tender.lots.get()) in body
    monkeypatch.setattr(
        timezone, "now", lambda: open_tender.submission_deadline + timedelta(minutes=1)
    )
    body = html(client.get(reverse("bid-list")))
    assert "Not submitted: deadline passed" in body


def test_after_the_deadline_the_question_page_says_why_there_is_no_form(
    client_for, open_tender, bidder, bidder_org, monkeypatch
):
    monkeypatch.setattr(
        timezone, "now", lambda: open_tender.submission_deadline + timedelta(minutes=1)
    )
    body = html(client_for(bidder).get(reverse("tender-clarifications", args=[open_tender.pk])))
    assert "The deadline for bids passed on" in body and "Send question" not in body


# --------------------------------------------------------------------------- officers


def test_officers_see_how_many_questions_wait(
    client_for, open_tender, bidder, bidder_org, procurement_officer
):
    services.clarification_ask(
        actor=bidder, tender=open_tender, bidder=bidder_org, question="When does it start?"
    )
    client = client_for(procurement_officer)
    body = html(client.get(reverse("tender-detail", args=[open_tender.pk])))
    assert "1 question from bidders waiting for an answer" in body
    assert "Answer bidders&#x27; questions" in body or "Answer bidders' questions" in body
    assert "Ask a question" not in body
    body = html(client.get(reverse("tender-clarifications", args=[open_tender.pk])))
    assert "1 question waiting for an answer" in body
    listing = html(client.get(reverse("tender-list")))
    assert "questions waiting on" in listing
    dashboard = html(client.get(reverse("dashboard")))
    assert "1 question waiting for an answer" in dashboard


def test_the_sealed_bids_page_offers_open_the_bids_after_the_deadline(
    client_for, open_tender, procurement_officer, monkeypatch
):
    client = client_for(procurement_officer)
    before = html(client.get(reverse("tender-bids", args=[open_tender.pk])))
    assert 'id="open-bids"' not in before
    monkeypatch.setattr(
        timezone, "now", lambda: open_tender.submission_deadline + timedelta(minutes=1)
    )
    after = html(client.get(reverse("tender-bids", args=[open_tender.pk])))
    assert 'id="open-bids"' in after
    assert f'action="{reverse("tender-open-bids", args=[open_tender.pk])}"' in after


def test_the_opportunities_page_holds_its_query_count(
    client, django_assert_max_num_queries, procurement_officer
):
    for n in range(3):
        other = AuthorityFactory()
        officer = person_with_role(Role.PROCUREMENT_OFFICER, other)
        build_tender(officer, other, title=f"Tender {n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("tender-opportunities")).status_code == 200
