"""The Social Value Act check: thresholds by date, the Act's own rules, and the reasons shown."""

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from socialvalue.act.engine import (
    ActInputError,
    assess,
    inputs_from_dict,
    load_schedules,
    validate_inputs,
)
from tests.act.engine_cases import RULES, make, run

PENNY = Decimal("0.01")
D = Decimal


# Every schedule, with its figures written out here so a typo in the data file fails a test.
# (id, first day, regime, central, sub-central, light touch, includes VAT)
SCHEDULES = [
    ("england-2012-01", date(2013, 1, 31), "pcr2006", "113057", "173934", "173934", False),
    ("england-2014-01", date(2014, 1, 1), "pcr2006", "111676", "172514", "172514", False),
    ("england-2015-02-pcr2015", date(2015, 2, 26), "pcr2015", "111676", "172514", "625050", False),
    ("england-2016-01", date(2016, 1, 1), "pcr2015", "106047", "164176", "589148", False),
    ("england-2018-01", date(2018, 1, 1), "pcr2015", "118133", "181302", "615278", False),
    ("england-2020-01", date(2020, 1, 1), "pcr2015", "122976", "189330", "663540", False),
    ("england-2022-01", date(2022, 1, 1), "pcr2015", "138760", "213477", "663540", True),
    ("england-2024-01", date(2024, 1, 1), "pcr2015", "139688", "214904", "663540", True),
    ("england-2025-02-pa2023", date(2025, 2, 24), "pa2023", "139688", "214904", "663540", True),
    ("england-2026-01", date(2026, 1, 1), "pa2023", "135018", "207720", "663540", True),
]

BOUNDARY_CASES = [
    pytest.param(
        schedule_id,
        first_day,
        authority,
        D(figure) + delta,
        delta >= 0,
        includes_vat,
        id=f"{schedule_id}-{authority}-{'at' if not delta else ('+1p' if delta > 0 else '-1p')}",
    )
    for schedule_id, first_day, _, central, sub_central, _, includes_vat in SCHEDULES
    for authority, figure in (("central_government", central), ("local_authority", sub_central))
    for delta in (D("0"), -PENNY, PENNY)
]


@pytest.mark.parametrize(
    ("schedule_id", "start", "authority", "value", "inside", "includes_vat"), BOUNDARY_CASES
)
def test_value_at_or_above_threshold_is_inside_and_one_penny_below_is_outside(
    schedule_id, start, authority, value, inside, includes_vat
):
    result = run(
        authority_type=authority,
        start_date=start,
        value=value,
        vat_basis="inclusive" if includes_vat else "exclusive",
    )
    assert result.schedule_id == schedule_id
    assert result.applies is inside
    assert result.value_compared == value
    assert result.threshold_includes_vat is includes_vat
    assert result.encouraged is not inside


@pytest.mark.parametrize(
    ("schedule_id", "start", "regime", "central", "sub_central", "light_touch", "includes_vat"),
    SCHEDULES,
)
def test_each_schedule_reports_its_regime_and_figures(
    schedule_id, start, regime, central, sub_central, light_touch, includes_vat
):
    central_result = run(authority_type="central_government", start_date=start)
    sub_result = run(start_date=start)
    assert central_result.regime_code == sub_result.regime_code == regime
    assert central_result.threshold == D(central)
    assert sub_result.threshold == D(sub_central)
    schedule = RULES.schedule_on(start)
    assert schedule.id == schedule_id
    assert schedule.values.light_touch == D(light_touch)
    assert schedule.includes_vat is includes_vat
    assert sub_result.source == schedule.source


