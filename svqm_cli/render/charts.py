"""Bar charts as inline SVG, made here: no script, no fonts or files fetched.

Labels are escaped; the same figures always give the same bytes.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from svqm_cli.reporters.numbers import money

WIDTH, LABEL, ROW, BAR = 680, 250, 30, 18
LINE = 36  # characters of a label line: about 240 px at 11-12 px sans-serif
COLOURS = ("#1f5f8b", "#e08a2c")


def _lines(text: str, limit: int = LINE) -> list[str]:
    """TEXT on at most two lines of LIMIT characters, broken between words; what does not
    fit ends the second line with '…'. The start of a label is never cut."""
    words, lines = text.split(), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if len(joined) <= limit or not lines[-1]:
            lines[-1] = joined
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= limit else line[: limit - 1].rstrip() + "…" for line in lines]


def _label(text: str, y: int) -> str:
    """A row's label, right-aligned before the bars, on one line or two (centred on Y)."""
    lines = _lines(text)
    size = 12 if len(lines) == 1 else 11
    spans = "".join(
        f'<tspan x="{LABEL - 8}" y="{y + (0 if len(lines) == 1 else (i * 12) - 6)}">'
        f"{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{LABEL - 8}" y="{y}" text-anchor="end" font-size="{size}" '
        f'font-family="sans-serif">{spans}</text>'
    )


