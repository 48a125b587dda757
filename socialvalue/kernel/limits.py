"""The range and decimal places of every kind of number the service accepts. Pure: no Django.

Each limit fits the database column (or the stored JSON) it ends up in, with room to spare,
so a number a person or a program sends is refused with a message saying what is allowed
rather than failing on the way into the database. Forms, the JSON APIs, the Act check's engine
and command, and the catalogue import all read their limits from here.

The bounds are the service's own sanity bounds, not figures from law or guidance: £10 billion
is far above any single public contract's whole-life value, and a quantity, proxy or mark
beyond its bound is a typing slip.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socialvalue.kernel import numbers
from socialvalue.kernel.money import MoneyError, to_decimal

_ID_MAX = 2**63 - 1


class LimitError(ValueError):
    """A number outside its limit, or not a number; ``message`` is a sentence for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limit:
    """What a kind of number may be: ``minimum`` (excluded when ``above_minimum``) to
    ``maximum`` inclusive, with at most ``places`` decimal places. ``unit`` is "£" for pounds
    (written before the figure) or "%" (written after it) in messages."""

    minimum: Decimal
    maximum: Decimal
    places: int
    unit: str = ""
    above_minimum: bool = False

    @property
    def max_digits(self) -> int:
        """Digits a database column needs to hold every value within this limit."""
        whole = len(str(int(max(abs(self.minimum), abs(self.maximum)))))
        return whole + self.places

    def shown(self, value: Decimal) -> str:
        """A bound as a person reads it: '£10,000,000,000', '100%', '1,000'."""
        text = numbers.grouped(value)
        if self.unit == "£":
            return f"£{text}"
        return f"{text}{self.unit}"

    def read(self, text: object, *, what: str) -> Decimal | None:
        """A number typed by a person or sent by a program ('£250,000', '12.5', 3), checked
        against this limit; None when blank. ``what`` names it in messages ("a price")."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        if isinstance(text, str):
            text = text.strip()
            if self.unit == "%":
                text = text.removesuffix("%").strip()
        try:
            value = to_decimal(text)
        except MoneyError:
            raise LimitError(f"Enter {what} as {self._kind_with_example()}.") from None
        return self.check(value, what=what)

    def _kind_with_example(self) -> str:
        if self.unit == "£":
            return "a number of pounds, like 250000 or 250,000.50"
        if self.places == 0:
            return "a whole number, like 500"
        return "a number, like 20 or 12.5"

    def check(self, value: Decimal, *, what: str) -> Decimal:
        """``value`` when within this limit (minus zero read as zero), else LimitError."""
        if value > self.maximum:
            raise LimitError(f"Enter {what} of {self.shown(self.maximum)} or less.")
        if self.above_minimum and value <= self.minimum:
            bound = "zero" if self.minimum == 0 else self.shown(self.minimum)
            raise LimitError(f"Enter {what} greater than {bound}.")
        if value < self.minimum:
            if self.minimum == 0:
                raise LimitError(f"{what[:1].upper()}{what[1:]} cannot be negative.")
            raise LimitError(f"Enter {what} of {self.shown(self.minimum)} or more.")
        if decimal_places(value) > self.places:
            if self.places == 0:
                raise LimitError(f"Enter {what} as a whole number.")
            raise LimitError(f"Enter {what} with no more than {self.places} decimal places.")
        # Within range and places, so quantizing is exact: it drops '-0' and exponent notation.
        return value.quantize(Decimal(1).scaleb(-decimal_places(value))) + 0


def read_id(text: object) -> int | None:
    """A database id given in a query string or form ('12'), or None when it cannot be one
    (letters, signs, a number beyond a 64-bit column): the caller answers "not found"."""
    text = str(text if text is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(_ID_MAX)):
        return None
    number = int(text)
    return number if 1 <= number <= _ID_MAX else None


def decimal_places(value: Decimal) -> int:
    """Decimal places that carry a digit: 12.50 has 1, 1E+3 has 0, 1E-30 has 30.

    Worked out from the digits themselves, so no context precision rounds a long number."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - trailing_zeros)


# Pounds: contract values, lot values, bid prices, the Act check's values (columns of 14
# digits with 2 places hold up to about £1 trillion).
MONEY = Limit(minimum=Decimal(0), maximum=Decimal("10000000000"), places=2, unit="£")
# Pounds per unit of a measure (a column of 14 digits with 4 places). The catalogue's largest
# proxy is some tens of thousands of pounds; the bound leaves room for a value of a life.
PROXY_VALUE = Limit(
    minimum=Decimal(0), maximum=Decimal("10000000"), places=4, unit="£", above_minimum=True
)
# A quantity of a measure's unit (14 digits, 2 places): a commitment or a local target. Units
# include pounds spent locally, so the bound matches the money bound.
QUANTITY = Limit(minimum=Decimal(0), maximum=Decimal("10000000000"), places=2, above_minimum=True)
# A criterion's weight, % of the level above (7 digits, 3 places).
WEIGHT = Limit(minimum=Decimal(0), maximum=Decimal(100), places=3, unit="%", above_minimum=True)
# A percentage such as a minimum social value weighting or a VAT rate (6 digits, 2 places).
PERCENT = Limit(minimum=Decimal(0), maximum=Decimal(100), places=2, unit="%")
# The price deduction for each 1% above the lowest price, % of the price weighting.
DEDUCTION = Limit(minimum=Decimal(0), maximum=Decimal(100), places=2, unit="%", above_minimum=True)
# Marks on a question's scale (7 digits, 2 places): the highest mark, a pass mark, a descriptor.
MARK = Limit(minimum=Decimal(0), maximum=Decimal(1000), places=2)
HIGHEST_MARK = Limit(minimum=Decimal(0), maximum=Decimal(1000), places=2, above_minimum=True)
# Words in an answer (a 32-bit column); longer than any tender answer would need.
WORD_LIMIT = Limit(minimum=Decimal(1), maximum=Decimal(100000), places=0)
