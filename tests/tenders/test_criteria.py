"""The award criteria builder: weights adding up at every level, problems shown by row, social
value questions tied to the adopted definition's priorities, and the policy minimum."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measurement.models import Measure
from socialvalue.models import DefinitionStatus, LocalDefinition, Priority, PriorityMeasure
from tenders import criteria, services
from tenders.models import Criterion, CriterionKind
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(procurement_officer, authority):
    return build_tender(procurement_officer, authority, publish=False)


def _groups(tender):
    lot = tender.lots.get()
    return lot, {row.kind: row for row in Criterion.objects.filter(lot=lot, parent=None)}


def test_weights_that_do_not_add_up_are_refused_and_nothing_is_saved(draft, procurement_officer):
    lot, groups = _groups(draft)
    with pytest.raises(ValidationError) as refused:
        services.weights_update(
            actor=procurement_officer,
            lot=lot,
            weights={
                groups["price"].pk: Decimal("50"),
                groups["quality"].pk: Decimal("50"),
                groups["social_value"].pk: Decimal("10"),
            },
        )
    errors = refused.value.message_dict
    first = min(groups.values(), key=lambda row: (row.order, row.pk))
    assert "add up to 110%, not 100%" in errors[f"weight_{first.pk}"][0]
    assert "Price 50%" in errors[f"weight_{first.pk}"][0]
    assert Criterion.objects.get(pk=groups["price"].pk).weight == Decimal("40")


def test_the_weights_page_shows_each_level_error_by_its_field_and_keeps_what_was_typed(
    client_for, draft, procurement_officer
):
    lot, groups = _groups(draft)
    data = {f"weight_{row.pk}": "30" for row in Criterion.objects.filter(lot=lot)}
    page = client_for(procurement_officer).post(reverse("tender-weights", args=[lot.pk]), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "The top-level groups add up to 90%, not 100%" in body
    assert "The criteria under this add up to 30%, not 100% (Service delivery 30%)" in body
    assert 'value="30"' in body and "E+" not in body
    assert Criterion.objects.get(pk=groups["price"].pk).weight == Decimal("40")


def test_valid_weights_are_saved(draft, procurement_officer):
    lot, groups = _groups(draft)
    services.weights_update(
        actor=procurement_officer,
        lot=lot,
        weights={
            groups["price"].pk: Decimal("30"),
            groups["quality"].pk: Decimal("50"),
            groups["social_value"].pk: Decimal("20"),
        },
    )
    assert Criterion.objects.get(pk=groups["social_value"].pk).weight == Decimal("20")


def test_the_builder_reports_each_problem_on_its_row(draft, procurement_officer):
    lot, groups = _groups(draft)
    services.criterion_add(
        actor=procurement_officer,
        lot=lot,
        parent=groups["quality"],
        name="Second question",
        weight=Decimal("30"),
    )
    report = criteria.report(list(lot.criteria.all()))
    quality_row = next(r for r in report.rows if r.criterion.pk == groups["quality"].pk)
    assert any("add up to 130%" in message for message in quality_row.problems)
    assert not report.is_valid


def test_the_criteria_page_lists_problems_linked_to_rows(client_for, draft, procurement_officer):
    lot, groups = _groups(draft)
    services.criterion_add(
        actor=procurement_officer,
        lot=lot,
        parent=groups["quality"],
        name="Extra",
        weight=Decimal("5"),
    )
    page = client_for(procurement_officer).get(reverse("tender-criteria", args=[lot.pk]))
    body = page.content.decode()
    assert f'href="#criterion-{groups["quality"].pk}"' in body
    assert "add up to 105%" in body


def test_price_has_no_sub_criteria(draft, procurement_officer):
    lot, groups = _groups(draft)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(
            actor=procurement_officer,
            lot=lot,
            parent=groups["price"],
            name="x",
            weight=Decimal("100"),
        )
    assert "parent" in refused.value.message_dict


def test_a_question_gaining_sub_criteria_becomes_an_unmarked_group(draft, procurement_officer):
    lot, _ = _groups(draft)
    question = Criterion.objects.get(lot=lot, name="Service delivery")
    assert question.max_mark is not None
    services.criterion_add(
        actor=procurement_officer, lot=lot, parent=question, name="Detail", weight=Decimal("100")
    )
    question.refresh_from_db()
    assert question.max_mark is None and question.descriptors == []


def _adopted_definition(authority):
    measure = Measure.objects.create(
        code="TST-09", theme="economic", outcome="Jobs", name="Local jobs", unit="job"
    )
    other = Measure.objects.create(
        code="TST-10", theme="social", outcome="Other", name="Other thing", unit="thing"
    )
    definition = LocalDefinition.objects.create(
        owner=authority, title="Our definition", statement="Jobs.", status=DefinitionStatus.ADOPTED
    )
    definition.authorities.add(authority)
    priority = Priority.objects.create(
        definition=definition, theme="economic", outcome="More local jobs"
    )
    PriorityMeasure.objects.create(priority=priority, measure=measure)
    return priority, measure, other


def test_a_social_value_question_ties_to_a_priority_and_its_measures(
    draft, procurement_officer, authority
):
    priority, measure, other = _adopted_definition(authority)
    lot, groups = _groups(draft)
    row = services.criterion_add(
        actor=procurement_officer,
        lot=lot,
        parent=groups["social_value"],
        name="Jobs",
        weight=Decimal("50"),
        priority=priority,
        measures=[measure],
    )
    assert row.priority == priority and list(row.measures.all()) == [measure]
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(
            actor=procurement_officer,
            lot=lot,
            parent=groups["social_value"],
            name="Stray",
            weight=Decimal("50"),
            priority=priority,
            measures=[other],
        )
    assert "TST-10" in refused.value.message_dict["measures"][0]


def test_a_priority_of_another_authority_is_refused(draft, procurement_officer):
    from tests.factories import AuthorityFactory

    priority, _, _ = _adopted_definition(AuthorityFactory())
    lot, groups = _groups(draft)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(
            actor=procurement_officer,
            lot=lot,
            parent=groups["social_value"],
            name="Elsewhere",
            weight=Decimal("100"),
            priority=priority,
        )
    assert "adopted local definition" in refused.value.message_dict["priority"][0]


def test_a_quality_question_cannot_carry_a_priority(draft, procurement_officer, authority):
    priority, _, _ = _adopted_definition(authority)
    lot, groups = _groups(draft)
    with pytest.raises(ValidationError):
        services.criterion_add(
            actor=procurement_officer,
            lot=lot,
            parent=groups[CriterionKind.QUALITY],
            name="Q",
            weight=Decimal("100"),
            priority=priority,
        )


def test_the_criteria_page_warns_below_the_minimum_and_advises_proportionately(
    client_for, procurement_officer, authority
):
    tender = build_tender(
        procurement_officer, authority, publish=False, social_value_weight=Decimal("5")
    )
    page = (
        client_for(procurement_officer)
        .get(reverse("tender-criteria", args=[tender.lots.get().pk]))
        .content.decode()
    )
    assert "below the minimum of 10%" in page
    assert 'id="proportionality-advice"' in page and "£250,000" in page


def test_descriptors_are_read_line_by_line_with_errors_naming_the_line():
    assert criteria.descriptors_from_text("0: None\n5: All") == [
        {"mark": "0", "text": "None"},
        {"mark": "5", "text": "All"},
    ]
    with pytest.raises(ValueError, match="Line 2"):
        criteria.descriptors_from_text("0: None\nfive")
