"""Sheet names within Excel's rules: at most 31 characters, none of []:*?/\\, not blank,
not starting or ending with an apostrophe, not 'History', unique without regard to case."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LENGTH = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def clean(name: str) -> str:
    """NAME as a legal sheet name (before making it unique)."""
    cleaned = _FORBIDDEN.sub("-", name).strip().strip("'").strip()
    cleaned = cleaned[:MAX_LENGTH].strip()
    if not cleaned or cleaned.lower() == "history":
        cleaned = f"Sheet {cleaned}".strip()
    return cleaned


def sheet_names(wanted: Iterable[str]) -> list[str]:
    """A legal, unique sheet name for each wanted name, in order; clashes get ' (2)', ..."""
    taken: set[str] = set()
    out: list[str] = []
    for name in wanted:
        base = clean(name)
        candidate, number = base, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[: MAX_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out