# Each change of schedule, regime or light touch rule: the day before and the day itself.
@pytest.mark.parametrize(
    ("start", "schedule_id", "regime"),
    [
        (date(2013, 12, 31), "england-2012-01", "pcr2006"),
        (date(2014, 1, 1), "england-2014-01", "pcr2006"),
        (date(2015, 2, 25), "england-2014-01", "pcr2006"),
        (date(2015, 2, 26), "england-2015-02-pcr2015", "pcr2015"),
        (date(2015, 12, 31), "england-2015-02-pcr2015", "pcr2015"),
        (date(2016, 1, 1), "england-2016-01", "pcr2015"),
        (date(2017, 12, 31), "england-2016-01", "pcr2015"),
        (date(2018, 1, 1), "england-2018-01", "pcr2015"),
        (date(2019, 12, 31), "england-2018-01", "pcr2015"),
        (date(2020, 1, 1), "england-2020-01", "pcr2015"),
        (date(2021, 12, 31), "england-2020-01", "pcr2015"),
        (date(2022, 1, 1), "england-2022-01", "pcr2015"),
        (date(2023, 12, 31), "england-2022-01", "pcr2015"),
        (date(2024, 1, 1), "england-2024-01", "pcr2015"),
        (date(2025, 2, 23), "england-2024-01", "pcr2015"),
        (date(2025, 2, 24), "england-2025-02-pa2023", "pa2023"),
        (date(2025, 12, 31), "england-2025-02-pa2023", "pa2023"),
        (date(2026, 1, 1), "england-2026-01", "pa2023"),
    ],
)
def test_the_rules_in_force_on_the_start_date_decide(start, schedule_id, regime):
    result = run(start_date=start)
    assert result.schedule_id == schedule_id
    assert result.regime_code == regime
    assert start.strftime("%B %Y") in result.reasons[0]


def test_the_day_before_the_act_came_into_force_is_outside_and_not_encouraged():
    result = run(start_date=date(2013, 1, 30))
    assert result.applies is False
    assert result.encouraged is False
    assert result.threshold is None
    assert result.regime_code == "pcr2006"
    assert "before the Act came into force on 31 January 2013" in result.reasons[0]
    assert "2012/3173" in result.source.title


def test_the_day_the_act_came_into_force_it_applies():
    result = run(start_date=date(2013, 1, 31), value=D("173934"), vat_basis="exclusive")
    assert result.applies is True
    assert result.schedule_id == "england-2012-01"


# Authority categories in England, 2026: central £135,018, sub-central £207,720 (incl. VAT).
@pytest.mark.parametrize(
    ("authority", "value", "central_flag", "applies", "missing"),
    [
        ("central_government", "150000", None, True, ()),
        ("local_authority", "150000", None, False, ()),
        ("fire", "150000", None, False, ()),
        ("police", "150000", None, False, ()),
        ("housing_association", "150000", None, False, ()),
        ("nhs", "150000", None, None, ("central_government_authority",)),
        ("other_public", "150000", None, None, ("central_government_authority",)),
        ("nhs", "150000", True, True, ()),
        ("nhs", "150000", False, False, ()),
        ("other_public", "150000", True, True, ()),
        ("nhs", "207720", None, True, ()),
        ("nhs", "135017.99", None, False, ()),
        ("local_authority", "207720", None, True, ()),
        ("fire", "207720", None, True, ()),
        ("police", "207720", None, True, ()),
        ("housing_association", "207720", None, True, ()),
        ("central_government", "135017.99", None, False, ()),
    ],
)
def test_each_authority_category_gets_its_threshold(
    authority, value, central_flag, applies, missing
):
    result = run(
        authority_type=authority, value=D(value), central_government_authority=central_flag
    )
    assert result.applies is applies
    assert result.missing == missing


def test_nhs_body_between_thresholds_says_what_is_needed_and_shows_both_figures():
    result = run(authority_type="nhs", value=D("150000"))
    assert result.threshold is None
    assert result.value_compared == D("150000")
    text = " ".join(result.reasons)
    assert "£135,018.00" in text and "£207,720.00" in text
    assert "central government authority" in result.reasons[-1]
    assert result.encouraged is True


def test_housing_association_check_states_its_assumption():
    result = run(authority_type="housing_association")
    assert any("assumes the housing association is one" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("contract_type", "services_value", "is_framework", "is_call_off", "applies"),
    [
        ("services", None, False, False, True),
        ("goods", None, False, False, False),
        ("works", None, False, False, False),
        ("mixed", "600000", False, False, True),
        ("mixed", "500000", False, False, False),
        ("mixed", "500000.01", False, False, True),
        ("mixed", "100000", False, False, False),
        ("services", None, True, False, True),
        ("goods", None, True, False, False),
        ("works", None, True, False, False),
        ("mixed", "700000", True, False, True),
        ("mixed", "300000", True, False, False),
        ("services", None, False, True, False),
        ("mixed", "900000", False, True, False),
    ],
)
def test_contract_types_frameworks_and_call_offs(
    contract_type, services_value, is_framework, is_call_off, applies
):
    result = run(
        contract_type=contract_type,
        value=D("1000000"),
        services_value=D(services_value) if services_value else None,
        is_framework=is_framework,
        is_call_off=is_call_off,
    )
    assert result.applies is applies
    assert result.encouraged is not applies


