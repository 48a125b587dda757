"""The Social Value Act pages: who may use them, the conditional questions, the answer, the record."""

import re
from dataclasses import replace
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialvalue.act import services as act_services
from socialvalue.act.engine import inputs_from_dict
from socialvalue.models import (
    ActAssessment,
    AuditEntry,
    DefinitionStatus,
    LocalDefinition,
    Priority,
    Role,
)
from tests.act.support import PlannedContractFactory, check_form, engine_inputs
from tests.factories import AuthorityFactory, MembershipFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(authority):
    return PlannedContractFactory(authority=authority, title="Home care and reablement")


def record_check(contract, user, **inputs):
    return act_services.act_assessment_record(
        actor=user,
        planned_contract=contract,
        inputs=inputs_from_dict(engine_inputs(**inputs)),
        wellbeing_improvement="Local jobs in care.",
        procurement_approach="Social value weighted at 15%.",
        will_consult=False,
        consultation_reason="Consulted last year on the same service.",
    )


def page(response) -> str:
    return response.content.decode()


def error_for(html: str, field: str) -> str:
    """The error message shown next to a field (GOV.UK error message markup), or ''."""
    found = re.search(
        rf'id="id_{field}_\d+_error"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]+)', html
    )
    return " ".join(unescape(found.group(1)).split()) if found else ""


def inside(html: str, element_id: str) -> str:
    """The markup inside the element with this id (balanced on its tag name)."""
    start = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', html)
    if not start:
        return ""
    tag, depth, position = start.group(1), 1, start.end()
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[position:]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[position : position + found.start()]
    return html[position:]


# --- access -------------------------------------------------------------------------------


def routes(contract, record):
    return [
        ("get", reverse("act-list"), {}),
        ("get", reverse("act-contract-add"), {}),
        ("get", reverse("act-contract", args=[contract.pk]), {}),
        ("get", reverse("act-check", args=[contract.pk]), {}),
        ("post", reverse("act-check", args=[contract.pk]), check_form()),
        ("post", reverse("act-record", args=[contract.pk]), {"check_token": "x"}),
        ("get", reverse("act-assessment", args=[record.pk]), {}),
    ]


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PROCUREMENT_OFFICER])
def test_commissioner_and_procurement_officer_of_the_authority_can_use_every_page(
    client_for, authority, contract, commissioner, role
):
    record = record_check(contract, commissioner)
    client = client_for(person_with_role(role, authority))
    for method, url, data in routes(contract, record):
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)


@pytest.mark.parametrize(
    "who", ["other_commissioner", "bidder", "evaluator", "org_admin", "compact_member"]
)
def test_others_are_refused_every_contract_page(client_for, contract, commissioner, who):
    record = record_check(contract, commissioner)
    user = {
        "other_commissioner": lambda: person_with_role(Role.COMMISSIONER, AuthorityFactory()),
        "bidder": lambda: person_with_role(Role.BIDDER),
        "evaluator": lambda: person_with_role(Role.EVALUATOR, contract.authority),
        "org_admin": lambda: person_with_role(Role.ORG_ADMIN, contract.authority),
        "compact_member": lambda: person_with_role(Role.COMPACT_MEMBER),
    }[who]()
    client = client_for(user)
    role_pages = (reverse("act-list"), reverse("act-contract-add"))
    for method, url, data in routes(contract, record):
        if who == "other_commissioner" and url in role_pages:
            continue  # they use the Act check for their own authority
        # A page with no object is refused (403); another authority's contract is not found (404),
        # so the refusal confirms nothing about it.
        expected = 403 if url in role_pages else 404
        assert getattr(client, method)(url, data).status_code == expected, url
    assert ActAssessment.objects.count() == 1


def test_another_authoritys_commissioner_does_not_see_the_contract_in_their_list(
    client_for, contract
):
    stranger = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    response = client_for(stranger).get(reverse("act-list"))
    assert response.status_code == 200
    assert contract.title not in page(response)


