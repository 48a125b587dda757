"""Delivery at risk: remedies and performance failures (the UK OCDS extension's fields),
sample checks chosen when a return is sent, and the other lines accepted together. State
rules, bad input refused next to the field, permissions, the audit trail and the pages."""

import re
from datetime import timedelta
from decimal import Decimal

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from measurement.delivery import selectors, services
from measurement.delivery.models import (
    LineStatus,
    PerformanceFailure,
    Remedy,
    RemedyOutcome,
    ReturnLine,
)
from measurement.delivery.services import LineInput
from socialvalue.core.models import AuditEntry
from socialvalue.models import Role
from tenders.ocds.releases import performance_failure
from tenders.ocds.schemas import release_schema
from tests.delivery.factories import contract_world
from tests.factories import person_with_role

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_officer, authority):
    """A contract begun a year ago with no return sent: overdue and behind, so at risk."""
    world = contract_world(procurement_officer, authority)
    services.schedule_create(actor=procurement_officer, contract=world.contract)
    return world


@pytest.fixture
def on_track(procurement_officer, authority):
    """A contract begun today: nothing due yet, so nothing at risk."""
    world = contract_world(procurement_officer, authority, starts_on=timezone.localdate())
    services.schedule_create(actor=procurement_officer, contract=world.contract)
    return world


def _send(world, period_number=1, quantities=("100", "1")):
    period = world.contract.reporting_periods.get(number=period_number)
    commitments = world.contract.commitments.order_by("pk")
    lines = {c.pk: LineInput(quantity=q) for c, q in zip(commitments, quantities, strict=True)}
    return services.return_save(actor=world.reporter, period=period, lines=lines, submit=True)


def _later():
    return timezone.localdate() + timedelta(days=30)


# --------------------------------------------------------------------------- remedies


def test_a_remedy_for_a_commitment_at_risk_is_recorded_then_its_outcome_once(world):
    commitment = world.contract.commitments.order_by("pk").first()
    remedy = services.remedy_record(
        actor=world.officer,
        contract=world.contract,
        commitment=commitment,
        agreed="Two extra volunteering days a month until March.",
        due_on=_later(),
    )
    assert remedy.outcome == RemedyOutcome.OPEN
    entry = AuditEntry.objects.get(action="delivery.remedy_recorded")
    assert entry.data["agreed"] == "Two extra volunteering days a month until March."
    assert entry.data["commitment"] == commitment.pk

    services.remedy_outcome_record(
        actor=world.officer, remedy=remedy, outcome="not_met", note="Only one extra day."
    )
    remedy.refresh_from_db()
    assert remedy.outcome == RemedyOutcome.NOT_MET and remedy.outcome_note == "Only one extra day."
    assert AuditEntry.objects.filter(action="delivery.remedy_outcome").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.remedy_outcome_record(actor=world.officer, remedy=remedy, outcome="met", note="x")
    assert "already recorded" in str(refused.value)


def test_a_remedy_is_refused_where_delivery_is_not_at_risk(on_track):
    with pytest.raises(ValidationError) as refused:
        services.remedy_record(
            actor=on_track.officer, contract=on_track.contract, agreed="More.", due_on=_later()
        )
    assert "not at risk" in refused.value.message_dict["commitment"][0]
    assert not Remedy.objects.exists()


def test_a_remedy_needs_what_was_agreed_and_a_date_not_past(world):
    with pytest.raises(ValidationError) as refused:
        services.remedy_record(
            actor=world.officer,
            contract=world.contract,
            agreed="  ",
            due_on=timezone.localdate() - timedelta(days=1),
        )
    errors = refused.value.message_dict
    assert errors["agreed"] == ["Say what was agreed with the supplier."]
    assert errors["due_on"] == ["The date it is to be done by must be today or later."]


def test_a_commitment_of_another_contract_is_refused(world, procurement_officer, authority):
    other = contract_world(procurement_officer, authority)
    with pytest.raises(ValidationError) as refused:
        services.remedy_record(
            actor=world.officer,
            contract=world.contract,
            commitment=other.contract.commitments.first(),
            agreed="More.",
            due_on=_later(),
        )
    assert "commitment" in refused.value.message_dict