def test_works_contract_far_above_every_threshold_is_still_outside():
    result = run(contract_type="works", value=D("50000000"))
    assert result.applies is False
    assert result.threshold is None
    assert "outside the Act" in result.reasons[-1]


def test_call_off_is_outside_and_encouraged_with_reason():
    result = run(is_call_off=True)
    assert result.applies is False
    assert result.encouraged is True
    assert "call-off" in result.reasons[-1]


@pytest.mark.parametrize(
    ("start", "value", "vat_basis", "vat_rate", "compared", "applies"),
    [
        # Thresholds include VAT (2026, sub-central £207,720): net values get VAT added.
        (date(2026, 6, 1), "173100", "exclusive", None, "207720", True),
        (date(2026, 6, 1), "173099.99", "exclusive", None, "207719.988", False),
        (date(2026, 6, 1), "207720", "exclusive", "0", "207720", True),
        (date(2026, 6, 1), "180000", "exclusive", "5", "189000", False),
        (date(2026, 6, 1), "207720", "inclusive", None, "207720", True),
        # Thresholds net of VAT (2019, sub-central £181,302): gross values have VAT removed.
        (date(2019, 6, 1), "217562.40", "inclusive", None, "181302", True),
        (date(2019, 6, 1), "181302", "exclusive", None, "181302", True),
        (date(2019, 6, 1), "181302", "inclusive", "0", "181302", True),
    ],
)
def test_value_is_converted_to_the_thresholds_vat_basis(
    start, value, vat_basis, vat_rate, compared, applies
):
    result = run(
        start_date=start,
        value=D(value),
        vat_basis=vat_basis,
        vat_rate=D(vat_rate) if vat_rate is not None else None,
    )
    assert result.value_compared == D(compared)
    assert result.applies is applies


def test_gross_value_one_penny_below_net_threshold_plus_vat_is_outside():
    result = run(start_date=date(2019, 6, 1), value=D("217562.39"), vat_basis="inclusive")
    assert result.applies is False
    assert result.value_compared < D("181302")


def test_converted_value_keeps_full_precision_and_rounds_only_when_shown():
    result = run(start_date=date(2019, 6, 1), value=D("100"), vat_basis="inclusive")
    assert result.value_compared == D("100") / D("1.2")
    assert result.to_dict()["value_compared"] == "83.33"


def test_vat_conversion_is_explained_with_the_rate_used():
    added = run(value=D("100000"), vat_basis="exclusive")
    assert any("VAT at 20% (the standard rate) was added" in r for r in added.reasons)
    removed = run(start_date=date(2019, 6, 1), value=D("120000"), vat_rate=D("17.5"))
    assert any("VAT at 17.5% was taken off" in r for r in removed.reasons)


