"""The Act check's questions of scope (issue 19): dynamic purchasing, services mixed with works,
contracts the Act leaves out by kind, the Provider Selection Regime, and VAT on light touch."""

from datetime import date
from decimal import Decimal

import pytest

from socialvalue.act.engine import ActInputError, validate_inputs
from tests.act.engine_cases import RULES, make, run

D = Decimal


def said(result, words):
    return any(words in reason for reason in result.reasons)


# --- Dynamic purchasing systems and dynamic markets --------------------------------------


@pytest.mark.parametrize(
    ("start", "value", "vat_basis", "applies", "provision"),
    [
        # Procurement Act 2023: a dynamic market; sub-central £207,720 incl. VAT from 2026.
        (date(2026, 6, 1), "207720", "inclusive", True, "sections 34 to 40"),
        (date(2026, 6, 1), "207719.99", "inclusive", False, "sections 34 to 40"),
        (date(2025, 2, 24), "214904", "inclusive", True, "sections 34 to 40"),
        # PCR 2015: a dynamic purchasing system (regulation 34); £214,904 incl. VAT in 2024.
        (date(2025, 2, 23), "214904", "inclusive", True, "regulation 34"),
        (date(2025, 2, 23), "214903.99", "inclusive", False, "regulation 34"),
        (date(2019, 6, 1), "181302", "exclusive", True, "regulation 34"),
        # PCR 2006: regulation 20; £172,514 net of VAT.
        (date(2015, 2, 25), "172514", "exclusive", True, "regulation 20"),
        (date(2015, 2, 25), "172513.99", "exclusive", False, "regulation 20"),
    ],
)
def test_a_contract_under_a_dynamic_system_is_inside_at_or_above_the_threshold(
    start, value, vat_basis, applies, provision
):
    result = run(is_dynamic=True, start_date=start, value=D(value), vat_basis=vat_basis)
    assert result.applies is applies
    assert said(result, provision)
    assert said(result, "not a contract based on a framework")
    assert not said(result, "call-off")


def test_the_same_contract_called_a_call_off_is_still_outside():
    assert run(is_call_off=True).applies is False
    assert run(is_dynamic=True).applies is True


# --- Services mixed with works: the main purpose decides ---------------------------------


@pytest.mark.parametrize(
    ("start", "purpose", "services_value", "applies", "provision", "confirmed"),
    [
        (date(2026, 6, 1), "services", None, True, "Schedule 1 to the Procurement Act", True),
        (date(2026, 6, 1), "services", "100000", True, "Schedule 1 to the Procurement Act", True),
        (date(2026, 6, 1), "works", "900000", False, "Schedule 1 to the Procurement Act", True),
        (date(2025, 2, 24), "works", None, False, "Schedule 1 to the Procurement Act", True),
        (date(2025, 2, 23), "services", None, True, "regulation 4(1)(a)", True),
        (date(2025, 2, 23), "works", None, False, "regulation 4(1)(a)", True),
        (date(2015, 2, 26), "services", None, True, "regulation 4(1)(a)", True),
        (date(2015, 2, 25), "services", None, True, "Regulations 2006", False),
        (date(2015, 2, 25), "works", None, False, "Regulations 2006", False),
    ],
)
def test_services_mixed_with_works_follow_the_main_purpose_not_the_split_of_value(
    start, purpose, services_value, applies, provision, confirmed
):
    result = run(
        contract_type="mixed",
        mixed_with="works",
        main_purpose=purpose,
        services_value=D(services_value) if services_value else None,
        start_date=start,
        vat_basis="exclusive",
        vat_rate=D("20"),
    )
    assert result.applies is applies
    assert said(result, "main purpose")
    assert said(result, provision)
    assert said(result, "Not confirmed") is not confirmed
    if applies:
        assert result.threshold is not None


