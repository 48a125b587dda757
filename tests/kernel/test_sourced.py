"""Dated sourced data (socialvalue.kernel.sourced): one shape of a source for every data file,
and one rule for which record is in force on a date."""

from dataclasses import dataclass
from datetime import date

from measurement import catalogue, proportionality, valuation
from socialvalue.act import engine
from socialvalue.kernel import sourced
from socialvalue.kernel.sourced import Source
from tenders import award_rules, panel, policy, scoring


@dataclass(frozen=True)
class Dated:
    name: str
    starts: date
    ends: date | None = None


def test_the_record_in_force_is_the_latest_started_on_or_before_the_day():
    records = [Dated("old", date(2020, 1, 1)), Dated("new", date(2024, 4, 1))]
    assert sourced.in_force(records, date(2024, 3, 31), starts="starts").name == "old"
    assert sourced.in_force(records, date(2024, 4, 1), starts="starts").name == "new"
    assert sourced.in_force(records, date(2019, 12, 31), starts="starts") is None


def test_a_record_with_an_end_date_is_in_force_up_to_and_including_it():
    records = [Dated("closed", date(2020, 1, 1), date(2020, 12, 31))]
    assert sourced.in_force(records, date(2020, 12, 31), starts="starts", ends="ends")
    assert sourced.in_force(records, date(2021, 1, 1), starts="starts", ends="ends") is None


def test_a_source_entry_reads_the_same_whichever_file_it_is_in():
    source = Source.from_data(
        {"title": "PPN 002", "url": "https://example.org", "notes": "Read in a copy", "x": 1}
    )
    assert source == Source(title="PPN 002", url="https://example.org", note="Read in a copy")
    assert source.confirmed is None  # the entry does not say


def test_every_engine_gives_its_sources_in_the_one_shape():
    rules = engine.load_schedules()
    assert isinstance(rules.vat_source, Source) and rules.vat_source.confirmed is not None
    policy_sources = [s for r in policy.load_social_value_policy().records for s in r.sources]
    assert policy_sources and all(isinstance(s, Source) and s.url for s in policy_sources)
    assert all(isinstance(s, Source) for s in scoring.load_abnormally_low_policy().sources)
    method = valuation.load_method()
    assert all(isinstance(s, Source) and s.title for d in method.schedules for s in d.sources)
    basis = proportionality.load_rules()[0].basis_source
    assert isinstance(basis, Source) and basis.title
    measure = catalogue.load_catalogue().get("ECO-01")
    assert measure.versions[0].source.title == measure.versions[0].source_title
    for regime in award_rules.load_regimes().values():
        given = [*regime.standstill.sources, *regime.working_days.sources]
        given += [s for step in regime.steps for s in step.sources]
        assert given and all(isinstance(s, Source) and s.title for s in given)
    assert all(isinstance(s, Source) and s.url for s in award_rules.load_calendar().sources)
    spread = [s for rule in panel.load_spread_rules() for s in rule.sources]
    spread += panel.conflict_law().sources
    assert spread and all(isinstance(s, Source) and s.url for s in spread)
