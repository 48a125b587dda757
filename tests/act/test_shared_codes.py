"""The models' choice codes and the Act engine's codes are the same sets, so forms, the API and the
command can pass an organisation's or tender's code straight to the engine."""

from socialvalue.act import engine as act
from socialvalue.models import AuthorityType, Nation
from tenders.models import ContractType


def test_authority_types_match_the_engine():
    assert set(AuthorityType.values) == set(act.AUTHORITY_TYPES)


def test_nations_match_the_engine():
    assert set(Nation.values) == set(act.NATIONS)


def test_tender_contract_types_match_the_engine():
    assert set(ContractType.values) == set(act.CONTRACT_TYPES)
