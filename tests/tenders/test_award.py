"""The award: refusals (before moderation, with an abnormally low price query open, with a tie
unresolved, on a lot without bids), tie resolution, abnormally low price queries, issuing the
award with each bidder's own summary, standstill by regime, challenges and the contract."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from socialvalue.models import Role
from tenders import ranking, services
from tenders.models import (
    AwardOutcome,
    Bid,
    BidderNotice,
    BidOutcome,
    Contract,
    QueryStatus,
    Regime,
    Tender,
    TenderStatus,
)
from tests.factories import person_with_role
from tests.tenders.award_factories import moderate, tender_to_award

LONDON = ZoneInfo("Europe/London")


def _award_all(world, when=None):
    decision = services.award_decide(
        actor=world.officer, lot=world.lot, outcome=AwardOutcome.AWARD, now=when
    )
    return decision


def _bid(world, index) -> Bid:
    return Bid.objects.unscoped(reason="the test reads what was stored").get(
        pk=world.bids[index].pk
    )


# --------------------------------------------------------------------------- refusals


def test_award_is_refused_before_moderation_is_complete(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, moderate_all=False)
    moderate(world, world.bids[0], "4")
    with pytest.raises(ValidationError) as refused:
        _award_all(world)
    assert "still to be moderated" in " ".join(refused.value.messages)
    assert not world.lot.award_decisions.exists()


def test_award_goes_to_the_bid_ranked_first(procurement_officer, authority):
    world = tender_to_award(
        procurement_officer,
        authority,
        prices=("100000", "105000", "110000"),
        marks=("2", "5", "3"),
    )
    decision = _award_all(world)
    assert decision.bid_id == world.bids[1].pk
    assert decision.ranking["bids"][0]["bid_id"] == str(world.bids[1].pk)


def test_award_is_refused_on_a_lot_without_bids_but_no_award_is_recorded(
    procurement_officer, authority
):
    world = tender_to_award(procurement_officer, authority, prices=("100000",))
    # A second lot nobody bid for (added as if while the tender was drafted).
    Tender.objects.filter(pk=world.tender.pk).update(status=TenderStatus.DRAFT)
    second = services.lot_add(actor=procurement_officer, tender=world.tender, title="Second lot")
    Tender.objects.filter(pk=world.tender.pk).update(status=TenderStatus.UNDER_EVALUATION)
    with pytest.raises(ValidationError) as refused:
        services.award_decide(actor=procurement_officer, lot=second, outcome=AwardOutcome.AWARD)
    assert "No bids were submitted for this lot" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.award_decide(actor=procurement_officer, lot=second, outcome=AwardOutcome.NO_AWARD)
    decision = services.award_decide(
        actor=procurement_officer,
        lot=second,
        outcome=AwardOutcome.NO_AWARD,
        reason="No bids were received.",
    )
    assert decision.bid is None


def test_award_is_refused_with_an_abnormally_low_query_open(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("60000", "110000", "120000"))
    lot_ranking = ranking.rank_lot(lot=world.lot)
    flagged = [row for row in lot_ranking.rows if row.flagged]
    assert [row.bid.pk for row in flagged] == [world.bids[0].pk]
    # Flagged and never asked: refused.
    with pytest.raises(ValidationError) as refused:
        _award_all(world)
    assert "ask the bidder to explain it" in " ".join(refused.value.messages)
    query = services.abnormally_low_request(
        actor=procurement_officer, bid=world.bids[0], request="Explain the staff costs."
    )
    with pytest.raises(ValidationError) as refused:
        _award_all(world)
    assert "still open" in " ".join(refused.value.messages)
    services.abnormally_low_decide(
        actor=procurement_officer, query=query, accept=True, reason="The costs are explained."
    )
    assert _award_all(world).bid_id == world.bids[0].pk


def test_award_is_refused_with_an_unresolved_tie_until_it_is_recorded(
    procurement_officer, authority
):
    world = tender_to_award(
        procurement_officer, authority, prices=("100000", "100000", "105000"), marks=("3", "3", "3")
    )
    lot_ranking = ranking.rank_lot(lot=world.lot)
    assert lot_ranking.result.tie_unresolved
    with pytest.raises(ValidationError) as refused:
        _award_all(world)
    assert "still level at the top" in " ".join(refused.value.messages)
    services.tie_resolve(
        actor=procurement_officer,
        lot=world.lot,
        rank=1,
        chosen_bid=world.bids[1],
        explanation="Drawn by lot in front of two officers, as the tender documents set out.",
    )
    assert ranking.rank_lot(lot=world.lot).leader.pk == world.bids[1].pk
    assert _award_all(world).bid_id == world.bids[1].pk


def test_the_published_tie_break_separates_equal_totals(procurement_officer, authority):
    # Price 40, quality 50, social value 10. A: £75,000 (the lowest: 40 points), quality 3 of 5
    # (30), social value 3 of 5 (6): 76. B: £100,000 (30 points), quality 4 of 5 (40), 6: 76.
    # C, £76,000 with no marks, keeps the prices within the abnormally low screen.
    world = tender_to_award(
        procurement_officer,
        authority,
        prices=("75000", "100000", "76000"),
        marks=(
            {"quality": "3", "social_value": "3"},
            {"quality": "4", "social_value": "3"},
            "0",
        ),
    )
    lot_ranking = ranking.rank_lot(lot=world.lot)
    totals = {row.bid.pk: row.result.total for row in lot_ranking.rows}
    assert totals[world.bids[0].pk] == totals[world.bids[1].pk] == Decimal(76)
    assert not lot_ranking.unasked_flags
    # The published default: the higher quality score first.
    assert lot_ranking.leader.pk == world.bids[1].pk
    assert not lot_ranking.result.tie_unresolved
    # Published as "lowest price" instead: the cheaper bid first.
    Tender.objects.filter(pk=world.tender.pk).update(tie_break="price")
    world.lot.tender.refresh_from_db()
    assert ranking.rank_lot(lot=world.lot).leader.pk == world.bids[0].pk


# --------------------------------------------------------------------------- abnormally low


def test_rejection_needs_the_explanation_and_breach_of_law_must_be_rejected(
    procurement_officer, authority, settings, tmp_path
):
    world = tender_to_award(procurement_officer, authority, prices=("60000", "110000", "120000"))
    query = services.abnormally_low_request(
        actor=procurement_officer, bid=world.bids[0], request="Explain the staff costs."
    )
    with pytest.raises(ValidationError) as refused:
        services.abnormally_low_decide(
            actor=procurement_officer, query=query, accept=False, reason="Too cheap."
        )
    assert "only after the bidder has explained" in str(refused.value)
    bidder_person = person_with_role(Role.BIDDER, world.bidders[0])
    services.abnormally_low_respond(
        actor=bidder_person,
        query=query,
        response="We pay below the minimum wage.",
        files=[SimpleUploadedFile("costs.pdf", b"%PDF-1.4 costs", content_type="application/pdf")],
    )
    with pytest.raises(ValidationError) as refused:
        services.abnormally_low_decide(
            actor=procurement_officer,
            query=query,
            accept=True,
            reason="Fine.",
            breaches_law=True,
        )
    assert "must be" in str(refused.value)
    decided = services.abnormally_low_decide(
        actor=procurement_officer,
        query=query,
        accept=False,
        reason="Pay below the National Minimum Wage breaches labour law.",
        breaches_law=True,
    )
    assert decided.status == QueryStatus.REJECTED
    lot_ranking = ranking.rank_lot(lot=world.lot)
    assert world.bids[0].pk not in [row.bid.pk for row in lot_ranking.rows]
    assert lot_ranking.out_of_running[0][0].pk == world.bids[0].pk


def test_another_bidder_cannot_answer_a_query(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("60000", "110000", "120000"))
    query = services.abnormally_low_request(
        actor=procurement_officer, bid=world.bids[0], request="Explain."
    )
    stranger = person_with_role(Role.BIDDER, world.bidders[1])
    with pytest.raises(Exception) as refused:
        services.abnormally_low_respond(actor=stranger, query=query, response="Ours.")
    assert refused.type.__name__ == "PermissionDenied"


# --------------------------------------------------------------------------- issuing


def _issue(world, *, now=None, electronic=True):
    _award_all(world, when=now)
    return services.award_issue(
        actor=world.officer, tender=world.tender, sent_electronically=electronic, now=now
    )


def test_issuing_the_award_tells_every_bidder_and_sets_outcomes(
    procurement_officer, authority, django_capture_on_commit_callbacks
):
    world = tender_to_award(
        procurement_officer, authority, prices=("100000", "105000", "110000"), marks=("5", "3", "2")
    )
    with django_capture_on_commit_callbacks(execute=True):
        notice = _issue(world)
    world.tender.refresh_from_db()
    assert world.tender.status == TenderStatus.AWARDED
    outcomes = [_bid(world, i).outcome for i in range(3)]
    assert outcomes == [BidOutcome.SUCCESSFUL, BidOutcome.UNSUCCESSFUL, BidOutcome.UNSUCCESSFUL]
    assert [_bid(world, i).shown_status_label for i in range(3)] == [
        "Successful",
        "Unsuccessful",
        "Unsuccessful",
    ]
    letters = BidderNotice.objects.unscoped(reason="the test reads the letters").filter(
        notice=notice
    )
    assert letters.count() == 3
    assert {letter.kind for letter in letters} == {"assessment_summary"}
    assert len(mail.outbox) == 3
    assert all("Outcome of" in email.subject for email in mail.outbox)


def test_an_assessment_summary_shows_only_its_own_scores_and_the_winners(
    procurement_officer, authority, client
):
    world = tender_to_award(
        procurement_officer, authority, prices=("100000", "105000", "110000"), marks=("5", "3", "2")
    )
    _issue(world)
    winner, second, third = (world.bidders[i].name for i in range(3))
    letter = BidderNotice.objects.unscoped(reason="the test reads the letter").get(
        bid=world.bids[1]
    )
    text = str(letter.summary)
    assert second in text and winner in text
    assert third not in text
    assert f"RATIONALE-{third}" not in text
    assert f"RATIONALE-{second}" in text and f"RATIONALE-{winner}" in text
    # The page the second bidder reads says the same, and nothing of the third.
    person = person_with_role(Role.BIDDER, world.bidders[1])
    client.force_login(person)
    page = client.get(reverse("bid-outcome", args=[world.bids[1].pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Unsuccessful" in body and f"RATIONALE-{winner}" in body
    assert third not in body and f"RATIONALE-{third}" not in body
    # And it cannot read the third bidder's outcome.
    assert client.get(reverse("bid-outcome", args=[world.bids[2].pk])).status_code == 404


def test_issuing_is_refused_until_every_lot_is_decided(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("100000", "110000"))
    with pytest.raises(ValidationError) as refused:
        services.award_issue(actor=procurement_officer, tender=world.tender)
    assert "every lot" in str(refused.value)


# --------------------------------------------------------------------------- standstill


@pytest.mark.parametrize(
    ("regime", "issued", "electronic", "last_day"),
    [
        # Procurement Act 2023: 8 working days counting the day of the notice, across
        # Christmas; its working days leave out a bank holiday in any part of the UK, so
        # 4 January 2027 (Scotland's day for 2 January) does not count either.
        (Regime.PROCUREMENT_ACT_2023, datetime(2026, 12, 22, 10, 0), True, date(2027, 1, 6)),
        # And across Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
        (Regime.PROCUREMENT_ACT_2023, datetime(2027, 3, 24, 10, 0), True, date(2027, 4, 6)),
        # PCR 2015: the 10th calendar day after sending, or the 15th when not electronic.
        (Regime.PCR_2015, datetime(2026, 6, 1, 10, 0), True, date(2026, 6, 11)),
        (Regime.PCR_2015, datetime(2026, 6, 1, 10, 0), False, date(2026, 6, 16)),
    ],
)
def test_standstill_ends_by_the_regimes_rule(
    procurement_officer, authority, regime, issued, electronic, last_day
):
    from tenders import award_rules

    world = tender_to_award(procurement_officer, authority, prices=("100000", "110000"))
    Tender.objects.filter(pk=world.tender.pk).update(regime=regime)
    world.tender.refresh_from_db()
    when = issued.replace(tzinfo=LONDON)
    notice = _issue(world, now=when, electronic=electronic)
    expected = award_rules.standstill_ends(regime, when, electronic=electronic)
    assert notice.standstill_ends_at == expected.ends_at
    assert notice.standstill_last_day == last_day
    # Midnight at the end of the last day: the next day begins.
    assert timezone.localtime(notice.standstill_ends_at).date() == last_day + timedelta(days=1)
    assert notice.standstill_rule["description"] == expected.rule


def test_standstill_challenge_and_contract(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("100000", "110000"))
    issued = timezone.now() - timedelta(days=30)
    notice = _issue(world, now=issued)
    with pytest.raises(ValidationError):
        services.contract_enter(
            actor=procurement_officer,
            lot=world.lot,
            value=Decimal("100000"),
            signed_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=365),
        )
    challenge = services.challenge_record(
        actor=procurement_officer,
        tender=world.tender,
        summary="Bidder 002 challenges the price scores.",
        received_at=issued + timedelta(days=2),
    )
    with pytest.raises(ValidationError) as refused:
        services.standstill_end(actor=procurement_officer, tender=world.tender)
    assert "challenge" in str(refused.value)
    services.challenge_resolve(
        actor=procurement_officer, challenge=challenge, resolution="Withdrawn by the bidder."
    )
    services.standstill_end(actor=procurement_officer, tender=world.tender)
    notice.refresh_from_db()
    assert notice.standstill_ended_at is not None
    contract = services.contract_enter(
        actor=procurement_officer,
        lot=world.lot,
        value=Decimal("100000"),
        signed_on=timezone.localdate(),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=365),
        reference="C-1",
    )
    assert contract.bid_id == world.bids[0].pk
    assert contract.supplier_id == world.bidders[0].pk
    with pytest.raises(ValidationError):
        services.contract_enter(
            actor=procurement_officer,
            lot=world.lot,
            value=Decimal("1"),
            signed_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )


def test_standstill_cannot_end_early(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("100000", "110000"))
    _issue(world)
    with pytest.raises(ValidationError) as refused:
        services.standstill_end(actor=procurement_officer, tender=world.tender)
    assert "runs to midnight" in str(refused.value)


def test_a_recorded_challenge_suspends_the_contract(procurement_officer, authority):
    world = tender_to_award(procurement_officer, authority, prices=("100000", "110000"))
    issued = timezone.now() - timedelta(days=30)
    _issue(world, now=issued)
    services.standstill_end(actor=procurement_officer, tender=world.tender)
    services.challenge_record(
        actor=procurement_officer,
        tender=world.tender,
        summary="A late claim.",
        received_at=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as refused:
        services.contract_enter(
            actor=procurement_officer,
            lot=world.lot,
            value=Decimal("100000"),
            signed_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )
    assert "suspended" in str(refused.value)
    assert not Contract.objects.exists()


# --------------------------------------------------------------------------- replacing a winner


def test_the_next_ranked_bid_is_chosen_when_the_winner_falls_away(procurement_officer, authority):
    world = tender_to_award(
        procurement_officer, authority, prices=("100000", "105000", "110000"), marks=("5", "4", "2")
    )
    _issue(world)
    replaced = services.award_replace(
        actor=procurement_officer, lot=world.lot, reason="Failed the financial checks."
    )
    assert replaced.bid_id == world.bids[1].pk
    world.tender.refresh_from_db()
    assert world.tender.status == TenderStatus.UNDER_EVALUATION
    assert _bid(world, 0).outcome == BidOutcome.NONE
    notice = services.award_issue(actor=procurement_officer, tender=world.tender)
    assert _bid(world, 1).outcome == BidOutcome.SUCCESSFUL
    first = BidderNotice.objects.unscoped(reason="the test reads the letter").get(
        notice=notice, bid=world.bids[0]
    )
    assert "fell away" in first.summary["out_of_running"]


# --------------------------------------------------------------------------- opening


def test_a_second_officer_confirms_the_opening(procurement_officer, authority):
    from tests.tenders.factories import build_tender
    from tests.tenders.panel_factories import pass_the_deadline

    tender = build_tender(procurement_officer, authority)
    Tender.objects.filter(pk=tender.pk).update(second_officer_opens_bids=True)
    pass_the_deadline(tender)
    with pytest.raises(ValidationError):
        services.open_bids(actor=procurement_officer, tender=tender)
    services.open_bids_request(actor=procurement_officer, tender=tender)
    with pytest.raises(ValidationError) as refused:
        services.open_bids(actor=procurement_officer, tender=tender)
    assert "Another procurement officer" in str(refused.value)
    second = person_with_role(Role.PROCUREMENT_OFFICER, authority)
    opened = services.open_bids(actor=second, tender=tender)
    assert opened.bids_opened_by == second
    assert opened.status == TenderStatus.UNDER_EVALUATION
