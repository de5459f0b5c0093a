"""What every rule can see: the pack, its level and period, and safe accessors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from svqm_cli.locate import locate
from svqm_cli.pack import PACK_FILE, Document, Pack

BUILTIN_THEMES = (
    "environment",
    "wider-public-services",
    "health-and-wellbeing",
    "education-and-skills",
    "employment-and-volunteering",
    "social-and-community",
    "economic",
    "innovation",
    "leadership",
)
LEVEL_NAMES = {1: "Bronze", 2: "Silver", 3: "Gold", 4: "Platinum"}
LEVEL_WORDS = {"bronze": 1, "silver": 2, "gold": 3, "platinum": 4}


def level_label(level: int) -> str:
    return f"Level {level} ({LEVEL_NAMES.get(level, '?')})"


def parse_level(value: Any) -> int | None:
    """1..4 from a number, a digit string or an award name; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1 <= value <= 4:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word.isdigit() and 1 <= int(word) <= 4:
            return int(word)
        return LEVEL_WORDS.get(word)
    return None


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for each mapping in the list DATA[KEY]; nothing if it is not one."""
    values = data.get(key) if isinstance(data, dict) else None
    if isinstance(values, list):
        for index, item in enumerate(values):
            if isinstance(item, dict):
                yield index, item


def text(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


@dataclass
class Context:
    pack: Pack
    level: int
    clean: frozenset[str] = field(default_factory=frozenset)  # files without errors so far

    @property
    def config(self) -> dict[str, Any]:
        doc = self.pack.pack_document
        data = doc.data if doc is not None else None
        return data if isinstance(data, dict) else {}

    @property
    def scheme(self) -> str | None:
        award = self.config.get("award")
        return text(award, "scheme")

    def period(self) -> tuple[dt.date, dt.date] | None:
        award = self.config.get("award")
        period = award.get("period") if isinstance(award, dict) else None
        if not isinstance(period, dict):
            return None
        start, end = as_date(period.get("start")), as_date(period.get("end"))
        return (start, end) if start and end else None

    def themes(self) -> tuple[str, ...]:
        custom = [t.get("id") for _, t in items(self.config, "themes")]
        if "themes" in self.config:
            return tuple(t for t in custom if isinstance(t, str))
        return BUILTIN_THEMES

    def docs(self, *kinds: str) -> list[Document]:
        return [d for d in self.pack.documents if d.kind in kinds and d.readable]

    def line_of(self, path: str, pointer: str) -> int:
        return locate(self.pack.positions(path).root, pointer)[0]

    @property
    def pack_file(self) -> str:
        return PACK_FILE