def test_the_supplier_and_an_evaluator_may_not_record_remedies_or_failures(world, authority):
    evaluator = person_with_role(Role.EVALUATOR, authority)
    for person in (world.reporter, evaluator):
        with pytest.raises(PermissionDenied):
            services.remedy_record(
                actor=person, contract=world.contract, agreed="More.", due_on=_later()
            )
        with pytest.raises(PermissionDenied):
            services.performance_failure_record(
                actor=person,
                contract=world.contract,
                requirement="r",
                description="d",
                decision_date=timezone.localdate(),
            )


# --------------------------------------------------------------------------- failures


def test_a_performance_failure_matches_the_uk_ocds_extension(world):
    today = timezone.localdate()
    failure = services.performance_failure_record(
        actor=world.officer,
        contract=world.contract,
        commitment=world.contract.commitments.order_by("pk").first(),
        requirement="400 hours of volunteering a year",
        description="No hours reported for two periods.",
        decision_date=today,
        penalty_date=today,
        penalty_type="contracted",
        penalty_type_entered="Service credit under clause 12",
        penalty_amount=D("1500.50"),
        partial_termination="The volunteering schedule is removed from the contract.",
    )
    # As the implementation release publishes it (tenders.ocds.releases, fed by delivery's source).
    (published,) = selectors.ocds_performance_failures([world.contract.pk])
    data = performance_failure(published, world.contract.supplier)
    schema = release_schema()
    validator = jsonschema.Draft4Validator(
        {"$ref": "#/definitions/PerformanceFailure", "definitions": schema["definitions"]}
    )
    assert not list(validator.iter_errors(data))
    # `id` is the performance failures extension's own field, not in the shared schema.
    assert set(data) - {"id"} <= set(schema["definitions"]["PerformanceFailure"]["properties"])
    assert data["penaltyType"] == "contracted"
    assert data["penaltyValue"] == {"amount": 1500.5, "currency": "GBP"}
    assert data["decisionDate"].endswith("Z")
    assert data["suppliers"][0]["name"] == world.supplier.name
    assert failure.penalty_type_title == "Contracted"
    entry = AuditEntry.objects.get(action="delivery.performance_failure_recorded")
    assert entry.data["penalty_type"] == "contracted"
    assert entry.data["penalty_amount"] == "1500.50"


def test_a_penalty_type_outside_the_closed_codelist_and_a_future_decision_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.performance_failure_record(
            actor=world.officer,
            contract=world.contract,
            requirement="",
            description="d",
            decision_date=timezone.localdate() + timedelta(days=1),
            penalty_type="fined",
            penalty_amount=D("-1"),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"requirement", "decision_date", "penalty_type", "penalty_amount"}
    assert not PerformanceFailure.objects.exists()


def test_a_failure_after_an_unmet_remedy_is_allowed_once_delivery_is_back_on_track(world):
    remedy = services.remedy_record(
        actor=world.officer, contract=world.contract, agreed="Catch up.", due_on=_later()
    )
    services.remedy_outcome_record(
        actor=world.officer, remedy=remedy, outcome="not_met", note="Not caught up."
    )
    # Nothing at risk any more (the figures see no ended period)...
    world.contract.reporting_periods.update(
        ends_on=timezone.localdate() + timedelta(days=400),
        due_on=timezone.localdate() + timedelta(days=430),
    )
    failure = services.performance_failure_record(
        actor=world.officer,
        contract=world.contract,
        requirement="Catch up",
        description="The remedy was not met.",
        decision_date=timezone.localdate(),
    )
    assert failure.supplier == world.supplier


def test_a_failure_is_refused_where_nothing_is_at_risk_and_no_remedy_failed(on_track):
    with pytest.raises(ValidationError) as refused:
        services.performance_failure_record(
            actor=on_track.officer,
            contract=on_track.contract,
            requirement="r",
            description="d",
            decision_date=timezone.localdate(),
        )
    assert "not at risk" in refused.value.message_dict["commitment"][0]