def test_signed_out_visitors_are_sent_to_sign_in(client, contract, commissioner):
    record = record_check(contract, commissioner)
    for method, url, data in routes(contract, record):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/account/sign-in/" in response.url, url


def test_commissioners_see_the_act_link_and_bidders_do_not(client_for, commissioner, bidder):
    assert 'href="/act/"' in page(client_for(commissioner).get(reverse("dashboard")))
    assert 'href="/act/"' not in page(client_for(bidder).get(reverse("dashboard")))


# --- planned contracts --------------------------------------------------------------------


def test_adding_a_planned_contract_leads_to_its_check(client_for, commissioner, authority):
    response = client_for(commissioner).post(
        reverse("act-contract-add"), {"authority": authority.pk, "title": "Meals at home"}
    )
    contract = authority.planned_contracts.get()
    assert response.url == reverse("act-check", args=[contract.pk])
    assert AuditEntry.objects.filter(action="planned_contract.created").exists()


def test_a_contract_without_a_title_is_refused_with_the_message_by_the_field(
    client_for, commissioner, authority
):
    response = client_for(commissioner).post(
        reverse("act-contract-add"),
        {"authority": authority.pk, "title": "", "description": "Kept text"},
    )
    assert "Enter a title for the contract." in error_for(page(response), "title")
    assert "Kept text" in page(response)
    assert not authority.planned_contracts.exists()


def test_a_person_in_two_authorities_chooses_and_cannot_pick_a_third(client_for, commissioner):
    second = AuthorityFactory(name="Second Council")
    MembershipFactory(user=commissioner, organisation=second, role=Role.PROCUREMENT_OFFICER)
    client = client_for(commissioner)
    assert "Second Council" in page(client.get(reverse("act-contract-add")))
    elsewhere = AuthorityFactory()
    client.post(reverse("act-contract-add"), {"authority": elsewhere.pk, "title": "Sneaky"})
    assert not elsewhere.planned_contracts.exists()


# --- the check form: conditional questions ------------------------------------------------


def test_check_form_is_prefilled_from_the_authority(client_for):
    welsh_fire = AuthorityFactory(authority_type="fire", nation="wales")
    user = person_with_role(Role.COMMISSIONER, welsh_fire)
    contract = PlannedContractFactory(authority=welsh_fire)
    html = page(client_for(user).get(reverse("act-check", args=[contract.pk])))
    assert re.search(r'value="fire"\s+checked', html)
    assert re.search(r'value="wales"\s+checked', html)


def test_conditional_questions_sit_inside_the_reveal_of_the_choice_that_needs_them(
    client_for, commissioner, contract
):
    html = page(client_for(commissioner).get(reverse("act-check", args=[contract.pk])))

    def reveal(field, position):
        return inside(html, f"conditional_{field}_{position}")

    # contract_type choices: services(0), goods(1), works(2), mixed(3)
    mixed = reveal("contract_type", 3)
    assert 'name="services_value"' in mixed
    assert 'name="route_mixed"' in mixed and 'name="service_category_mixed"' in mixed
    services = reveal("contract_type", 0)
    assert 'name="route_services"' in services and 'name="services_value"' not in services
    assert 'aria-controls="conditional_contract_type_3"' in html
    # nation: england(0), wales(1)
    assert 'name="devolved_functions"' in reveal("nation", 1)
    assert html.count('name="devolved_functions"') == 3  # yes, no, not sure - all in the reveal
    # the central government question only for bodies the rules cannot place (NHS, other)
    assert 'name="central_nhs"' in reveal("authority_type", 2)
    assert 'name="central_other_public"' in html
    for placed in ("local_authority", "fire", "police", "central_government"):
        assert f'name="central_{placed}"' not in html
    assert 'data-module="govuk-radios"' in html