# Light touch services in each of the Act's periods (a council unless stated).
@pytest.mark.parametrize(
    ("start", "authority", "value", "vat_basis", "threshold", "applies"),
    [
        # PCR 2006 Part B: the higher services figure, for central government too.
        (date(2014, 6, 1), "local_authority", "172514", "exclusive", "172514", True),
        (date(2014, 6, 1), "local_authority", "172513.99", "exclusive", "172514", False),
        (date(2014, 6, 1), "central_government", "150000", "exclusive", "172514", False),
        (date(2013, 6, 1), "central_government", "173934", "exclusive", "173934", True),
        # 26 February 2015 to 17 April 2016: SI 2015/102 Sch. 6 para. 8(5) also counted any
        # contract the revoked 2006 Regulations would have covered, so the Part B figure
        # (£172,514 net, every authority) decides, not the higher light touch threshold.
        (date(2015, 2, 26), "local_authority", "300000", "exclusive", "172514", True),
        (date(2015, 3, 1), "local_authority", "172514", "exclusive", "172514", True),
        (date(2015, 3, 1), "local_authority", "172513.99", "exclusive", "172514", False),
        (date(2015, 3, 1), "central_government", "150000", "exclusive", "172514", False),
        (date(2016, 4, 17), "local_authority", "300000", "exclusive", "172514", True),
        (date(2016, 4, 17), "local_authority", "172513.99", "exclusive", "172514", False),
        # From 18 April 2016 (SI 2016/275): the ordinary services threshold, net of VAT.
        (date(2016, 4, 18), "local_authority", "300000", "exclusive", "164176", True),
        (date(2016, 4, 18), "local_authority", "164175.99", "exclusive", "164176", False),
        (date(2016, 4, 18), "central_government", "106047", "exclusive", "106047", True),
        (date(2020, 6, 1), "local_authority", "189330", "exclusive", "189330", True),
        # 2022 to 23 February 2025: the figures include VAT, but SI 2021/1221 left the Act's
        # "net of value-added tax" alone, so the Act's test stays net of VAT.
        (date(2023, 6, 1), "local_authority", "250000", "inclusive", "213477", False),
        (date(2023, 6, 1), "local_authority", "213477", "exclusive", "213477", True),
        (date(2025, 2, 23), "local_authority", "257884.80", "inclusive", "214904", True),
        (date(2025, 2, 23), "local_authority", "257884.79", "inclusive", "214904", False),
        # From 24 February 2025 (SI 2025/163): s.1(17), rows 11 and 12 of Schedule 1 to the
        # Procurement Act 2023, value including VAT like the threshold.
        (date(2025, 2, 24), "local_authority", "214904", "inclusive", "214904", True),
        (date(2025, 2, 24), "local_authority", "214903.99", "inclusive", "214904", False),
        (date(2026, 6, 1), "local_authority", "300000", "inclusive", "207720", True),
        (date(2026, 6, 1), "local_authority", "207720", "inclusive", "207720", True),
        (date(2026, 6, 1), "local_authority", "207719.99", "inclusive", "207720", False),
        (date(2026, 6, 1), "local_authority", "173100", "exclusive", "207720", True),
        (date(2026, 6, 1), "central_government", "135018", "inclusive", "135018", True),
    ],
)
def test_light_touch_services_in_each_period(
    start, authority, value, vat_basis, threshold, applies
):
    result = run(
        authority_type=authority,
        service_category="light_touch",
        start_date=start,
        value=D(value),
        vat_basis=vat_basis,
    )
    assert result.threshold == D(threshold)
    assert result.applies is applies


def test_council_social_care_contract_below_light_touch_threshold_is_inside_in_2026():
    result = run(service_category="light_touch", value=D("300000"), vat_basis="exclusive")
    assert result.applies is True
    assert result.threshold == D("207720")
    assert result.threshold_includes_vat is True
    assert result.value_compared == D("360000")
    assert any("row 12" in r for r in result.reasons)
    assert not any("not fully confirmed" in r for r in result.reasons)
    assert all(s.confirmed for s in result.rule_sources)


def test_light_touch_value_is_net_of_vat_until_23_february_2025_and_gross_from_the_24th():
    before = run(service_category="light_touch", start_date=date(2025, 2, 23), value=D("250000"))
    after = run(service_category="light_touch", start_date=date(2025, 2, 24), value=D("250000"))
    assert before.applies is False and before.threshold_includes_vat is False
    assert any("net of VAT" in r for r in before.reasons)
    assert after.applies is True and after.threshold_includes_vat is True


def test_council_social_care_contract_in_2015_is_inside_through_the_2006_part_b_test():
    result = run(
        service_category="light_touch",
        start_date=date(2015, 6, 1),
        value=D("300000"),
        vat_basis="exclusive",
    )
    assert result.applies is True
    assert result.threshold == D("172514")
    assert any("2006 Regulations" in r for r in result.reasons)
    assert all(s.confirmed for s in result.rule_sources)


@pytest.mark.parametrize(
    ("authority", "devolved", "value", "applies", "missing"),
    [
        ("local_authority", None, "1000000", False, ()),
        ("nhs", None, "1000000", False, ()),
        ("fire", None, "1000000", False, ()),
        ("police", None, "250000", True, ()),
        ("central_government", None, "250000", True, ()),
        ("housing_association", None, "250000", None, ("devolved_functions",)),
        ("housing_association", None, "100000", False, ()),
        ("housing_association", False, "250000", True, ()),
        ("housing_association", True, "250000", False, ()),
        ("other_public", None, "250000", None, ("devolved_functions",)),
        (
            "other_public",
            None,
            "150000",
            None,
            ("central_government_authority", "devolved_functions"),
        ),
        ("local_authority", False, "250000", True, ()),
    ],
)
def test_welsh_bodies_devolved_not_devolved_and_unknown(
    authority, devolved, value, applies, missing
):
    result = run(
        nation="wales", authority_type=authority, devolved_functions=devolved, value=D(value)
    )
    assert result.applies is applies
    assert result.missing == missing
    assert result.encouraged is (applies is not True)


