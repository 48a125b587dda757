"""Names people type for themselves and their organisations: normalised, checked, compared.

Pure rules, no database: a name is NFKC-normalised (so full-width letters and ligatures become
the ordinary ones) with its spaces collapsed, and is refused when it holds a line break, an
invisible or control character, or (for an organisation) letters of two alphabets mixed, such as a
Cyrillic 'о' in a Latin name. Two organisation names are "the same" when their comparison keys
match: case-folded, letters and digits only, look-alike letters of other alphabets mapped to Latin
with the Unicode confusables data that confusable-homoglyphs ships.
"""

import unicodedata

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError

# Unicode general categories no name needs: controls (line breaks and tabs among them), format
# characters (zero-width space and joiners, direction overrides), line and paragraph separators,
# private-use, surrogate and unassigned code points.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"}


def normalise_name(text: str) -> str:
    """NFKC form with runs of spaces collapsed and the ends trimmed; other characters kept, so
    check_name can say what is wrong with them."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(part for part in text.split(" ") if part).strip(" ")


def check_name(text: str, *, what: str, single_alphabet: bool = False) -> None:
    """Refuse a normalised name holding a line break, an invisible or control character, or (with
    single_alphabet) letters of more than one alphabet. `what` starts the message: "Organisation
    name", "Your full name"."""
    if any(character in _LINE_BREAKS for character in text):
        raise ValidationError(
            f"{what} must be on one line: remove the line break.", code="line_break"
        )
    if any(unicodedata.category(character) in _REFUSED_CATEGORIES for character in text):
        raise ValidationError(
            f"{what} contains an invisible or control character (such as a zero-width space or "
            "a tab). Type it again without copying and pasting.",
            code="invisible_character",
        )
    if single_alphabet and confusables.is_mixed_script(text):
        alphabets = sorted(
            alias.title() for alias in categories.unique_aliases(text) if alias != "COMMON"
        )
        raise ValidationError(
            f"{what} mixes letters from different alphabets ({' and '.join(alphabets)}), which can "
            "make it look like another organisation's name. Write it in one alphabet.",
            code="mixed_script",
        )


def clean_person_name(text: str, *, what: str = "Your full name") -> str:
    """A person's name, normalised; ValidationError when it cannot be used."""
    name = normalise_name(text)
    check_name(name, what=what)
    return name


def clean_organisation_name(text: str, *, what: str = "Organisation name") -> str:
    """An organisation's name, normalised; ValidationError when it cannot be used."""
    name = normalise_name(text)
    check_name(name, what=what, single_alphabet=True)
    return name


def _latin_look_alike(character: str) -> str:
    if character.isascii():
        return character
    found = confusables.is_confusable(character, greedy=True, preferred_aliases=["latin"])
    if found and found[0]["homoglyphs"]:
        return found[0]["homoglyphs"][0]["c"]
    return character


def comparison_key(name: str) -> str:
    """What two organisation names must share to be taken for each other: 'St. Mary's Trust',
    'ST MARYS TRUST' and 'Ѕt Mary's Trust' (a Cyrillic Ѕ) have one key."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(_latin_look_alike(character) for character in text)
    return "".join(
        character
        for character in unicodedata.normalize("NFKC", text).casefold()
        if character.isalnum()
    )


def validate_organisation_name(value: str) -> None:
    """Model field validator: the checks of clean_organisation_name on a stored name, so every
    way of editing an organisation (the admin included) refuses line breaks and hidden characters."""
    check_name(value, what="Organisation name", single_alphabet=True)


def validate_person_name(value: str) -> None:
    """Model field validator for a person's name."""
    check_name(value, what="Full name")