REQUIRED_WHEN = [
    pytest.param(
        {"contract_type": "mixed", "services_value": ""},
        "services_value",
        "Enter how much of the value is for services.",
        id="mixed-needs-services-share",
    ),
    pytest.param(
        {"service_category_services": None},
        "service_category_services",
        "Choose the kind of services.",
        id="services-need-kind",
    ),
    pytest.param(
        {"route_services": None},
        "route_services",
        "Choose how it will be bought.",
        id="services-need-route",
    ),
    pytest.param(
        {"contract_type": "mixed", "services_value": "100000"},
        "route_mixed",
        "Choose how it will be bought.",
        id="mixed-needs-its-own-route",
    ),
    pytest.param(
        {"nation": "wales"},
        "devolved_functions",
        "Say whether the body's functions are wholly or mainly Welsh devolved functions, or "
        "choose Not sure.",
        id="wales-needs-devolved",
    ),
    pytest.param(
        {"authority_type": "nhs"},
        "central_nhs",
        "Say whether the body is a central government authority, or choose Not sure.",
        id="nhs-needs-central",
    ),
    pytest.param(
        {
            "contract_type": "mixed",
            "services_value": "400000",
            "service_category_mixed": "standard",
            "route_mixed": "contract",
        },
        "services_value",
        "The services part cannot be more than the whole value.",
        id="services-share-above-value",
    ),
    pytest.param({"value": "lots"}, "value", "Enter a value as a number of pounds", id="value"),
    pytest.param({"value": "-5"}, "value", "A value cannot be negative.", id="negative"),
    pytest.param({"value": "10.555"}, "value", "no more than 2 decimal places", id="pence"),
    pytest.param({"vat_rate": "x"}, "vat_rate", "Enter a VAT rate as a number", id="vat-rate"),
    pytest.param(
        {"vat_rate": "120"}, "vat_rate", "Enter a VAT rate of 100% or less.", id="vat-rate-range"
    ),
    pytest.param(
        {"start_date_0": "31", "start_date_1": "2"},
        "start_date",
        "The date the procurement starts must be a real date.",
        id="impossible-date",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), REQUIRED_WHEN)
def test_a_question_is_required_only_when_its_choice_is_made(
    client_for, commissioner, contract, changes, field, message
):
    response = client_for(commissioner).post(
        reverse("act-check", args=[contract.pk]), check_form(**changes)
    )
    html = page(response)
    assert response.status_code == 200
    assert message in error_for(html, field), error_for(html, field) or html[:3000]
    assert 'class="govuk-error-summary' in html
    assert "Record your consideration" not in html
    # what was typed is kept
    typed = changes.get("value", "300000")
    assert f'value="{typed}"' in html


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("", "", "", "Enter the date the procurement will start.", "012"),
        ("1", "", "2026", "The date the procurement starts must include a month.", "1"),
        ("", "", "2026", "The date the procurement starts must include a day and month.", "012"),
        ("1", "13", "2026", "The date the procurement starts must be a real date.", "1"),
        ("31", "6", "2026", "The date the procurement starts must be a real date.", "012"),
        ("1", "9", "26", "Year must include 4 numbers.", "2"),
    ],
)
def test_a_bad_start_date_says_what_is_wrong_and_marks_only_the_boxes_at_fault(
    client_for, commissioner, contract, day, month, year, message, marked
):
    typed = {"start_date_0": day, "start_date_1": month, "start_date_2": year}
    response = client_for(commissioner).post(
        reverse("act-check", args=[contract.pk]), check_form(**typed)
    )
    html = page(response)
    # In the error summary and next to the field; the old message never said the year was short.
    assert html.count(message) == 2, error_for(html, "start_date")
    assert "Enter a real date" not in html
    for index, text in enumerate((day, month, year)):
        box = re.search(rf'<input[^>]*id="id_start_date_{index}"[^>]*>', html).group(0)
        assert f'value="{text}"' in box if text else "value=" not in box
        assert ("govuk-input--error" in box) == (str(index) in marked), box
    assert "Record your consideration" not in html