def test_devolved_welsh_body_uses_the_welsh_schedule_and_is_told_of_the_welsh_duty():
    result = run(nation="wales", authority_type="local_authority", start_date=date(2026, 3, 25))
    assert result.applies is False
    assert result.schedule_id == "wales-2026-01"
    assert "section 1(11)-(12)" in result.reasons[1]
    assert "section 24 duty applies" in result.reasons[2]


def test_devolved_welsh_body_before_the_welsh_duty_is_told_when_it_starts():
    result = run(nation="wales", authority_type="nhs", start_date=date(2026, 3, 24))
    assert "comes into force on 25 March 2026" in result.reasons[-1]


def test_welsh_police_body_uses_the_uk_wide_column_from_2026():
    result = run(nation="wales", authority_type="police", value=D("207720"))
    assert result.schedule_id == "england-2026-01"
    assert result.applies is True


def test_welsh_body_before_2026_uses_the_single_england_and_wales_schedule():
    result = run(nation="wales", authority_type="police", start_date=date(2024, 6, 1))
    assert result.schedule_id == "england-2024-01"


def test_urgent_case_still_applies_but_says_the_duty_may_be_disregarded():
    result = run(urgent=True)
    assert result.applies is True
    assert any("section 1(8)" in r for r in result.reasons)


def test_reasons_come_in_the_order_decided():
    result = run()
    assert result.reasons[0].startswith("The procurement starts on 1 June 2026")
    assert "section 1(1)(a)" in result.reasons[1]
    assert "at or above the threshold" in result.reasons[-2]
    assert "section 1(3)" in result.reasons[-1]


def test_to_dict_is_json_ready_with_money_as_pence_strings():
    result = run(value=D("250000"))
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {
        "applies",
        "regime",
        "threshold",
        "threshold_includes_vat",
        "value_compared",
        "reasons",
        "encouraged",
        "source",
        "missing",
    } <= set(data)
    assert data["threshold"] == "207720.00"
    assert data["value_compared"] == "250000.00"
    assert data["regime"] == {"code": "pa2023", "name": "Procurement Act 2023"}
    assert data["source"]["url"].startswith("https://")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": D("-1")}, "value"),
        ({"value": 1000.0}, "value"),
        ({"contract_type": "mixed"}, "services_value"),
        ({"contract_type": "mixed", "services_value": D("1000000.01")}, "services_value"),
        ({"contract_type": "mixed", "services_value": D("-5")}, "services_value"),
        ({"services_value": D("10")}, "services_value"),
        ({"authority_type": "parish"}, "authority_type"),
        ({"nation": "scotland"}, "nation"),
        ({"contract_type": "concession"}, "contract_type"),
        ({"service_category": "utilities"}, "service_category"),
        ({"vat_basis": "gross"}, "vat_basis"),
        ({"vat_rate": D("100.01")}, "vat_rate"),
        ({"vat_rate": D("-1")}, "vat_rate"),
        ({"is_framework": True, "is_call_off": True}, "is_call_off"),
        ({"start_date": datetime(2026, 1, 1, 9, 0)}, "start_date"),
        ({"devolved_functions": True}, "devolved_functions"),
        (
            {"authority_type": "local_authority", "central_government_authority": True},
            "central_government_authority",
        ),
        (
            {"authority_type": "central_government", "central_government_authority": False},
            "central_government_authority",
        ),
    ],
)
def test_impossible_inputs_are_refused_naming_the_field(overrides, field):
    with pytest.raises(ActInputError) as caught:
        validate_inputs(make(**overrides))
    assert caught.value.field == field
    with pytest.raises(ActInputError):
        assess(make(**overrides), RULES)


def test_inputs_from_dict_reads_form_strings():
    inputs = inputs_from_dict(
        {
            "authority_type": "nhs",
            "nation": "england",
            "contract_type": "mixed",
            "value": "£1,200,000",
            "services_value": "800000",
            "start_date": "2025-03-01",
            "vat_basis": "exclusive",
            "vat_rate": "",
            "is_framework": "yes",
            "central_government_authority": "",
        }
    )
    assert inputs.value == D("1200000")
    assert inputs.vat_rate is None
    assert inputs.is_framework is True
    assert inputs.central_government_authority is None
    assert assess(inputs, RULES).applies is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": 1.5}, "value"),
        ({"start_date": "1 March 2025"}, "start_date"),
        ({"is_call_off": "perhaps"}, "is_call_off"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_inputs_from_dict_refuses_unreadable_values(data, field):
    base = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "services",
        "value": "100",
        "start_date": "2025-03-01",
    }
    with pytest.raises(ActInputError) as caught:
        inputs_from_dict({**base, **data})
    assert caught.value.field == field


