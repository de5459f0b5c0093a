"""Bar charts as inline SVG, made here: no script, no fonts or files fetched.

Labels are escaped; the same figures always give the same bytes.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from svqm_cli.reporters.numbers import money

WIDTH, LABEL, ROW, BAR = 680, 250, 30, 18
COLOURS = ("#1f5f8b", "#e08a2c")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(rows: list[tuple[str, Decimal]], currency: str) -> str:
    """One horizontal bar per row, longest first as given; empty string for no rows."""
    if not rows:
        return ""
    top = max((v for _, v in rows), default=Decimal(0))
    scale = (WIDTH - LABEL - 120) / float(top) if top > 0 else 0.0
    height = ROW * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * ROW
        width = max(float(value) * scale, 0.0)
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 14}" text-anchor="end" font-size="12" '
            f'font-family="sans-serif">{escape(_short(label))}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(money(value, currency))}'
            f"</title></rect>"
            f'<text x="{LABEL + width + 6:.1f}" y="{y + 14}" font-size="12" '
            f'font-family="sans-serif">{escape(money(value, currency, pence=False))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    rows: list[tuple[str, Decimal, Decimal]], names: tuple[str, str], currency: str
) -> str:
    """Two bars a row (for example forecast and actual), with a legend."""
    if not rows:
        return ""
    top = max((max(a, b) for _, a, b in rows), default=Decimal(0))
    scale = (WIDTH - LABEL - 120) / float(top) if top > 0 else 0.0
    row = 2 * (BAR - 4) + 14
    height = row * len(rows) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
    ]
    for k, name in enumerate(names):
        x = LABEL + k * 120
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[k]}"/>'
            f'<text x="{x + 18}" y="15" font-size="12" font-family="sans-serif">'
            f"{escape(name)}</text>"
        )
    for i, (label, first, second) in enumerate(rows):
        y = 28 + i * row
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 17}" text-anchor="end" font-size="12" '
            f'font-family="sans-serif">{escape(_short(label))}</text>'
        )
        for k, value in enumerate((first, second)):
            width = max(float(value) * scale, 0.0)
            by = y + k * (BAR - 4)
            parts.append(
                f'<rect x="{LABEL}" y="{by}" width="{width:.1f}" height="{BAR - 6}" '
                f'fill="{COLOURS[k]}"/>'
                f'<text x="{LABEL + width + 6:.1f}" y="{by + 10}" font-size="10" '
                f'font-family="sans-serif">{escape(money(value, currency, pence=False))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