NOT_ASKED = [
    pytest.param(
        {"contract_type": "goods", "service_category_services": None, "route_services": None},
        id="goods-need-no-services-questions",
    ),
    pytest.param(
        {"contract_type": "works", "services_value": "not a number", "route_mixed": "framework"},
        id="hidden-answers-of-other-choices-are-ignored",
    ),
    pytest.param({"nation": "england", "devolved_functions": "yes"}, id="england-ignores-devolved"),
    pytest.param({"central_nhs": "yes"}, id="council-ignores-nhs-question"),
]


@pytest.mark.parametrize("changes", NOT_ASKED)
def test_questions_for_other_choices_are_neither_required_nor_read(
    client_for, commissioner, contract, changes
):
    response = client_for(commissioner).post(
        reverse("act-check", args=[contract.pk]), check_form(**changes)
    )
    assert "Record your consideration" in page(response), page(response)[:2000]


# --- the answer -------------------------------------------------------------------------


def test_the_answer_shows_reasons_threshold_value_and_source_and_saves_nothing(
    client_for, commissioner, contract
):
    response = client_for(commissioner).post(reverse("act-check", args=[contract.pk]), check_form())
    html = page(response)
    assert "The Social Value Act applies" in html
    reasons = re.search(
        r'<ol class="govuk-list govuk-list--number" id="reasons">(.*?)</ol>', html, re.S
    )
    assert reasons and reasons.group(1).count("<li>") >= 4
    assert "£207,720.00 including VAT" in html
    assert "£360,000.00 including VAT" in html
    assert 'href="https://www.legislation.gov.uk/uksi/2025/1200/made"' in html
    assert "Procurement Act 2023" in html
    assert not ActAssessment.objects.exists()


def test_an_answer_that_depends_says_what_is_missing(client_for, commissioner):
    nhs = AuthorityFactory(authority_type="nhs")
    user = person_with_role(Role.COMMISSIONER, nhs)
    contract = PlannedContractFactory(authority=nhs)
    response = client_for(user).post(
        reverse("act-check", args=[contract.pk]),
        check_form(
            authority_type="nhs",
            central_nhs="unknown",
            service_category_services="standard",
            value="150000",
            vat_basis="inclusive",
        ),
    )
    html = page(response)
    assert "It depends" in html
    missing = re.search(r'id="missing">(.*?)</ul>', html, re.S).group(1)
    assert "Whether the body is a central government authority" in missing


def test_a_welsh_council_is_told_the_act_does_not_apply(client_for):
    council = AuthorityFactory(nation="wales")
    user = person_with_role(Role.COMMISSIONER, council)
    contract = PlannedContractFactory(authority=council)
    response = client_for(user).post(
        reverse("act-check", args=[contract.pk]),
        check_form(nation="wales", devolved_functions="unknown"),
    )
    html = page(response)
    assert "The Social Value Act does not apply" in html
    assert "Welsh devolved functions" in html


def test_changing_answers_brings_back_the_form_as_answered(client_for, commissioner, contract):
    client = client_for(commissioner)
    result = page(client.post(reverse("act-check", args=[contract.pk]), check_form(value="250000")))
    token = re.search(r'name="check_token" value="([^"]+)"', result).group(1)
    html = page(
        client.post(reverse("act-check", args=[contract.pk]), {"check_token": token, "change": "1"})
    )
    assert "Does the Social Value Act apply?" in html
    assert 'value="250000"' in html
    assert re.search(r'value="light_touch"\s+checked', html)


# --- recording the consideration -------------------------------------------------------


def token_for(client, contract, **changes) -> str:
    html = page(client.post(reverse("act-check", args=[contract.pk]), check_form(**changes)))
    return re.search(r'name="check_token" value="([^"]+)"', html).group(1)