def _open(height: int, title: str, css: str = "chart") -> str:
    """The SVG element with its accessible name: role="img" and a <title> first."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}"><title>{escape(title)}</title>'
    )


def bars(rows: list[tuple[str, Decimal]], currency: str, title: str) -> str:
    """One horizontal bar per row, longest first as given; empty string for no rows."""
    if not rows:
        return ""
    top = max((v for _, v in rows), default=Decimal(0))
    scale = (WIDTH - LABEL - 120) / float(top) if top > 0 else 0.0
    height = ROW * len(rows) + 10
    parts = [_open(height, title)]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * ROW
        width = max(float(value) * scale, 0.0)
        parts.append(
            _label(label, y + 14) + f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(money(value, currency))}'
            f"</title></rect>"
            f'<text x="{LABEL + width + 6:.1f}" y="{y + 14}" font-size="12" '
            f'font-family="sans-serif">{escape(money(value, currency, pence=False))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    rows: list[tuple[str, Decimal, Decimal]], names: tuple[str, str], currency: str, title: str
) -> str:
    """Two bars a row (for example forecast and actual), with a legend."""
    if not rows:
        return ""
    top = max((max(a, b) for _, a, b in rows), default=Decimal(0))
    scale = (WIDTH - LABEL - 120) / float(top) if top > 0 else 0.0
    row = 2 * (BAR - 4) + 14
    height = row * len(rows) + 34
    parts = [_open(height, title)]
    for k, name in enumerate(names):
        x = LABEL + k * 120
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[k]}"/>'
            f'<text x="{x + 18}" y="15" font-size="12" font-family="sans-serif">'
            f"{escape(name)}</text>"
        )
    for i, (label, first, second) in enumerate(rows):
        y = 28 + i * row
        parts.append(_label(label, y + 17))
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


def tornado(
    rows: list[tuple[str, Decimal, Decimal]], base: Decimal, currency: str, title: str
) -> str:
    """A tornado chart: one bar per assumption from the ratio with it moved one way to the
    ratio with it moved the other, widest first as given, about a line at the central
    ratio (and a dashed line at 1:1 when it falls inside the chart)."""
    if not rows:
        return ""
    low = min([base, *(a for _, a, _ in rows)])
    high = max([base, *(b for _, _, b in rows)])
    span = float(high - low) or 1.0
    left, right = LABEL + 60, WIDTH - 70
    scale = (right - left) / span

    def x(value: Decimal) -> float:
        return left + float(value - low) * scale

    height = ROW * len(rows) + 40
    symbol = _symbol(currency)
    parts = [_open(height, title, "chart tornado")]
    for i, (label, a, b) in enumerate(rows):
        y = 5 + i * ROW
        parts.append(
            _label(label, y + 14)
            + f'<rect x="{x(a):.1f}" y="{y}" width="{max(x(b) - x(a), 1.0):.1f}" height="{BAR}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {symbol}{a:.2f} to {symbol}{b:.2f}'
            f"</title></rect>"
            f'<text x="{x(a) - 4:.1f}" y="{y + 14}" text-anchor="end" font-size="11" '
            f'font-family="sans-serif">{symbol}{a:.2f}</text>'
            f'<text x="{x(b) + 4:.1f}" y="{y + 14}" font-size="11" '
            f'font-family="sans-serif">{symbol}{b:.2f}</text>'
        )
    bottom = 5 + len(rows) * ROW
    parts.append(
        f'<line x1="{x(base):.1f}" y1="0" x2="{x(base):.1f}" y2="{bottom}" '
        f'stroke="#222" stroke-width="1.5"/>'
        f'<text x="{x(base):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
        f'font-family="sans-serif">central {symbol}{base:.2f} : {symbol}1</text>'
    )
    if low < 1 < high:
        one = x(Decimal(1))
        parts.append(
            f'<line x1="{one:.1f}" y1="0" x2="{one:.1f}" y2="{bottom}" stroke="#b22" '
            f'stroke-width="1" stroke-dasharray="4 3"/>'
            f'<text x="{one:.1f}" y="{bottom + 30}" text-anchor="middle" font-size="11" '
            f'fill="#b22" font-family="sans-serif">1 : 1</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _symbol(currency: str) -> str:
    from svqm_cli.base.vocabulary import currency_symbol

    return currency_symbol(currency)


TRACK, MARK = "#d9dee3", "#222222"
Progress = tuple[str, Decimal, Decimal, Decimal | None]  # label, target, delivered, expected


def _shares(rows: list[Progress]) -> list[tuple[Decimal, Decimal | None]]:
    """(delivered, trajectory) as shares of each target (a zero target counts as reached)."""
    return [
        (d / t if t > 0 else Decimal(1), None if e is None or t <= 0 else e / t)
        for _, t, d, e in rows
    ]


def _done(target: Decimal, delivered: Decimal) -> str:
    percent = f" ({delivered / target * 100:.0f}%)" if target > 0 else ""
    return f"{delivered.normalize():,f} of {target.normalize():,f}{percent}"


def progress_bars(rows: list[Progress], title: str) -> str:
    """Delivered against target and trajectory, one row a commitment: the grey track is the
    target, the bar what was delivered, the black mark where the straight line from nothing
    at the start of the term to the target at its end stands at the latest delivery."""
    if not rows:
        return ""
    shares = _shares(rows)
    top = max([Decimal(1), *(s for s, _ in shares)])
    span = WIDTH - LABEL - 120
    scale = span / float(top)
    height = ROW * len(rows) + 34
    parts = [
        _open(height, title),
        f'<rect x="{LABEL}" y="4" width="12" height="12" fill="{COLOURS[0]}"/>'
        f'<text x="{LABEL + 18}" y="15" font-size="12" font-family="sans-serif">Delivered</text>'
        f'<rect x="{LABEL + 90}" y="4" width="12" height="12" fill="{TRACK}"/>'
        f'<text x="{LABEL + 108}" y="15" font-size="12" font-family="sans-serif">Target</text>'
        f'<rect x="{LABEL + 166}" y="2" width="3" height="16" fill="{MARK}"/>'
        f'<text x="{LABEL + 175}" y="15" font-size="12" font-family="sans-serif">'
        f"Straight-line trajectory</text>",
    ]
    for i, ((label, target, delivered, _), (done, due)) in enumerate(
        zip(rows, shares, strict=True)
    ):
        y = 28 + i * ROW
        parts.append(
            _label(label, y + 14)
            + f'<rect x="{LABEL}" y="{y}" width="{scale:.1f}" height="{BAR}" fill="{TRACK}"/>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{float(done) * scale:.1f}" '
            f'height="{BAR - 8}" fill="{COLOURS[0]}"><title>{escape(label)}: '
            f"{escape(_done(target, delivered))}</title></rect>"
        )
        if due is not None:
            x = LABEL + float(due) * scale
            parts.append(
                f'<rect x="{x - 1.5:.1f}" y="{y - 2}" width="3" height="{BAR + 4}" fill="{MARK}"/>'
            )
        parts.append(
            f'<text x="{LABEL + span + 8}" y="{y + 14}" font-size="11" '
            f'font-family="sans-serif">{escape(_done(target, delivered))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_text(rows: list[Progress], width: int = 30) -> list[dict[str, str]]:
    """The same chart in characters, for Markdown: for each row a bar of '█' delivered,
    '░' the rest of the target and '┃' the trajectory, the figure and the label."""
    shares = _shares(rows)
    top = max([Decimal(1), *(s for s, _ in shares)])
    out = []
    for (label, target, delivered, _), (done, due) in zip(rows, shares, strict=True):
        track = round(width / top)
        filled = round(done * width / top)
        cells = ["█" if i < filled else ("░" if i < track else " ") for i in range(width)]
        if due is not None:
            cells[min(round(due * width / top), width - 1)] = "┃"
        out.append(
            {"bar": "".join(cells).rstrip(), "figure": _done(target, delivered), "label": label}
        )
    return out
