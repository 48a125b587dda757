"""Services behind the Social Value Act check: permissions, the rules cache, freezing, demo data."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialvalue.act import services as act_services
from socialvalue.act.engine import ActInputs, inputs_from_dict
from socialvalue.act.interface import inputs_as_data
from socialvalue.core.demo import seed_all
from socialvalue.models import ActAssessment, Organisation, PlannedContract, Role
from tests.act.support import PlannedContractFactory, engine_inputs
from tests.factories import AuthorityFactory, BidderOrganisationFactory, person_with_role


@pytest.mark.parametrize(
    "inputs",
    [
        ActInputs(
            authority_type="nhs",
            nation="wales",
            contract_type="mixed",
            value=Decimal("250000.50"),
            services_value=Decimal("200000"),
            start_date=date(2026, 9, 1),
            vat_rate=Decimal("17.5"),
            is_framework=True,
            devolved_functions=False,
            central_government_authority=None,
            urgent=True,
        ),
        ActInputs(
            authority_type="local_authority",
            nation="england",
            contract_type="goods",
            value=Decimal("1"),
            start_date=date(2013, 1, 31),
        ),
    ],
)
def test_stored_inputs_read_back_exactly(inputs):
    assert inputs_from_dict(inputs_as_data(inputs)) == inputs


def test_the_rules_file_is_read_once_per_process(monkeypatch):
    calls = []
    real = act_services._load_schedules

    def counting():
        calls.append(1)
        return real()

    act_services.act_rules.cache_clear()
    monkeypatch.setattr(act_services, "_load_schedules", counting)
    try:
        first = act_services.act_rules()
        assert act_services.act_rules() is first and act_services.act_rules() is first
        assert len(calls) == 1
    finally:
        act_services.act_rules.cache_clear()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.ORG_ADMIN, Role.COMPACT_MEMBER])
def test_only_commissioners_and_procurement_officers_add_planned_contracts(authority, role):
    user = person_with_role(role, authority)
    with pytest.raises(PermissionDenied):
        act_services.planned_contract_create(actor=user, authority=authority, title="Meals")
    assert not PlannedContract.objects.exists()


@pytest.mark.django_db
def test_a_bidder_organisation_cannot_plan_contracts(commissioner):
    with pytest.raises(ValidationError) as raised:
        act_services.planned_contract_create(
            actor=commissioner, authority=BidderOrganisationFactory(), title="Meals"
        )
    assert "authority" in raised.value.message_dict


@pytest.mark.django_db
def test_another_authoritys_commissioner_cannot_record_a_check(authority):
    contract = PlannedContractFactory(authority=authority)
    stranger = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    with pytest.raises(PermissionDenied):
        act_services.act_assessment_record(
            actor=stranger,
            planned_contract=contract,
            inputs=inputs_from_dict(engine_inputs(value="100000")),
        )
    assert not ActAssessment.objects.exists()


@pytest.mark.django_db
def test_choosing_a_priority_from_elsewhere_is_refused(commissioner, authority):
    contract = PlannedContractFactory(authority=authority)
    with pytest.raises(ValidationError) as raised:
        act_services.act_assessment_record(
            actor=commissioner,
            planned_contract=contract,
            inputs=inputs_from_dict(engine_inputs(value="100000")),
            priority_ids=[999999],
        )
    assert "relevant_priorities" in raised.value.message_dict


@pytest.mark.django_db
def test_demo_checks_its_planned_contracts_and_each_demo_tender_once(settings):
    seed_all()
    lines = seed_all()  # twice: nothing doubles
    council = Organisation.objects.get(name="Northfield District Council")
    contracts = PlannedContract.objects.filter(authority=council)
    assert contracts.count() == 6
    answers = {c.title: [a.applies for a in c.assessments.all()] for c in contracts}
    assert answers == {
        "Home care and reablement support": [True],
        "Community centre grounds maintenance": [False],
        # Each demo tender's own planned contract (tenders/demo.py).
        "Community meals and food support service": [True],
        "Youth activities programme for the district": [True],
        # The demo tender under evaluation (tenders/evaluation_demo.py).
        "Community transport for older and disabled residents": [True],
        "Community gardening and food growing programme": [True],
    }
    home_care = ActAssessment.objects.get(planned_contract__title__startswith="Home care")
    assert home_care.result["threshold"] == "207720.00"
    assert home_care.inputs["service_category"] == "light_touch"
    # VAT-exempt home care is not inflated by the standard rate (issue 19).
    assert home_care.inputs["vat_rate"] == "0"
    assert home_care.result["value_compared"] == "300000.00"
    assert not any("Social Value Act check" in line for line in lines)