CONSIDERATION = {
    "wellbeing_improvement": "Local recruitment of care workers.",
    "procurement_approach": "Two lots; social value weighted at 15%.",
    "will_consult": "yes",
    "consultation_plan": "People who use the service, for 12 weeks.",
}


def test_recording_freezes_inputs_answer_and_consideration_and_audits_it(
    client_for, commissioner, contract
):
    client = client_for(commissioner)
    response = client.post(
        reverse("act-record", args=[contract.pk]),
        {"check_token": token_for(client, contract), **CONSIDERATION},
    )
    saved = ActAssessment.objects.get()
    assert response.url == reverse("act-assessment", args=[saved.pk])
    assert saved.applies is True and saved.schedule_id == "england-2026-01"
    assert saved.inputs["value"] == "300000" and saved.inputs["service_category"] == "light_touch"
    assert saved.result["threshold"] == "207720.00"
    assert saved.result["source"]["url"].endswith("/uksi/2025/1200/made")
    assert saved.will_consult is True
    assert saved.consultation_reason == "People who use the service, for 12 weeks."
    entry = AuditEntry.objects.get(action="act_assessment.recorded")
    assert entry.data["schedule_id"] == "england-2026-01" and entry.data["applies"] is True
    html = page(client.get(response.url))
    assert "Local recruitment of care workers." in html and "£207,720.00" in html


def test_when_the_act_applies_the_consideration_is_required_and_typed_text_is_kept(
    client_for, commissioner, contract
):
    client = client_for(commissioner)
    response = client.post(
        reverse("act-record", args=[contract.pk]),
        {
            "check_token": token_for(client, contract),
            "procurement_approach": "Typed approach text",
            "will_consult": "yes",
        },
    )
    html = page(response)
    assert "the Act requires you to consider it" in error_for(html, "wellbeing_improvement")
    assert "Say whom you will consult and how." in error_for(html, "consultation_plan")
    assert "Typed approach text" in html
    assert "The Social Value Act applies" in html
    assert not ActAssessment.objects.exists()


def test_below_threshold_the_consideration_is_optional(client_for, commissioner, contract):
    client = client_for(commissioner)
    token = token_for(client, contract, value="100000")
    html = page(client.post(reverse("act-check", args=[contract.pk]), check_form(value="100000")))
    assert "(optional)" in html
    response = client.post(reverse("act-record", args=[contract.pk]), {"check_token": token})
    assert response.status_code == 302, page(response)[-6000:]
    assert ActAssessment.objects.get().applies is False


def test_an_urgent_case_asks_why_instead_of_the_consideration(client_for, commissioner, contract):
    client = client_for(commissioner)
    token = token_for(client, contract, urgent="yes")
    response = client.post(reverse("act-record", args=[contract.pk]), {"check_token": token})
    assert "Say why the case is so urgent" in error_for(page(response), "urgency_reason")
    client.post(
        reverse("act-record", args=[contract.pk]),
        {"check_token": token, "urgency_reason": "Provider failed overnight."},
    )
    saved = ActAssessment.objects.get()
    assert saved.inputs["urgent"] is True and saved.urgency_reason == "Provider failed overnight."


def test_a_changed_or_forged_check_is_refused_and_nothing_saved(client_for, commissioner, contract):
    response = client_for(commissioner).post(
        reverse("act-record", args=[contract.pk]), {"check_token": "forged", **CONSIDERATION}
    )
    assert response.url == reverse("act-check", args=[contract.pk])
    assert not ActAssessment.objects.exists()


