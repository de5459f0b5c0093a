"""Price years and wellbeing values (spec §5.7): every proxy brought to the pack's base year
with its deflator, and WELLBY proxies valued from ``settings.wellby``. Pure Decimal.

A proxy's value used in every calculation is ``value x index[base_year] / index[year]``.
When a year cannot be uprated (no deflator, no year, or a year missing from the index) the
value is used as written: rule SV230 reports a missing year as an error, so the figures of
a valid pack are always uprated where the pack asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.base.accessors import as_number, get, mapping, text

ZERO, ONE = Decimal(0), Decimal(1)


@dataclass(frozen=True)
class Deflator:
    source: str
    index: tuple[tuple[int, Decimal], ...]  # (year, index value), in year order

    def of(self, year: int) -> Decimal | None:
        return dict(self.index).get(year)


@dataclass(frozen=True)
class Wellby:
    """The value of one WELLBY (one point of life satisfaction for one person for a year)."""

    value: Decimal
    source: str
    low: Decimal | None = None
    high: Decimal | None = None
    year: int | None = None


@dataclass(frozen=True)
class Pricing:
    base_year: int | None = None
    deflator: Deflator | None = None
    wellby: Wellby | None = None

    def factor(self, year: int | None) -> Decimal:
        """index[base_year] / index[year], or 1 when the value cannot be uprated."""
        return self.uprate(ONE, year)

    def uprate(self, value: Decimal, year: int | None) -> Decimal:
        """VALUE (in YEAR's prices) in base-year prices: value x index[base] / index[year]."""
        if self.deflator is None or self.base_year is None or year is None:
            return value
        base, own = self.deflator.of(self.base_year), self.deflator.of(year)
        if base is None or own is None or own <= 0:
            return value
        return value * base / own  # multiply first: exact whenever the quotient is

    def missing_years(self, *years: int | None) -> list[int]:
        """The years (base year included) the deflator's index lacks."""
        if self.deflator is None or self.base_year is None:
            return []
        wanted = [self.base_year, *years]
        return sorted({y for y in wanted if y is not None and self.deflator.of(y) is None})


@dataclass(frozen=True)
class Priced:
    """One proxy's value: as written in its price year, and as used (base-year prices)."""

    written: Decimal  # a WELLBY proxy: wellby x settings.wellby.value, in the WELLBY's year
    used: Decimal
    year: int | None = None
    wellby: Decimal | None = None  # WELLBYs per unit, when valued in WELLBYs

    @property
    def uprated(self) -> bool:
        return self.used != self.written


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def pricing_from(settings: Mapping[str, Any]) -> Pricing:
    """The base year, deflator and WELLBY value of svqm.yaml's settings (any shape)."""
    raw_deflator = mapping(settings, "deflator")
    index: list[tuple[int, Decimal]] = []
    for key, number in mapping(raw_deflator, "index").items():
        amount = as_number(number)
        if isinstance(key, str) and key.isdigit() and amount is not None and amount > 0:
            index.append((int(key), amount))
    deflator = Deflator(text(raw_deflator, "source") or "", tuple(sorted(index))) if index else None
    raw_wellby = mapping(settings, "wellby")
    value = as_number(get(raw_wellby, "value"))
    wellby = (
        Wellby(
            value=value,
            source=text(raw_wellby, "source") or "",
            low=as_number(get(raw_wellby, "low")),
            high=as_number(get(raw_wellby, "high")),
            year=_year(get(raw_wellby, "year")),
        )
        if value is not None
        else None
    )
    return Pricing(_year(get(settings, "base_year")), deflator, wellby)


def price(proxy: Mapping[str, Any], pricing: Pricing) -> Priced:
    """A proxy's value, written and used: ``value`` in its ``year``, or ``wellby`` WELLBYs
    at the WELLBY value in the WELLBY's year; either brought to the base year."""
    wellby = as_number(proxy.get("wellby"))
    if wellby is not None:
        if pricing.wellby is None:  # SV231 says so; the figures count nothing meanwhile
            return Priced(ZERO, ZERO, None, wellby)
        year = pricing.wellby.year
        written = wellby * pricing.wellby.value
        return Priced(written, pricing.uprate(written, year), year, wellby)
    value = as_number(proxy.get("value")) or ZERO
    year = _year(proxy.get("year"))
    return Priced(value, pricing.uprate(value, year), year)