# --------------------------------------------------------------------------- sample checks


def test_sending_a_return_marks_its_sample_reproducibly_and_audits_it(world):
    sent = _send(world)
    chosen = set(sent.lines.filter(sample_check=True).values_list("pk", flat=True))
    # Medium band (£150,000): 25% of two lines, rounded up, is one line.
    assert len(chosen) == 1
    entry = AuditEntry.objects.get(action="delivery.sample_chosen")
    assert entry.data["band"] == "medium" and entry.data["chosen"] == sorted(chosen)
    again = services.sample_choose(actor=world.reporter, delivery_return=sent)
    assert set(again) == chosen


def test_the_other_lines_are_accepted_together_with_a_note_the_sample_is_not(world):
    sent = _send(world)
    sampled = sent.lines.get(sample_check=True)
    with pytest.raises(ValidationError) as refused:
        services.lines_accept_unsampled(actor=world.officer, delivery_return=sent, note=" ")
    assert "note" in refused.value.message_dict
    accepted = services.lines_accept_unsampled(
        actor=world.officer, delivery_return=sent, note="Totals match the payroll summary."
    )
    assert [line.pk for line in accepted] == [
        line.pk for line in sent.lines.filter(sample_check=False)
    ]
    sampled.refresh_from_db()
    assert sampled.status == LineStatus.PENDING
    other = ReturnLine.objects.get(pk=accepted[0].pk)
    assert other.status == LineStatus.ACCEPTED
    assert other.decision_reason == "Totals match the payroll summary."
    entry = AuditEntry.objects.get(action="delivery.lines_accepted_together")
    assert entry.data["note"] == "Totals match the payroll summary."
    with pytest.raises(ValidationError):  # nothing left outside the sample
        services.lines_accept_unsampled(actor=world.officer, delivery_return=sent, note="Again.")
    with pytest.raises(PermissionDenied):
        services.lines_accept_unsampled(actor=world.reporter, delivery_return=sent, note="Me.")


# --------------------------------------------------------------------------- pages