def test_local_priorities_are_offered_and_frozen_as_chosen(
    client_for, commissioner, contract, authority
):
    definition = LocalDefinition.objects.create(
        owner=authority,
        title="Northfield social value",
        statement="What matters here.",
        status=DefinitionStatus.ADOPTED,
    )
    definition.authorities.add(authority)
    jobs = Priority.objects.create(definition=definition, theme="economic", outcome="Local jobs")
    Priority.objects.create(definition=definition, theme="environmental", outcome="Cleaner air")
    client = client_for(commissioner)
    result = page(client.post(reverse("act-check", args=[contract.pk]), check_form()))
    assert "Local jobs" in result and "Cleaner air" in result
    client.post(
        reverse("act-record", args=[contract.pk]),
        {
            "check_token": token_for(client, contract),
            **CONSIDERATION,
            "relevant_priorities": [jobs.pk],
        },
    )
    saved = ActAssessment.objects.get()
    assert saved.relevant_priorities == [{"id": jobs.pk, "title": "Local jobs"}]
    jobs.outcome = "Renamed later"
    jobs.save()
    assert "Local jobs" in page(client.get(reverse("act-assessment", args=[saved.pk])))


def test_without_an_adopted_definition_no_priorities_question_is_shown(
    client_for, commissioner, contract
):
    html = page(
        client_for(commissioner).post(reverse("act-check", args=[contract.pk]), check_form())
    )
    assert 'name="relevant_priorities"' not in html


# --- the frozen record --------------------------------------------------------------------


def test_a_record_keeps_its_answer_after_the_thresholds_change(
    client_for, commissioner, contract, monkeypatch
):
    saved = record_check(contract, commissioner)
    shipped = act_services.act_rules()
    raised = replace(
        shipped,
        schedules=tuple(
            replace(s, values=replace(s.values, sub_central_supplies_services=Decimal("400000")))
            if s.id == "england-2026-01"
            else s
            for s in shipped.schedules
        ),
    )
    monkeypatch.setattr(act_services, "act_rules", lambda: raised)
    client = client_for(commissioner)

    fresh = page(client.post(reverse("act-check", args=[contract.pk]), check_form()))
    assert "The Social Value Act does not apply" in fresh and "£400,000.00" in fresh

    html = page(client.get(reverse("act-assessment", args=[saved.pk])))
    assert "The Social Value Act applies" in html
    assert "£207,720.00 including VAT" in html and "£400,000.00" not in html
    assert ActAssessment.objects.get(pk=saved.pk).result["threshold"] == "207720.00"


def test_a_recorded_check_cannot_be_edited(commissioner, contract):
    from django.core.exceptions import ValidationError

    saved = record_check(contract, commissioner)
    saved.wellbeing_improvement = "Rewritten"
    with pytest.raises(ValidationError):
        saved.save()


# --- list page, contract page and dashboard ------------------------------------------------