def test_services_mixed_with_goods_still_use_the_value_test():
    assert run(contract_type="mixed", services_value=D("400000")).applies is False
    assert run(contract_type="mixed", services_value=D("600000")).applies is True


# --- Contracts the Act leaves out by their kind -------------------------------------------

KIND_DATES = [
    (date(2014, 6, 1), "pcr2006-scope", False),
    (date(2015, 2, 26), "pcr2015-scope", False),
    (date(2025, 2, 23), "pcr2015-scope", False),
    (date(2025, 2, 24), "pa2023-scope", True),
    (date(2026, 6, 1), "pa2023-scope", True),
]
KIND_WORDS = {
    "exempted": ("excluded", "exempted"),
    "concession": ("concession",),
    "utilities": ("utilities contract",),
    "defence_security": ("defence and security contract",),
}


@pytest.mark.parametrize("kind", list(KIND_WORDS))
@pytest.mark.parametrize(("start", "scope_id", "confirmed"), KIND_DATES)
def test_each_excluded_kind_of_contract_is_outside_before_and_after_24_february_2025(
    kind, start, scope_id, confirmed
):
    result = run(contract_kind=kind, start_date=start, value=D("5000000"))
    assert result.applies is False
    assert result.encouraged is True
    assert any(said(result, words) for words in KIND_WORDS[kind])
    scope = next(e for e in RULES.excluded_kinds if e.id == scope_id)
    assert scope.source in result.rule_sources
    assert said(result, "not confirmed") is not confirmed


def test_a_councils_own_company_and_a_leisure_concession_are_no_longer_answered_applies():
    own_company = run(contract_kind="exempted")
    assert own_company.applies is False and said(own_company, "own company")
    assert run(contract_kind="concession").applies is False
    assert run(contract_kind="public").applies is True
    after = run(contract_kind="concession")
    assert said(after, "section 8 of the Procurement Act 2023")


# --- The Provider Selection Regime --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "value", "vat_basis", "regime", "threshold", "includes_vat", "applies"),
    [
        # Before 1 January 2024: no Regime; the 2015 Regulations' light touch test decides.
        (date(2023, 12, 31), "138760", "exclusive", "pcr2015", "138760", False, True),
        # 1 January 2024 to 23 February 2025: the Regime; the Act's test net of VAT.
        (date(2024, 1, 1), "139688", "exclusive", "psr2023", "139688", False, True),
        (date(2024, 1, 1), "139687.99", "exclusive", "psr2023", "139688", False, False),
        (date(2025, 2, 23), "167625.60", "inclusive", "psr2023", "139688", False, True),
        # From 24 February 2025: rows 11 and 12 of Schedule 1, including VAT.
        (date(2025, 2, 24), "139688", "inclusive", "psr2023", "139688", True, True),
        (date(2025, 2, 24), "139687.99", "inclusive", "psr2023", "139688", True, False),
        (date(2026, 6, 1), "135018", "inclusive", "psr2023", "135018", True, True),
    ],
)
def test_an_nhs_trust_buying_health_care_under_the_provider_selection_regime(
    start, value, vat_basis, regime, threshold, includes_vat, applies
):
    result = run(
        authority_type="nhs",
        central_government_authority=True,
        psr=True,
        start_date=start,
        value=D(value),
        vat_basis=vat_basis,
        vat_rate=D("0") if vat_basis == "exclusive" else None,
    )
    assert result.regime_code == regime
    assert result.threshold == D(threshold)
    assert result.threshold_includes_vat is includes_vat
    assert result.applies is applies
    if regime == "psr2023":
        assert result.regime_name.startswith("Health Care Services (Provider Selection Regime)")
        assert said(result, "Procurement Act 2023") and said(result, "not confirmed")
        assert any(not source.confirmed for source in result.rule_sources)
    else:
        assert said(result, "applies only to procurements started on or after 1 January 2024")


