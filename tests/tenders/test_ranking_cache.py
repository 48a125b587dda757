"""A lot's ranking is worked out once per data version: the page, its chart and the evaluation
report share one run of the engine, and every input that changes the result makes the next
reader work it out afresh (a stale ranking is never shown)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models.signals import post_save
from django.urls import reverse

from socialvalue.models import Role
from tenders import award_reports, ranking, ranking_version, scoring, services
from tenders.models import (
    AwardOutcome,
    Bid,
    Commitment,
    ConflictDeclaration,
    Criterion,
    CriterionKind,
    Evaluator,
    Lot,
    Mark,
    ModeratedMark,
    Tender,
)
from tests.factories import person_with_role
from tests.tenders.award_factories import moderate, tender_to_award


@pytest.fixture
def engine_runs(monkeypatch):
    """Counts the scoring engine's runs behind rank_lot."""
    runs = []
    real = scoring.score_tender

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking.scoring, "score_tender", counted)
    return runs


def _rank(world) -> ranking.LotRanking:
    return ranking.rank_lot(lot=Lot.objects.select_related("tender").get(pk=world.lot.pk))


def _remoderate(world, bid, mark: str) -> None:
    """The panel's consensus on every criterion of `bid` changed to `mark`."""
    services.moderation_save(
        actor=world.officer,
        bid=bid,
        typed={
            criterion.pk: services.Consensus(
                mark=mark, rationale=f"Agreed again at {mark}.", reason="Read again."
            )
            for criterion in world.criteria
        },
    )


def _world(officer, authority, **kwargs):
    kwargs.setdefault("prices", ("100000", "105000", "110000"))
    kwargs.setdefault("marks", ("5", "4", "2"))
    return tender_to_award(officer, authority, **kwargs)


def test_the_page_its_chart_and_the_report_run_the_engine_once(
    client, procurement_officer, authority, engine_runs
):
    world = _world(procurement_officer, authority)
    client.force_login(procurement_officer)
    page = client.get(reverse("award-ranking", args=[world.lot.pk]))
    chart = client.get(reverse("award-ranking-chart", args=[world.lot.pk]))
    assert page.status_code == chart.status_code == 200
    context = award_reports.evaluation_context(Tender.objects.get(pk=world.tender.pk), {})
    assert len(engine_runs) == 1
    # The same figures everywhere: the page lists the leader the report ranks first.
    leader = context["lots"][0]["ranking"].leader
    assert leader.pk == world.bids[0].pk
    assert leader.bidder.name in page.content.decode()


def test_a_new_moderated_mark_changes_the_ranking(procurement_officer, authority, engine_runs):
    world = _world(procurement_officer, authority)
    assert _rank(world).leader.pk == world.bids[0].pk
    _remoderate(world, world.bids[2], "5")
    _remoderate(world, world.bids[0], "1")
    # 1 of 5 on everything now: the first bid falls to last place.
    assert _rank(world).ranked[-1].bid.pk == world.bids[0].pk
    assert len(engine_runs) == 2


