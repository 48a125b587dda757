"""Each word list is written once (socialvalue.kernel.vocabularies): the models' choices, the
forms and the Act engine all read the same codes and words."""

from measurement import catalogue
from measurement.models import Theme
from socialvalue.act import engine
from socialvalue.definitions.forms import THEME_CHOICES
from socialvalue.definitions.models import Priority
from socialvalue.kernel import vocabularies
from socialvalue.models import AuthorityType


def test_the_themes_are_one_list_for_the_catalogue_priorities_and_forms():
    expected = [("economic", "Economic"), ("social", "Social"), ("environmental", "Environmental")]
    assert Theme.choices == expected
    assert Priority._meta.get_field("theme").choices == expected
    assert catalogue.THEMES == ("economic", "social", "environmental")
    assert [(c.value, c.label) for c in THEME_CHOICES] == expected
    assert Theme.ECONOMIC == "economic"


def test_an_authority_type_has_one_wording_on_forms_and_in_the_act_checks_sentences():
    assert AuthorityType.CENTRAL_GOVERNMENT.label == "Central government department"
    assert engine.CHOICE_LABELS["authority_type"] == dict(AuthorityType.choices)
    assert engine.AUTHORITY_LABELS["local_authority"] == "local authority"
    assert engine.AUTHORITY_LABELS["nhs"] == "NHS body"
    assert vocabularies.codes(vocabularies.AUTHORITY_TYPES) == engine.AUTHORITY_TYPES