def test_the_regime_no_longer_names_the_procurement_act_for_health_care_under_the_psr():
    plain = run(authority_type="nhs", central_government_authority=False, value=D("300000"))
    psr = run(authority_type="nhs", central_government_authority=False, value=D("300000"), psr=True)
    assert plain.regime_code == "pa2023"
    assert psr.regime_code == "psr2023"
    assert psr.applies is True and psr.threshold == D("207720")


# --- VAT on light touch services ----------------------------------------------------------


def test_a_vat_exempt_home_care_contract_is_not_inflated_when_the_rate_is_given():
    exempt = run(
        service_category="light_touch", value=D("180000"), vat_basis="exclusive", vat_rate=D("0")
    )
    assumed = run(service_category="light_touch", value=D("180000"), vat_basis="exclusive")
    assert exempt.value_compared == D("180000") and exempt.applies is False
    assert assumed.value_compared == D("216000") and assumed.applies is True
    assert said(assumed, "exempt from VAT") and said(assumed, "standard rate is assumed")
    assert RULES.vat_exempt_source in assumed.rule_sources
    assert not said(exempt, "standard rate is assumed")


# --- Smaller fixes ------------------------------------------------------------------------


def test_a_reason_does_not_say_applies_before_the_answer_turns_out_to_depend():
    result = run(nation="wales", authority_type="housing_association", value=D("250000"))
    assert result.applies is None
    assert said(result, "the threshold test is met")
    assert not said(result, "so the Act applies")


def test_a_housing_association_is_told_being_a_contracting_authority_is_a_question_of_fact():
    result = run(authority_type="housing_association")
    assert said(result, "question of fact")


def test_the_first_reason_says_one_date_serves_the_act_and_the_regime():
    assert "transitional provisions" in run().reasons[0]


# --- Refusals name the field --------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"is_dynamic": True, "is_call_off": True}, "is_dynamic"),
        ({"is_dynamic": True, "is_framework": True}, "is_dynamic"),
        ({"is_dynamic": "yes"}, "is_dynamic"),
        ({"psr": True, "contract_type": "goods"}, "psr"),
        ({"psr": None}, "psr"),
        ({"contract_type": "mixed", "mixed_with": "works"}, "main_purpose"),
        ({"contract_type": "mixed", "mixed_with": "land", "services_value": D("1")}, "mixed_with"),
        ({"mixed_with": "works", "main_purpose": "services"}, "mixed_with"),
        ({"main_purpose": "services"}, "main_purpose"),
        (
            {"contract_type": "mixed", "services_value": D("1"), "main_purpose": "works"},
            "main_purpose",
        ),
        (
            {"contract_type": "mixed", "mixed_with": "works", "main_purpose": "goods"},
            "main_purpose",
        ),
        ({"contract_kind": "grant"}, "contract_kind"),
    ],
)
def test_impossible_new_inputs_are_refused_naming_the_field(overrides, field):
    with pytest.raises(ActInputError) as caught:
        validate_inputs(make(**overrides))
    assert caught.value.field == field


# --- The data ---------------------------------------------------------------------------


def test_new_readings_have_sources_and_cover_every_day_from_the_act():
    ordered = sorted(RULES.excluded_kinds, key=lambda e: e.effective_from)
    assert ordered[0].effective_from == RULES.commencement and ordered[-1].effective_to is None
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert (later.effective_from - earlier.effective_to).days == 1
    psr = RULES.provider_selection
    assert psr.effective_from == date(2024, 1, 1)
    assert [n.effective_from for n in psr.act_position] == [date(2024, 1, 1), date(2025, 2, 24)]
    for code in ("pcr2006", "pcr2015", "pa2023"):
        assert RULES.dynamic_by_regime[code].source.url.startswith("https://")
        assert RULES.mixed_works_by_regime[code].source.url.startswith("https://")
    for scope in RULES.excluded_kinds:
        assert set(scope.kinds) == {"exempted", "concession", "utilities", "defence_security"}
