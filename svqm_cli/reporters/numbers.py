"""How figures are written: money with thousands separators, ratios to 2 places (text),
and JSON numbers rounded as spec §4 says (money 2, ratios 4, months 1)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}
CENT, BASIS, TENTH = Decimal("0.01"), Decimal("0.0001"), Decimal("0.1")


def rounded(value: Decimal | None, places: Decimal) -> Decimal | None:
    """VALUE to PLACES, half up, with as many digits as that needs: a number too big for
    the default 28 digits (a draft pack's `1e400`) is written out, not an error."""
    if value is None:
        return None
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds
        digits = value.adjusted() - places.adjusted() + 2
        return value.quantize(places, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def json_number(value: Decimal | None, places: Decimal = CENT) -> float | int | None:
    """A JSON number rounded to PLACES (None stays null)."""
    exact = rounded(value, places)
    if exact is None:
        return None
    return int(exact) if places == 1 else float(exact)


def money(value: Decimal | None, currency: str = "GBP", pence: bool = True) -> str:
    if value is None:
        return "-"
    symbol = SYMBOLS.get(currency, currency + " ")
    amount = rounded(value, CENT if pence else Decimal(1))
    assert amount is not None
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{2 if pence else 0}f}"


def ratio(value: Decimal | None, currency: str = "GBP") -> str:
    if value is None:
        return "no ratio (inputs are zero)"
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{rounded(value, CENT):,.2f} : {symbol}1"


def number(value: Decimal | None) -> str:
    if value is None:
        return "-"
    text = f"{value.normalize():,f}"
    return text


def percent(value: Decimal | None, places: int = 1) -> str:
    return "-" if value is None else f"{value:+.{places}f}%"


def share(value: Decimal | None) -> str:
    """25% for 0.25, 12.5% for 0.125: one decimal at most, none when it is zero."""
    if value is None:
        return "-"
    text = f"{value * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def rate(value: Decimal) -> str:
    """3.5 for 0.035: a yearly rate as a percentage, without trailing zeros."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".")