def test_a_moderated_mark_saved_alone_changes_the_ranking(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    before = {row.bid.pk: row.result.total for row in _rank(world).rows}
    row = ModeratedMark.objects.filter(bid=world.bids[2]).first()
    row.mark = Decimal(5)
    row.save()
    after = {row.bid.pk: row.result.total for row in _rank(world).rows}
    assert after[world.bids[2].pk] > before[world.bids[2].pk]


def test_moderation_completing_the_evaluation_is_seen(procurement_officer, authority):
    world = _world(procurement_officer, authority, moderate_all=False)
    moderate(world, world.bids[0], "4")
    moderate(world, world.bids[1], "3")
    assert not _rank(world).marks.complete
    moderate(world, world.bids[2], "2")
    assert _rank(world).marks.complete


def test_a_declared_conflict_is_seen(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    assert _rank(world).marks.complete
    services.interests_declare(
        actor=world.evaluator.user,
        evaluator=world.evaluator,
        answers={
            bidder.pk: services.Declared(
                has_conflict=bidder.pk == world.bidders[2].pk,
                details="My sister runs it." if bidder.pk == world.bidders[2].pk else "",
            )
            for bidder in world.bidders
        },
    )
    # Nobody without a conflict is left to mark that bid: the evaluation is no longer complete.
    assert not _rank(world).marks.complete


def test_a_price_query_and_its_decision_are_seen(procurement_officer, authority, engine_runs):
    world = _world(procurement_officer, authority, prices=("60000", "110000", "120000"))
    assert [row.bid.pk for row in _rank(world).unasked_flags] == [world.bids[0].pk]
    query = services.abnormally_low_request(
        actor=procurement_officer, bid=world.bids[0], request="Explain the staff costs."
    )
    lot_ranking = _rank(world)
    assert not lot_ranking.unasked_flags
    assert [row.bid.pk for row in lot_ranking.undecided_queries] == [world.bids[0].pk]
    services.abnormally_low_respond(
        actor=person_with_role(Role.BIDDER, world.bidders[0]),
        query=query,
        response="We pay below the minimum wage.",
    )
    services.abnormally_low_decide(
        actor=procurement_officer,
        query=query,
        accept=False,
        reason="Pay below the National Minimum Wage breaches labour law.",
        breaches_law=True,
    )
    lot_ranking = _rank(world)
    assert world.bids[0].pk not in [row.bid.pk for row in lot_ranking.rows]
    assert lot_ranking.out_of_running[0][0].pk == world.bids[0].pk
    assert len(engine_runs) == 3


def test_a_tie_resolution_is_seen(procurement_officer, authority):
    world = _world(
        procurement_officer, authority, prices=("100000", "100000", "105000"), marks=("3", "3", "3")
    )
    assert _rank(world).result.tie_unresolved
    services.tie_resolve(
        actor=procurement_officer,
        lot=world.lot,
        rank=1,
        chosen_bid=world.bids[1],
        explanation="Drawn by lot in front of two officers, as the tender documents set out.",
    )
    lot_ranking = _rank(world)
    assert not lot_ranking.result.tie_unresolved
    assert lot_ranking.leader.pk == world.bids[1].pk


def test_a_decision_and_its_setting_aside_are_seen(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    assert _rank(world).current_decision is None
    services.award_decide(actor=procurement_officer, lot=world.lot, outcome=AwardOutcome.AWARD)
    assert _rank(world).current_decision.bid_id == world.bids[0].pk
    services.award_issue(actor=procurement_officer, tender=world.tender, sent_electronically=True)
    services.award_replace(
        actor=procurement_officer, lot=world.lot, reason="Failed the financial checks."
    )
    lot_ranking = _rank(world)
    assert lot_ranking.current_decision.bid_id == world.bids[1].pk
    assert lot_ranking.out_of_running[0][0].pk == world.bids[0].pk


def test_a_new_weight_is_seen(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    before = _rank(world).kind_weights
    groups = {row.kind: row for row in Criterion.objects.filter(lot=world.lot, parent=None)}
    # Weights change only while the tender is a draft; the ranking follows its rows regardless.
    price, quality = groups[CriterionKind.PRICE], groups[CriterionKind.QUALITY]
    price.weight -= 10
    price.save(update_fields=["weight"])
    quality.weight += 10
    quality.save(update_fields=["weight"])
    after = _rank(world).kind_weights
    assert after[scoring.PRICE] == before[scoring.PRICE] - 10
    assert after[scoring.QUALITY] == before[scoring.QUALITY] + 10


def test_the_published_tie_break_is_seen_even_when_written_in_bulk(procurement_officer, authority):
    world = _world(
        procurement_officer,
        authority,
        prices=("75000", "100000", "76000"),
        marks=({"quality": "3", "social_value": "3"}, {"quality": "4", "social_value": "3"}, "0"),
    )
    assert _rank(world).leader.pk == world.bids[1].pk
    # QuerySet.update sends no signal: the tender's scoring rules are part of the key itself.
    Tender.objects.filter(pk=world.tender.pk).update(tie_break="price")
    assert _rank(world).leader.pk == world.bids[0].pk


def test_a_bidder_renamed_is_shown_by_its_new_name(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    assert _rank(world).leader.bidder.name == world.bidders[0].name
    bidder = world.bidders[0]
    bidder.name = "Renamed Community Interest Company"
    bidder.save()
    assert _rank(world).leader.bidder.name == "Renamed Community Interest Company"


def test_signing_in_keeps_the_stored_ranking(procurement_officer, authority, engine_runs):
    world = _world(procurement_officer, authority)
    _rank(world)
    procurement_officer.save(update_fields=["last_login"])
    _rank(world)
    assert len(engine_runs) == 1


ROWS = {
    Tender: lambda world: Tender.objects.get(pk=world.tender.pk),
    Lot: lambda world: Lot.objects.get(pk=world.lot.pk),
    Bid: lambda world: Bid.objects.unscoped(reason="a test saves a row").get(pk=world.bids[0].pk),
    Criterion: lambda world: Criterion.objects.filter(lot=world.lot).first(),
    # The test's bids offer no commitment: one as the bid page would save it (see below).
    Commitment: lambda world: Commitment(bid_id=world.bids[0].pk),
    Evaluator: lambda world: Evaluator.objects.get(pk=world.evaluator.pk),
    ConflictDeclaration: lambda world: ConflictDeclaration.objects.filter(
        evaluator=world.evaluator
    ).first(),
    Mark: lambda world: Mark.objects.filter(evaluator=world.evaluator).first(),
    ModeratedMark: lambda world: ModeratedMark.objects.filter(criterion__lot=world.lot).first(),
}


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model.__name__)
def test_saving_or_deleting_any_row_of_the_lot_gives_a_new_version(
    procurement_officer, authority, model
):
    world = _world(procurement_officer, authority)
    row = ROWS[model](world)
    assert row is not None, f"the test world has no {model.__name__}"
    assert model in ranking_version.TENDER_OF
    version = ranking_version.current(tender_id=world.tender.pk)
    if row.pk is None:
        post_save.send(sender=model, instance=row, created=True)
    else:
        row.save()
    saved = ranking_version.current(tender_id=world.tender.pk)
    assert saved != version
    ranking_version._row_changed(model, row)  # as post_delete would
    assert ranking_version.current(tender_id=world.tender.pk) != saved


def test_the_panels_criteria_give_a_new_version(procurement_officer, authority):
    world = _world(procurement_officer, authority)
    version = ranking_version.current(tender_id=world.tender.pk)
    world.evaluator.criteria.remove(world.criteria[0])
    assert ranking_version.current(tender_id=world.tender.pk) != version


def test_another_tenders_change_keeps_this_ranking(procurement_officer, authority, engine_runs):
    world = _world(procurement_officer, authority)
    other = _world(procurement_officer, authority)
    _rank(world)
    _remoderate(other, other.bids[2], "5")
    _rank(world)
    assert len(engine_runs) == 1


def test_an_evicted_token_never_brings_back_a_stored_result(
    procurement_officer, authority, engine_runs
):
    world = _world(procurement_officer, authority)
    _rank(world)
    cache.delete(f"ranking-token:{world.tender.pk}")
    _rank(world)
    assert len(engine_runs) == 2


def test_the_version_is_replaced_again_once_the_change_commits(procurement_officer, authority):
    from django.db import connection

    world = _world(procurement_officer, authority)
    _remoderate(world, world.bids[2], "5")
    during = ranking_version.current(tender_id=world.tender.pk)
    # The test's own transaction never commits: what would run then is waiting, once for the
    # tender however many of its rows were written.
    mine = [
        func
        for _savepoints, func, _robust in connection.run_on_commit
        if getattr(func, "ranking_tender", None) == world.tender.pk
    ]
    assert len(mine) == 1
    mine[0]()
    assert ranking_version.current(tender_id=world.tender.pk) != during
