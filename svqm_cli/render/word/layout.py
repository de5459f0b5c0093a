"""Page geometry and column widths for the Word report, worked out from the text itself.

Word and LibreOffice lay a table out from the widths the file gives them; left to
themselves they share the width equally, and a long word or a sum of money then breaks
mid-way ("Peopl e", "£40,1 22.29"). Here each column is at least as wide as its longest
unbreakable token (estimated from character widths of Arial at the table's font size), and
what is left is shared out in proportion to how much more each column would like.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

TWIPS_PER_MM = 1440 / 25.4

# A4 and the PDF's margins (report.css: @page { size: A4; margin: 18mm 15mm 20mm }).
PAGE_WIDTH = round(210 * TWIPS_PER_MM)  # 11906
PAGE_HEIGHT = round(297 * TWIPS_PER_MM)  # 16838
MARGIN_TOP = round(18 * TWIPS_PER_MM)
MARGIN_SIDE = round(15 * TWIPS_PER_MM)
MARGIN_BOTTOM = round(20 * TWIPS_PER_MM)
HEADER_FOOTER_DISTANCE = round(8 * TWIPS_PER_MM)
PORTRAIT_TEXT = PAGE_WIDTH - 2 * MARGIN_SIDE
LANDSCAPE_TEXT = PAGE_HEIGHT - 2 * MARGIN_SIDE

CELL_PADDING = 85  # twips left and right of the text in a cell (0.15 cm)
SAFETY = 1.06  # estimates run a little wide, so that a real font never breaks a token

FONT = "Arial"  # Word has it everywhere; LibreOffice stands in Liberation Sans, same metrics
BODY_SIZE = 10.0
CHART_CM = 16  # a chart picture's width on the page
TABLE_SIZE = 9.0
WIDE_TABLE_SIZE = 8.0
WIDE_COLUMNS = 7  # from this many columns a table with long text goes landscape

# Advance widths of Arial in ems, by character class (the Helvetica metrics).
_NARROW = {c: 0.278 for c in " .,:;'!|/\\[]Iijlf t"}
_NARROW.update({"r": 0.333, "(": 0.333, ")": 0.333, "-": 0.333, '"': 0.355, "*": 0.389})
_WIDE = {"m": 0.833, "w": 0.722, "M": 0.833, "W": 0.944, "%": 0.889, "@": 1.015, "—": 1.0}


@functools.lru_cache(maxsize=4096)
def char_width(c: str) -> float:
    """The advance of C in ems (an upper estimate where the class is mixed)."""
    if c in _NARROW:
        return _NARROW[c]
    if c in _WIDE:
        return _WIDE[c]
    if c.isdigit() or c in "£$€#_+=<>~^?&":
        return 0.556 if c != "&" else 0.667
    if c.islower():
        return 0.556
    if c.isupper():
        return 0.722
    if ord(c) >= 0x2E80:  # CJK and other full-width scripts
        return 1.0
    return 0.6


def text_width(text: str, size: float, bold: bool = False) -> int:
    """The width of TEXT on one line, in twips, at SIZE points."""
    return round(_ems(text, bold) * size * 20 * SAFETY)


@functools.lru_cache(maxsize=65536)
def _ems(text: str, bold: bool) -> float:
    return sum(map(char_width, text)) * (1.08 if bold else 1.0)


@dataclass(frozen=True)
class ColumnNeeds:
    least: int  # the longest unbreakable token, with padding: narrower breaks a word
    most: int  # the longest line, with padding: wider only adds white space


def _column_ems(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[tuple[float, float]]:
    """Each column's longest token and longest line, in ems (the same at every size)."""
    result = []
    for i, title in enumerate(header):
        cells = [(title, True)] + [(str(row[i]), False) for row in rows if i < len(row)]
        least = most = 0.0
        for text, bold in cells:
            for line in text.split("\n"):
                most = max(most, _ems(line, bold))
                for token in line.split():
                    least = max(least, _ems(token, bold))
        result.append((least, max(most, least)))
    return result


def needs(header: Sequence[str], rows: Sequence[Sequence[str]], size: float) -> list[ColumnNeeds]:
    """Each column's narrowest and widest useful width, in twips."""
    return _at_size(_column_ems(header, rows), size)


def _at_size(ems: Sequence[tuple[float, float]], size: float) -> list[ColumnNeeds]:
    pad = 2 * CELL_PADDING + 20
    scale = size * 20 * SAFETY
    return [ColumnNeeds(round(a * scale) + pad, round(b * scale) + pad) for a, b in ems]


def widths(columns: Sequence[ColumnNeeds], available: int) -> list[int]:
    """Widths summing to AVAILABLE: every column at least its least, the rest shared in
    proportion to what each would still like (the CSS automatic table layout)."""
    least = sum(c.least for c in columns)
    most = sum(c.most for c in columns)
    if most <= available:
        spare = available - most
        shares = [c.most + spare * c.most / most for c in columns]
    elif least <= available:
        ratio = (available - least) / (most - least)
        shares = [c.least + (c.most - c.least) * ratio for c in columns]
    else:  # a token wider than the page: scale down, the only place a word may break
        shares = [c.least * available / least for c in columns]
    result = [int(s) for s in shares]
    result[-1] += available - sum(result)
    return result


@dataclass(frozen=True)
class Plan:
    """How one table goes on the page: its font size, orientation and column groups (each
    a list of column indexes; more than one group when the table is split)."""

    size: float
    landscape: bool
    groups: list[list[int]]
    widths: list[list[int]]


def plan(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Plan:
    """Portrait when the table fits the text width; landscape when it has many columns of
    long text or its tokens do not fit portrait; split into groups of columns (the first
    repeated) when even landscape is too narrow."""
    every = list(range(len(header)))
    ems = _column_ems(header, rows)
    for size, landscape in (
        (TABLE_SIZE, False),
        (WIDE_TABLE_SIZE, False),
        (TABLE_SIZE, True),
        (WIDE_TABLE_SIZE, True),
    ):
        cols = _at_size(ems, size)
        room = LANDSCAPE_TEXT if landscape else PORTRAIT_TEXT
        many = len(header) >= WIDE_COLUMNS and sum(c.most for c in cols) > PORTRAIT_TEXT
        if sum(c.least for c in cols) <= room and (landscape or not many):
            return Plan(size, landscape, [every], [widths(cols, room)])
    cols = _at_size(ems, WIDE_TABLE_SIZE)
    if any(cols[0].least + c.least > LANDSCAPE_TEXT for c in cols[1:]) or len(cols) < 3:
        # One token wider than a landscape page (a long web address): splitting would not
        # help, so the table stays whole and only that token may break.
        return Plan(WIDE_TABLE_SIZE, True, [every], [widths(cols, LANDSCAPE_TEXT)])
    groups = _split(cols, LANDSCAPE_TEXT)
    return Plan(
        WIDE_TABLE_SIZE,
        True,
        groups,
        [widths([cols[i] for i in g], LANDSCAPE_TEXT) for g in groups],
    )


def _split(cols: Sequence[ColumnNeeds], room: int) -> list[list[int]]:
    """Groups of columns that each fit ROOM, every group starting with column 0."""
    groups: list[list[int]] = []
    current = [0]
    used = cols[0].least
    for i in range(1, len(cols)):
        if len(current) > 1 and used + cols[i].least > room:
            groups.append(current)
            current, used = [0], cols[0].least
        current.append(i)
        used += cols[i].least
    groups.append(current)
    return groups
