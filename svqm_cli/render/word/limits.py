"""Issue 16's row limit in Word: the line saying how many outcome rows are left out, and
the totals of all of an impact map's outcomes by stakeholder and by theme (render/limits.py)."""

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
