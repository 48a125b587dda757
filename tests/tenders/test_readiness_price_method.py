"""Publishing checks the price method against each lot's criteria: price per quality point
divides by the quality score, so a priced lot without a quality criterion cannot be published."""

from tenders import readiness
from tenders.models import Criterion, CriterionKind

from .factories import build_tender


def test_price_per_quality_point_needs_a_quality_criterion_in_a_priced_lot(
    procurement_officer, authority
):
    tender = build_tender(procurement_officer, authority, publish=False)
    tender.price_method = "price_per_quality_point"
    tender.save(update_fields=["price_method"])
    assert "price_method" not in readiness.check(tender=tender).problems

    lot = tender.lots.get()
    Criterion.objects.filter(lot=lot, kind=CriterionKind.QUALITY).update(
        kind=CriterionKind.SOCIAL_VALUE
    )
    problems = readiness.check(tender=tender).problems["price_method"]
    assert any("needs at least one quality criterion" in p for p in problems)


def test_other_methods_do_not_need_one(procurement_officer, authority):
    tender = build_tender(procurement_officer, authority, publish=False)
    lot = tender.lots.get()
    Criterion.objects.filter(lot=lot, kind=CriterionKind.QUALITY).update(
        kind=CriterionKind.SOCIAL_VALUE
    )
    assert "price_method" not in readiness.check(tender=tender).problems
