"""The fixed vocabulary of the pack format (spec §1): kinds, levels, built-in themes, the nine
SVQM standards, the UN SDGs, the Marmot principles and the 12-month period.

No imports beyond the standard library: the command line reads this at start-up to offer
choices without loading the core, and every stage takes these names from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

KINDS = (
    "pack",
    "pledges",
    "stakeholders",
    "proxies",
    "forecast",
    "evaluation",
    "framework",
    "case-study",
    "procurement",
    "commitments",
    "measures",
)

LEVEL_NAMES = {1: "Bronze", 2: "Silver", 3: "Gold", 4: "Platinum"}
LEVEL_WORDS = {name.lower(): level for level, name in LEVEL_NAMES.items()}
LEVEL_HELP = "1-4, or bronze | silver | gold | platinum."
# The kinds each level adds (spec §1): a level needs its own and every lower level's.
LEVEL_KINDS = {
    1: ("pledges",),
    2: ("stakeholders", "proxies", "forecast"),
    3: ("evaluation",),
    4: ("framework",),
}


# Measure frameworks svqm knows by name; a `measures` catalogue in the pack adds its own id.
MEASURE_FRAMEWORKS = ("toms", "ppn0620", "ppn002", "hact", "unit-cost-database", "other")


def level_label(level: int) -> str:
    """'Level 1 (Bronze)': reports name the level both ways."""
    return f"Level {level} ({LEVEL_NAMES.get(level, '?')})"


def parse_level(value: Any) -> int | None:
    """1..4 from a number, an ASCII digit or an award name; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1 <= value <= 4:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        # str.isdigit() accepts '³' and '٣', which int() then refuses or misreads.
        if word in ("1", "2", "3", "4"):
            return int(word)
        return LEVEL_WORDS.get(word)
    return None


def required_kinds(level: int) -> list[str]:
    """The kinds a pack at LEVEL needs: its own and every lower level's."""
    return [kind for n in range(1, level + 1) for kind in LEVEL_KINDS.get(n, ())]


# Built-in themes (spec §1) and their names in reports; `themes:` in svqm.yaml replaces them.
THEME_NAMES = {
    "environment": "Environment",
    "wider-public-services": "Wider public services",
    "health-and-wellbeing": "Health and wellbeing",
    "education-and-skills": "Education and skills",
    "employment-and-volunteering": "Employment and volunteering",
    "social-and-community": "Social and community",
    "economic": "Economic",
    "innovation": "Innovation",
    "leadership": "Leadership",
}
BUILTIN_THEMES = tuple(THEME_NAMES)

# The nine SVQM audit standards a Level 4 framework addresses, and their names in reports.
STANDARD_NAMES = {
    "plan": "Plan",
    "demonstrate": "Demonstrate",
    "calculate": "Calculate",
    "report": "Report",
    "eco-system": "Eco System",
    "performance-manage": "Performance Manage",
    "trust": "Trust",
    "influence-and-leadership": "Influence and Leadership",
    "culture": "Culture",
}
STANDARDS = tuple(STANDARD_NAMES)

SDGS = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
MARMOT = {
    1: "Give every child the best start in life",
    2: "Enable all children, young people and adults to maximise their capabilities and "
    "have control over their lives",
    3: "Create fair employment and good work for all",
    4: "Ensure a healthy standard of living for all",
    5: "Create and develop healthy and sustainable places and communities",
    6: "Strengthen the role and impact of ill-health prevention",
    7: "Tackle racism, discrimination and their outcomes",
    8: "Pursue environmental sustainability and health equity together",
}


def one_year_end(start: dt.date) -> dt.date:
    """The last day of a 12-month period that starts on START (end included)."""
    try:
        next_year = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the year after has none
        next_year = dt.date(start.year + 1, 3, 1)
    return next_year - dt.timedelta(days=1)


CURRENCY_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}


def currency_symbol(currency: str) -> str:
    """'£' for GBP; other codes as written with a space ('CHF ')."""
    return CURRENCY_SYMBOLS.get(currency, currency + " ")
