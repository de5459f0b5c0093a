"""Issue 16's limits in Word: the line saying how many outcome rows are left out, with the
totals of all of an impact map's outcomes by stakeholder and by theme, and the line saying
how many impact maps have no detailed section (render/limits.py)."""

from __future__ import annotations

from typing import Any

from svqm_cli.render.word.parts import table
from svqm_cli.render.word.text import add_paragraph


def omitted(doc: Any, m: dict[str, Any]) -> None:
    """After an impact map's outcome table: nothing, unless rows were left out."""
    left = m.get("omitted")
    if not left:
        return
    add_paragraph(doc, left["line"])
    for what, key in (("Stakeholder", "by_stakeholder"), ("Theme", "by_theme")):
        table(
            doc,
            [f"{what} (all {left['total']} outcomes)", "Outcomes", "Present value"],
            [[g["name"], g["outcomes"], g["present_value"]] for g in left[key]],
            {1, 2},
        )


EXPORT = " svqm export has every impact map outcome by outcome."


def map_limit(doc: Any, d: dict[str, Any], short: bool = False) -> None:
    """The line about the impact maps without a detailed section (nothing without a limit):
    in full in the executive summary and the outcomes, short in the other detailed
    sections, as in the HTML and Markdown."""
    note = d.get("map_limit")
    if note:
        add_paragraph(doc, note["short"] + EXPORT if short else note["line"])