def test_inputs_from_dict_requires_the_core_fields():
    with pytest.raises(ActInputError) as caught:
        inputs_from_dict({"authority_type": "nhs", "nation": "england", "contract_type": "goods"})
    assert caught.value.field == "value"


# --- The data file itself ------------------------------------------------------------


def _all_sources():
    yield RULES.commencement_source
    yield RULES.vat_source
    yield RULES.welsh_exclusion_source
    yield RULES.welsh_duty.source
    yield RULES.central_government_source
    for regime in RULES.regimes:
        yield regime.source
    for rule in RULES.light_touch_rules:
        yield rule.source
    for schedule in RULES.schedules:
        yield schedule.source


def test_thresholds_file_loads_and_every_schedule_and_rule_has_a_source():
    assert len(RULES.schedules) == 11
    for source in _all_sources():
        assert source.title.strip()
        assert source.url.startswith("http")
        assert isinstance(source.confirmed, bool)
        assert source.quote or source.note, source.title


def test_every_schedule_has_positive_figures_and_a_known_regime():
    codes = {regime.code for regime in RULES.regimes}
    for schedule in RULES.schedules:
        assert schedule.regime in codes
        for figure in vars(schedule.values).values():
            assert isinstance(figure, Decimal) and figure > 0


def _contiguous(entries):
    ordered = sorted(entries, key=lambda entry: entry.effective_from)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert earlier.effective_to is not None, f"{earlier} is open-ended but not last"
        assert later.effective_from == earlier.effective_to + timedelta(days=1), (earlier, later)
        assert earlier.effective_from <= earlier.effective_to
    assert ordered[-1].effective_to is None
    return ordered


@pytest.mark.parametrize("series", ["england", "wales"])
def test_schedules_in_each_series_neither_overlap_nor_leave_gaps(series):
    ordered = _contiguous([s for s in RULES.schedules if s.series == series])
    if series == "england":
        assert ordered[0].effective_from <= RULES.commencement
    else:
        assert ordered[0].effective_from == date(2026, 1, 1)


def test_regimes_and_light_touch_rules_neither_overlap_nor_leave_gaps():
    regimes = _contiguous(RULES.regimes)
    assert regimes[0].effective_from <= RULES.commencement
    rules = _contiguous(RULES.light_touch_rules)
    assert rules[0].effective_from == RULES.commencement


def test_each_schedule_lies_within_its_regime():
    for schedule in RULES.schedules:
        assert RULES.regime_on(schedule.effective_from).code == schedule.regime, schedule.id
        if schedule.effective_to is not None:
            assert RULES.regime_on(schedule.effective_to).code == schedule.regime, schedule.id


def test_welsh_schedule_starts_with_the_same_figures_as_england():
    wales = RULES.schedule_on(date(2026, 1, 1), "wales")
    england = RULES.schedule_on(date(2026, 1, 1), "england")
    assert wales.values == england.values
    assert wales.source != england.source


def test_loading_a_copy_of_the_file_gives_the_same_rules(tmp_path):
    copy = tmp_path / "thresholds.json"
    original = (
        Path(__file__).resolve().parents[2] / "socialvalue" / "act" / "data" / "thresholds.json"
    )
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_schedules(copy) == RULES


def test_inputs_are_frozen():
    inputs = make()
    with pytest.raises(AttributeError):
        inputs.value = D("1")  # type: ignore[misc]
    assert replace(inputs, value=D("1")).value == D("1")


def test_every_choice_has_a_label_for_forms():
    from socialvalue.act.engine import (
        AUTHORITY_TYPES,
        CHOICE_LABELS,
        CONTRACT_TYPES,
        NATIONS,
        SERVICE_CATEGORIES,
        VAT_BASES,
    )

    for field, codes in (
        ("authority_type", AUTHORITY_TYPES),
        ("nation", NATIONS),
        ("contract_type", CONTRACT_TYPES),
        ("service_category", SERVICE_CATEGORIES),
        ("vat_basis", VAT_BASES),
    ):
        assert tuple(CHOICE_LABELS[field]) == codes
