"""Words for people: units pluralised, numbers with thousands separators, dates as
"31 March 2025", and ids turned into the names readers know."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from svqm_cli.base.accessors import get, shown
from svqm_cli.reporters.numbers import number

# Units whose plural is not the singular + s (or + es after s, x, z, ch, sh).
IRREGULAR = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "life": "lives",
    "half": "halves",
    "shelf": "shelves",
    "leaf": "leaves",
    "analysis": "analyses",
    "diagnosis": "diagnoses",
    "criterion": "criteria",
    "datum": "data",
    "medium": "media",
}
# Units that do not change: abbreviations, money and mass nouns.
UNCHANGED = frozenset(
    {
        "kg",
        "g",
        "t",
        "km",
        "m",
        "kwh",
        "mwh",
        "tco2e",
        "co2e",
        "%",
        "gbp",
        "£",
        "sheep",
        "fish",
        "staff",
        "data",
        "equipment",
        "furniture",
        "advice",
        "information",
        "support",
        "training",
        "waste",
        "people",
        "children",
    }
)
_VOWELS = "aeiou"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _plural_word(word: str) -> str:
    if "-" in word.strip("-"):
        head, _, last = word.rpartition("-")
        return f"{head}-{_plural_word(last)}"
    lower = word.lower()
    if lower in IRREGULAR:
        plural = IRREGULAR[lower]
        return plural.capitalize() if word[:1].isupper() else plural
    if lower in UNCHANGED or not lower.isalpha() or len(lower) < 2:
        return word
    if lower.endswith(("x", "z", "ch", "sh", "ss")):
        return word + "es"
    if lower.endswith("s"):
        return word  # already a plural ('hours') or a mass noun
    if lower.endswith("y") and lower[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def plural(unit: str) -> str:
    """UNIT in the plural: 'clinic' → 'clinics', 'tonne' → 'tonnes', 'person' → 'people';
    in a phrase the first word changes ('bed night' → 'bed nights', 'hour of support' →
    'hours of support')."""
    words = unit.split(" ")
    if not unit.strip():
        return unit
    for joiner in ("of", "per", "in", "at", "for", "with"):
        if joiner in words[1:]:
            at = words.index(joiner, 1) - 1
            words[at] = _plural_word(words[at])
            return " ".join(words)
    at = len(words) - 1
    if at > 0 and not words[at].replace("-", "").isalpha():
        at -= 1  # 'tonne CO2e' → 'tonnes CO2e': a trailing code or symbol stays as it is
    words[at] = _plural_word(words[at])
    return " ".join(words)


def amount(value: Any) -> Decimal | None:
    """VALUE as an exact number when it is one (text '21000' too), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float, str)):
        try:
            found = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            return None
        return found if found.is_finite() else None
    return None


def figure(value: Any) -> str:
    """A number as people read it ('21,000', '4.2'); text that is not a number as written."""
    found = amount(value)
    if found is None:
        return "" if value is None or isinstance(value, (dict, list)) else str(value)
    return number(found)


def quantity(value: Any, unit: str) -> str:
    """'40 clinics', '1 bed', '4.2 tonnes', '21,000 meals': the unit agrees with the number."""
    shown_number = figure(value)
    if not unit:
        return shown_number
    found = amount(value)
    return f"{shown_number} {unit if found is not None and found == 1 else plural(unit)}"


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def prose_date(value: Any) -> str:
    """'31 March 2025' for 2025-03-31 (a date or ISO text); other text as written."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = "" if value is None or isinstance(value, (dict, list)) else str(value)
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        return text
    try:
        return prose_date(dt.date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        return text


def period(data: Any) -> dict[str, str]:
    """A period's start and end as prose dates ('' when absent)."""
    return {key: prose_date(get(data, key)) for key in ("start", "end")}


def name_of(data: Any, fallback: str = "") -> str:
    """What a reader calls an item: its name, title or description, never only its id
    unless nothing else is written."""
    for key in ("name", "title", "description", "scope"):
        found = get(data, key)
        if isinstance(found, dict):
            found = get(found, "description")
        if found is not None and not isinstance(found, (dict, list)) and str(found).strip():
            return str(found)
    return fallback or shown(data, "id")


def joined(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
