"""The parts every export table is made of: a column (its header and the kind of value it
holds, which sets its number format) and a table of plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from svqm_cli.base.accessors import get, scrub


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | money | share | number | integer | ratio | score | months | date | rate


@dataclass(frozen=True)
class Table:
    """A table of values (progress, commitments, LM3). In a workbook, a column named in
    FORMULAS is a formula over the row's other cells, written with their keys in braces
    ('={round_2}/{total_spend}'); CSV files hold the values."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    formulas: tuple[tuple[str, str], ...] = ()


def text_of(data: Any, key: str) -> str:
    """DATA[KEY] as clean text ('' when absent or nested)."""
    value = get(data, key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(scrub(str(value)))
