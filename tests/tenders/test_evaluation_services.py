"""The evaluation's services: the panel, declarations, independent marking, moderation, and
what the award reads (moderated_marks, lot_evaluation_state)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialvalue.models import AuditEntry, Role
from tenders import services
from tenders.evaluation_selectors import (
    lot_evaluation_state,
    moderated_marks,
    others_marks,
)
from tenders.models import Bid, Mark, ModeratedMark, ModerationChange
from tenders.permissions import bid_scope, can_read_bid
from tests.factories import person_with_role
from tests.tenders.panel_factories import appoint, mark_all, tender_under_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_officer, authority):
    return tender_under_evaluation(procurement_officer, authority)


def _moderate(world, bid, criterion, mark="3", **extra):
    return services.moderation_save(
        actor=world.officer,
        bid=bid,
        typed={criterion.pk: services.Consensus(mark=mark, rationale="Agreed.", **extra)},
    )


# --------------------------------------------------------------------------- panel and reading


def test_an_evaluator_reads_no_bid_before_declaring_and_none_of_a_conflicted_bidder(world):
    first, second = world.bids
    evaluator = appoint(world, declare=False)
    assert not can_read_bid(evaluator.user, first)
    services.interests_declare(
        actor=evaluator.user,
        evaluator=evaluator,
        answers={
            world.bidders[0].pk: services.Declared(True, "I was a trustee of it until May."),
            world.bidders[1].pk: services.Declared(False),
        },
    )
    assert not can_read_bid(evaluator.user, first)
    assert can_read_bid(evaluator.user, second)
    readable = Bid.objects.readable_by(user=evaluator.user, tender=world.tender)
    assert list(readable.values_list("pk", flat=True)) == [second.pk]


def test_an_evaluator_not_on_the_panel_reads_nothing(world, authority):
    outsider = person_with_role(Role.EVALUATOR, authority)
    assert not Bid.objects.readable_by(user=outsider, tender=world.tender).exists()


def test_a_conflict_needs_its_details_and_every_bidder_needs_an_answer(world):
    evaluator = appoint(world, declare=False)
    with pytest.raises(ValidationError) as refused:
        services.interests_declare(
            actor=evaluator.user,
            evaluator=evaluator,
            answers={world.bidders[0].pk: services.Declared(True, "  ")},
        )
    assert set(refused.value.message_dict) == {
        f"details_{world.bidders[0].pk}",
        f"conflict_{world.bidders[1].pk}",
    }
    evaluator.refresh_from_db()
    assert evaluator.declared_at is None


def test_a_quality_evaluator_sees_neither_the_price_nor_the_social_value_answer(world):
    quality = world.criterion("quality")
    evaluator = appoint(world, criteria=[quality])
    scope = bid_scope(evaluator.user, world.bids[0])
    assert not scope.whole and not scope.price
    assert scope.shows(quality.pk)
    assert not scope.shows(world.criterion("social_value").pk)
    priced = appoint(world, criteria=[world.price])
    assert bid_scope(priced.user, world.bids[0]).price


def test_a_declared_conflict_is_mitigated_by_the_officer_only(world):
    evaluator = appoint(world, conflicts=(world.bidders[0],))
    declaration = evaluator.declarations.get(has_conflict=True)
    with pytest.raises(PermissionDenied):
        services.mitigation_record(actor=evaluator.user, declaration=declaration, mitigation="x")
    with pytest.raises(ValidationError) as refused:
        services.mitigation_record(actor=world.officer, declaration=declaration, mitigation=" ")
    assert "mitigation" in refused.value.message_dict
    services.mitigation_record(
        actor=world.officer,
        declaration=declaration,
        mitigation="Removed from this bid; a second evaluator marks it.",
    )
    declaration.refresh_from_db()
    assert declaration.mitigated_by == world.officer
    assert AuditEntry.objects.filter(action="evaluation.conflict_mitigated").exists()


# --------------------------------------------------------------------------- marking


def test_marks_off_the_scale_or_without_justification_are_refused_and_nothing_saved(world):
    evaluator = appoint(world)
    quality, social = world.criterion("quality"), world.criterion("social_value")
    with pytest.raises(ValidationError) as refused:
        services.marks_save(
            actor=evaluator.user,
            evaluator=evaluator,
            bid=world.bids[0],
            typed={
                quality.pk: services.Typed(mark="7", justification="Very good."),
                social.pk: services.Typed(mark="2", justification=""),
            },
            submit=True,
        )
    errors = refused.value.message_dict
    assert errors[f"mark_{quality.pk}"] == ["The mark for Service delivery must be from 0 to 5."]
    assert f"justification_{social.pk}" in errors
    assert not Mark.objects.exists()


def test_a_draft_keeps_what_is_valid_and_a_submission_fixes_the_marks(world):
    evaluator = appoint(world)
    quality = world.criterion("quality")
    services.marks_save(
        actor=evaluator.user,
        evaluator=evaluator,
        bid=world.bids[0],
        typed={quality.pk: services.Typed(mark="4", justification="")},
        submit=False,
    )
    draft = Mark.objects.get(criterion=quality)
    assert draft.mark == Decimal("4.00") and draft.submitted_at is None
    mark_all(evaluator, world.bids[0], "4")
    with pytest.raises(ValidationError):
        mark_all(evaluator, world.bids[0], "2")
    assert set(Mark.objects.values_list("mark", flat=True)) == {Decimal("4.00")}


def test_nobody_sees_another_evaluators_marks_before_submitting_their_own(world):
    first, second = appoint(world), appoint(world)
    bid = world.bids[0]
    mark_all(first, bid, "1")
    assert others_marks(evaluator=second, bid=bid) == {}
    mark_all(second, bid, "2", submit=False)
    assert others_marks(evaluator=second, bid=bid) == {}
    mark_all(second, bid, "2")
    seen = others_marks(evaluator=second, bid=bid)
    assert {m.mark for rows in seen.values() for m in rows} == {Decimal("1.00")}


def test_a_conflicted_evaluator_cannot_mark_that_bid(world):
    evaluator = appoint(world, conflicts=(world.bidders[0],))
    with pytest.raises(PermissionDenied):
        mark_all(evaluator, world.bids[0])


# --------------------------------------------------------------------------- moderation


def test_a_wide_spread_is_flagged_and_needs_a_moderation_note(world):
    first, second = appoint(world), appoint(world)
    bid = world.bids[0]
    mark_all(first, bid, "1")
    mark_all(second, bid, "4")
    quality = world.criterion("quality")
    with pytest.raises(ValidationError) as refused:
        _moderate(world, bid, quality, "3")
    assert f"note_{quality.pk}" in refused.value.message_dict
    _moderate(world, bid, quality, "3", note="Discussed the evidence on staffing.")
    row = ModeratedMark.objects.get()
    assert row.flagged and row.spread == Decimal("3.00") and row.spread_limit == Decimal("2")


def test_a_spread_at_the_limit_is_not_flagged(world):
    first, second = appoint(world), appoint(world)
    bid = world.bids[0]
    mark_all(first, bid, "1")
    mark_all(second, bid, "3")
    _moderate(world, bid, world.criterion("quality"), "2")
    assert not ModeratedMark.objects.get().flagged


def test_moderation_waits_for_every_evaluator(world):
    first, _second = appoint(world), appoint(world)
    mark_all(first, world.bids[0], "3")
    quality = world.criterion("quality")
    with pytest.raises(ValidationError) as refused:
        _moderate(world, world.bids[0], quality)
    assert f"mark_{quality.pk}" in refused.value.message_dict


def test_a_change_after_moderation_needs_a_reason_and_is_audited(world):
    evaluator = appoint(world)
    bid = world.bids[0]
    mark_all(evaluator, bid, "3")
    quality = world.criterion("quality")
    _moderate(world, bid, quality, "3")
    with pytest.raises(ValidationError) as refused:
        _moderate(world, bid, quality, "4")
    assert f"reason_{quality.pk}" in refused.value.message_dict
    _moderate(world, bid, quality, "4", reason="The panel re-read the staffing evidence.")
    change = ModerationChange.objects.get()
    assert (change.old_mark, change.new_mark) == (Decimal("3.00"), Decimal("4.00"))
    entry = AuditEntry.objects.get(action="evaluation.moderation_changed")
    assert entry.data["reason"] == "The panel re-read the staffing evidence."
    assert entry.data["old_mark"] == "3.00" and entry.data["new_mark"] == "4.00"


def test_only_moderated_marks_are_read_and_the_state_says_what_is_missing(world):
    state = lot_evaluation_state(world.lot)
    assert not state.complete
    assert any("No evaluators" in reason for reason in state.reasons)
    evaluator = appoint(world)
    for bid in world.bids:
        mark_all(evaluator, bid, "3")
    assert moderated_marks(world.lot) == {}
    state = lot_evaluation_state(world.lot)
    assert state.reasons == ("4 consensus marks still to be moderated.",)
    for bid in world.bids:
        for criterion in world.criteria:
            _moderate(world, bid, criterion, "3")
    assert lot_evaluation_state(world.lot).complete
    marks = moderated_marks(world.lot)
    assert marks == {bid.pk: {c.pk: Decimal("3.00") for c in world.criteria} for bid in world.bids}


def test_a_bid_whose_only_evaluator_is_conflicted_blocks_completion(world):
    appoint(world, conflicts=(world.bidders[0],))
    state = lot_evaluation_state(world.lot)
    assert any("declared a conflict" in reason for reason in state.reasons)