def make_contracts(authority, user, count):
    for _ in range(count):
        contract = PlannedContractFactory(authority=authority)
        record_check(contract, user)
        record_check(contract, user, value="100000")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_page_queries_do_not_grow_with_contracts(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    client = client_for(commissioner)
    make_contracts(authority, commissioner, 2)
    few = count_queries(client, reverse("act-list"))
    make_contracts(authority, commissioner, 12)
    with django_assert_max_num_queries(few):
        html = page(client.get(reverse("act-list")))
    assert html.count("Does not apply") == 14  # latest check of each is the £100,000 one


def test_list_shows_each_contract_with_its_latest_answer(client_for, commissioner, contract):
    unchecked = PlannedContractFactory(authority=contract.authority, title="Not yet checked")
    record_check(contract, commissioner, value="100000")
    latest = record_check(contract, commissioner)
    html = page(client_for(commissioner).get(reverse("act-list")))
    assert reverse("act-assessment", args=[latest.pk]) in html
    assert "Applies" in html
    assert unchecked.title in html and "Not checked" in html


def test_contract_page_lists_its_checks(client_for, commissioner, contract):
    record_check(contract, commissioner)
    html = page(client_for(commissioner).get(reverse("act-contract", args=[contract.pk])))
    assert "Check again" in html and "£207,720.00 including VAT" in html


def test_dashboard_panel_shows_planned_contracts_and_latest_answers(
    client_for, commissioner, contract, authority
):
    record_check(contract, commissioner)
    client = client_for(commissioner)
    html = page(client.get(reverse("dashboard")))
    panel = html.split('id="panel-commissionercontracts"')[1]
    assert contract.title in panel and "Applies" in panel
    assert "Contracts you check against the Social Value Act will appear here" not in html
    few = count_queries(client, reverse("dashboard"))
    make_contracts(authority, commissioner, 8)
    assert count_queries(client, reverse("dashboard")) == few


# --- Issue 19: the questions of scope on the page -------------------------------------------


def test_the_new_questions_sit_in_the_reveals_that_need_them(client_for, commissioner, contract):
    html = page(client_for(commissioner).get(reverse("act-check", args=[contract.pk])))
    mixed = inside(html, "conditional_contract_type_3")
    # mixed_with choices: goods(0) reveals the share, works(1) the main purpose
    assert 'name="services_value"' in inside(html, "conditional_mixed_with_0")
    works = inside(html, "conditional_mixed_with_1")
    assert 'name="main_purpose"' in works and 'name="services_value"' not in works
    assert 'name="mixed_with"' in mixed and 'name="psr_mixed"' in mixed
    services = inside(html, "conditional_contract_type_0")
    assert 'name="psr_services"' in services and 'name="main_purpose"' not in services
    assert "dynamic purchasing system or dynamic market" in services
    assert 'name="contract_kind"' in html
    assert "exempt from VAT" in html
    assert "Schedule 2 to the Procurement Regulations 2024" in html


def test_services_mixed_with_works_need_the_main_purpose_and_keep_what_was_typed(
    client_for, commissioner, contract
):
    response = client_for(commissioner).post(
        reverse("act-check", args=[contract.pk]),
        check_form(
            contract_type="mixed",
            mixed_with="works",
            service_category_mixed="standard",
            route_mixed="contract",
        ),
    )
    html = page(response)
    assert "Choose the main purpose of the contract" in error_for(html, "main_purpose")
    assert 'value="300000"' in html


@pytest.mark.parametrize(
    ("changes", "headline", "shown"),
    [
        (
            {"route_services": "dynamic", "value": "150000", "vat_rate": "0"},
            "does not apply",
            "dynamic purchasing system",
        ),
        ({"route_services": "dynamic"}, "applies", "regulation"),
        ({"contract_kind": "exempted"}, "does not apply", "own company"),
        (
            {
                "contract_type": "mixed",
                "mixed_with": "works",
                "main_purpose": "works",
                "service_category_mixed": "standard",
                "route_mixed": "contract",
            },
            "does not apply",
            "main purpose is works",
        ),
        (
            {"authority_type": "nhs", "central_nhs": "no", "psr_services": "yes"},
            "applies",
            "Provider Selection Regime",
        ),
    ],
)
def test_the_new_answers_show_their_reasons(
    client_for, commissioner, contract, changes, headline, shown
):
    html = unescape(
        page(
            client_for(commissioner).post(
                reverse("act-check", args=[contract.pk]), check_form(**changes)
            )
        )
    )
    assert f"The Social Value Act {headline}" in html
    assert shown in html


def test_recording_freezes_the_new_answers(client_for, commissioner, contract):
    record = record_check(
        contract,
        commissioner,
        contract_type="mixed",
        mixed_with="works",
        main_purpose="services",
        service_category="standard",
        is_dynamic=True,
        contract_kind="public",
    )
    saved = ActAssessment.objects.get(pk=record.pk)
    assert saved.inputs["mixed_with"] == "works" and saved.inputs["main_purpose"] == "services"
    assert saved.inputs["is_dynamic"] is True and saved.inputs["psr"] is False
    html = page(client_for(commissioner).get(reverse("act-assessment", args=[record.pk])))
    assert "Main purpose" in html and "dynamic purchasing system" in html