def test_the_officer_records_a_remedy_on_the_page_and_the_supplier_reads_it(world, client):
    contract = world.contract
    client.force_login(world.officer)
    page = client.get(reverse("delivery-contract", args=[contract.pk])).content.decode()
    assert 'id="remedy-add"' in page and 'id="failure-add"' in page
    url = reverse("delivery-remedy-add", args=[contract.pk])
    response = client.post(url, {"commitment": "", "agreed": "", "due_on_0": "31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say what was agreed with the supplier." in page
    assert "The date it is to be done by must include a month and year." in page
    later = _later()
    response = client.post(
        url,
        {
            "commitment": "",
            "agreed": "A catch-up plan by the end of the quarter.",
            "due_on_0": later.day,
            "due_on_1": later.month,
            "due_on_2": later.year,
        },
    )
    assert response.status_code == 302
    remedy = Remedy.objects.get()
    response = client.post(
        reverse("delivery-remedy-outcome", args=[remedy.pk]), {"outcome_note": "Done."}
    )
    assert "Choose whether the remedy was met or not." in response.content.decode()
    client.post(
        reverse("delivery-remedy-outcome", args=[remedy.pk]),
        {"outcome": "met", "outcome_note": "Caught up in full."},
    )

    client.force_login(world.reporter)
    page = client.get(reverse("delivery-contract", args=[contract.pk])).content.decode()
    row = re.search(rf'id="remedy-{remedy.pk}".*?</tr>', page, re.S).group(0)
    assert "A catch-up plan by the end of the quarter." in row and "Caught up in full." in row
    assert 'id="remedy-add"' not in page and 'id="failure-add"' not in page
    assert client.get(url).status_code == 403


def test_the_failure_form_keeps_what_was_typed_and_shows_errors_by_the_field(world, client):
    client.force_login(world.officer)
    url = reverse("delivery-failure-add", args=[world.contract.pk])
    page = client.get(url).content.decode()
    for code in ("contracted", "imposed", "negotiated"):
        assert f'value="{code}"' in page
    response = client.post(
        url,
        {
            "requirement": "Weekly sessions",
            "description": "",
            "penalty_amount": "lots",
            "penalty_type": "fined",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Describe the performance failure." in page
    assert "Enter the date of the decision." in page
    assert "Weekly sessions" in page
    assert not PerformanceFailure.objects.exists()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "requirement": "Weekly sessions",
            "description": "Sessions stopped in June.",
            "decision_date_0": today.day,
            "decision_date_1": today.month,
            "decision_date_2": today.year,
            "penalty_type": "negotiated",
            "penalty_amount": "£2,000",
        },
    )
    assert response.status_code == 302
    failure = PerformanceFailure.objects.get()
    assert failure.penalty_amount == D("2000") and failure.penalty_type == "negotiated"
    client.force_login(world.reporter)
    page = client.get(reverse("delivery-contract", args=[world.contract.pk])).content.decode()
    card = re.search(rf'id="failure-{failure.pk}".*?</dl>', page, re.S).group(0)
    assert "Sessions stopped in June." in card and "Negotiated" in card and "£2,000" in card


def test_the_return_page_marks_the_sample_and_the_others_are_accepted_on_a_page(world, client):
    sent = _send(world)
    sampled = sent.lines.get(sample_check=True)
    client.force_login(world.reporter)
    page = client.get(reverse("delivery-return", args=[sent.period_id])).content.decode()
    assert page.count("Sample check: verify against the evidence") == 1
    assert 'id="accept-unsampled"' not in page
    client.force_login(world.officer)
    page = client.get(reverse("delivery-return", args=[sent.period_id])).content.decode()
    card = re.search(rf'id="line-{sampled.pk}".*?</h2>.*?</strong>', page, re.S).group(0)
    assert "Sample check" in card
    url = reverse("delivery-accept-unsampled", args=[sent.pk])
    assert 'id="accept-unsampled"' in page
    response = client.post(url, {"note": ""})
    assert "Say what you checked before accepting these lines." in response.content.decode()
    response = client.post(url, {"note": "Payroll totals agree."})
    assert response.status_code == 302
    assert sent.lines.filter(status=LineStatus.ACCEPTED).count() == 1


def test_the_tenders_contract_page_links_to_its_delivery_page(world, client, authority):
    link = reverse("delivery-contract", args=[world.contract.pk])
    for person in (world.officer, world.reporter):
        client.force_login(person)
        page = client.get(reverse("contract-detail", args=[world.contract.pk])).content.decode()
        assert f'href="{link}"' in page


def test_the_contract_page_holds_its_queries_as_remedies_and_failures_grow(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.officer)
    url = reverse("delivery-contract", args=[world.contract.pk])
    client.get(url)  # warm caches of the data files
    commitment = world.contract.commitments.order_by("pk").first()

    def record(count):
        for number in range(count):
            services.remedy_record(
                actor=world.officer,
                contract=world.contract,
                commitment=commitment,
                agreed=f"Remedy {number}",
                due_on=_later(),
            )
            services.performance_failure_record(
                actor=world.officer,
                contract=world.contract,
                commitment=commitment,
                requirement="r",
                description=f"Failure {number}",
                decision_date=timezone.localdate(),
            )

    record(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record(5)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('class="govuk-summary-card"') == 6


def test_pages_changed_here_hold_their_query_budgets(world, client, django_assert_max_num_queries):
    """The tenders contract page with its new link, the sent return with its sample mark, the
    accept-together page and the two forms: fixed budgets (measured 6, 10, 7, 6 and 6 queries,
    one of room each)."""
    sent = _send(world)
    client.force_login(world.officer)
    pages = {
        reverse("contract-detail", args=[world.contract.pk]): 7,
        reverse("delivery-return", args=[sent.period_id]): 11,
        reverse("delivery-accept-unsampled", args=[sent.pk]): 8,
        reverse("delivery-remedy-add", args=[world.contract.pk]): 7,
        reverse("delivery-failure-add", args=[world.contract.pk]): 7,
    }
    for url in pages:
        client.get(url)  # warm the data files' caches
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
