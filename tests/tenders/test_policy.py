"""Minimum social value weighting by date of procurement start and type of authority."""

from datetime import date
from decimal import Decimal as D

import pytest

from tenders.policy import LocalMinimum, load_social_value_policy, minimum_social_value_weighting

POLICY = load_social_value_policy()


def minimum(on, authority="central_government", local=None):
    return minimum_social_value_weighting(date.fromisoformat(on), authority, POLICY.records, local)


@pytest.mark.parametrize(
    ("on", "percent", "record"),
    [
        ("2020-12-31", None, None),  # before PPN 06/20 took effect
        ("2021-01-01", D("10"), "ppn-06-20"),
        ("2021-01-02", D("10"), "ppn-06-20"),
        ("2025-02-12", D("10"), "ppn-06-20"),
        ("2025-02-13", D("10"), "ppn-06-20"),  # PPN 002 published, not yet mandatory
        ("2025-02-14", D("10"), "ppn-06-20"),
        ("2025-09-30", D("10"), "ppn-06-20"),
        ("2025-10-01", D("10"), "ppn-002"),  # PPN 002 mandatory
        ("2025-10-02", D("10"), "ppn-002"),
    ],
)
def test_central_government_minimum_by_date(on, percent, record):
    result = minimum(on)
    assert result.percent == percent
    assert result.record_id == record
    assert result.binding is (percent is not None)


def test_central_government_before_2021_has_no_minimum_and_says_when_one_starts():
    result = minimum("2020-12-31")
    assert result.basis == "none"
    assert "2021-01-01" in result.reasons[0]


def test_ppn_002_reasons_carry_its_scope_exclusions():
    text = " ".join(minimum("2025-10-01").reasons)
    assert "PPN 002" in text
    assert "private utilities" in text and "defence and security" in text


# NHS bodies left this table when NHS England's guidance (from 1 April 2022) was encoded: see
# test_nhs_bodies_follow_nhs_englands_minimum_from_1_april_2022 below.
@pytest.mark.parametrize("authority", ["local_authority", "other"])
@pytest.mark.parametrize(
    ("on", "percent"),
    [("2020-12-31", None), ("2021-01-01", D("10")), ("2025-10-01", D("10"))],
)
def test_other_authorities_get_this_services_default_labelled_as_advice(authority, on, percent):
    result = minimum(on, authority)
    assert result.percent == percent
    if percent is not None:
        assert result.basis == "service_default"
        assert result.binding is False
        assert "This service's default policy" in result.reasons[0]
        assert "not a legal requirement" in result.reasons[0]


COUNCIL_POLICY = LocalMinimum(
    D("20"), date(2023, 4, 1), date(2024, 3, 31), "Council social value policy"
)


@pytest.mark.parametrize(
    ("on", "percent", "basis"),
    [
        ("2023-03-31", D("10"), "service_default"),
        ("2023-04-01", D("20"), "local_policy"),
        ("2024-03-31", D("20"), "local_policy"),
        ("2024-04-01", D("10"), "service_default"),
    ],
)
def test_an_authoritys_dated_local_minimum_overrides_the_default_while_in_force(on, percent, basis):
    result = minimum(on, "local_authority", COUNCIL_POLICY)
    assert (result.percent, result.basis) == (percent, basis)


def test_a_local_minimum_may_be_lower_than_the_default_for_a_non_central_authority():
    result = minimum("2024-01-01", "local_authority", LocalMinimum(D("5"), date(2023, 1, 1)))
    assert (result.percent, result.basis) == (D("5"), "local_policy")


def test_the_latest_local_record_in_force_wins():
    records = [LocalMinimum(D("15"), date(2022, 1, 1)), LocalMinimum(D("25"), date(2024, 1, 1))]
    assert minimum("2023-12-31", "local_authority", records).percent == D("15")
    assert minimum("2024-01-01", "local_authority", records).percent == D("25")


def test_central_government_local_minimum_can_raise_but_not_lower_the_national_one():
    higher = minimum(
        "2025-10-01", local=LocalMinimum(D("15"), date(2025, 1, 1), title="Department policy")
    )
    assert (higher.percent, higher.basis, higher.binding) == (D("15"), "local_policy", True)
    lower = minimum(
        "2025-10-01", local=LocalMinimum(D("5"), date(2025, 1, 1), title="Department policy")
    )
    assert (lower.percent, lower.basis) == (D("10"), "national_policy")
    assert "below the national minimum" in lower.reasons[-1]


def test_every_policy_record_names_its_sources_or_says_it_is_a_service_choice():
    for record in POLICY.records:
        if record.basis == "national_policy":
            assert record.sources and all(s.url for s in record.sources)
        else:
            assert "service" in record.title.lower()


def test_themes_and_missions_are_data_marked_confirmed_or_not():
    themes = POLICY.ppn_06_20_themes
    assert themes["confirmed"] is True
    assert [t["name"] for t in themes["items"]][0] == "COVID-19 recovery"
    missions = POLICY.ppn_002_missions
    assert missions["confirmed"] is True and len(missions["items"]) == 5
    assert missions["source"]["url"].startswith("https://")
    assert [m["name"] for m in missions["items"]][2] == "Take back our streets"
    assert missions["outcomes"]["confirmed"] is False and missions["outcomes"]["items"] == []


@pytest.mark.parametrize(
    ("on", "basis", "record"),
    [
        ("2021-01-01", "service_default", "service-default"),
        ("2022-03-31", "service_default", "service-default"),
        ("2022-04-01", "national_policy", "nhse-net-zero-social-value"),
        ("2025-10-01", "national_policy", "nhse-net-zero-social-value"),
    ],
)
def test_nhs_bodies_follow_nhs_englands_minimum_from_1_april_2022(on, basis, record):
    result = minimum(on, "nhs_body")
    assert result.percent == D("10")
    assert result.basis == basis and result.record_id == record
    assert result.binding is (basis == "national_policy")


@pytest.mark.parametrize(
    ("authority", "on"),
    [
        ("central_government", "2023-06-01"),
        ("central_government", "2025-10-01"),
        ("nhs_body", "2023-06-01"),
    ],
)
def test_the_national_minimum_does_not_bind_below_the_threshold(authority, on):
    below = minimum_social_value_weighting(
        date.fromisoformat(on), authority, POLICY.records, above_threshold=False
    )
    above = minimum_social_value_weighting(
        date.fromisoformat(on), authority, POLICY.records, above_threshold=True
    )
    assert above.binding is True and above.basis == "national_policy"
    assert below.binding is False and below.basis == "service_default"
    assert "only for procurements at or above the threshold" in below.reasons[0]


def test_an_unknown_threshold_position_still_applies_the_minimum_and_says_on_what_condition():
    result = minimum("2023-06-01")
    assert result.binding is True
    assert any("only at or above the threshold" in reason for reason in result.reasons)
