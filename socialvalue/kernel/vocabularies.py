"""The service's fixed word lists, each written once: a code the forms, API and database keep,
and the words people read. Pure: the models' choices, the forms and the engines read them here.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of a word list: ``label`` as a choice or heading, ``hint`` to explain it."""

    code: str
    label: str
    hint: str = ""

    @property
    def noun(self) -> str:
        """The label inside a sentence: 'local authority', but 'NHS body'."""
        first = self.label.split()[0]
        return self.label if first.isupper() else self.label[:1].lower() + self.label[1:]


# The three themes of social value (Public Services (Social Value) Act 2012, s.1(3):
# economic, social and environmental well-being).
THEMES: tuple[Term, ...] = (
    Term("economic", "Economic", "Jobs, skills, fair pay, local and small suppliers."),
    Term("social", "Social", "Communities, health, safety, people facing barriers."),
    Term("environmental", "Environmental", "Carbon, waste, air quality, green places."),
)

# Kinds of contracting authority: the Act check's engine decides by these codes, and an
# authority's organisation record keeps one.
AUTHORITY_TYPES: tuple[Term, ...] = (
    Term("local_authority", "Local authority"),
    Term("housing_association", "Housing association"),
    Term("nhs", "NHS body"),
    Term("central_government", "Central government department"),
    Term("fire", "Fire and rescue authority"),
    Term("police", "Police body"),
    Term("other_public", "Other public body"),
)


def codes(terms: Iterable[Term]) -> tuple[str, ...]:
    """The codes of a word list, in its order."""
    return tuple(term.code for term in terms)


def labels(terms: Iterable[Term]) -> dict[str, str]:
    """``{code: label}`` for a word list, in its order."""
    return {term.code: term.label for term in terms}


def choices(terms: Iterable[Term]) -> list[tuple[str, str]]:
    """``[(code, label), ...]``: the shape of a Django field's or enum's choices."""
    return [(term.code, term.label) for term in terms]


def enum_members(terms: Iterable[Term]) -> list[tuple[str, tuple[str, str]]]:
    """``[("LOCAL_AUTHORITY", (code, label)), ...]``: members for ``models.TextChoices(name,
    ...)``, so a model's choices are this list and not a copy of it."""
    return [(term.code.upper(), (term.code, term.label)) for term in terms]
