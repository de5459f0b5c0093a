"""The README's table of finding codes, generated from the code table.

Run ``python -m svqm_cli.reporters.codes`` to rewrite the table in README.md; a test fails when the
README and the code table disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from svqm_cli.base.findings import CODES

START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def codes_table() -> str:
    rows = [
        "| Code | Severity | Can change | What it checks | How to fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    for info in CODES.values():
        if info.retired:
            continue
        change = "yes" if info.overridable else "no"
        rows.append(
            f"| {info.code} | {info.severity.value} | {change} | **{info.title}.** "
            f"{info.summary} | {info.hint} |"
        )
    return "\n".join(rows)


def update_readme(readme: Path) -> bool:
    """Rewrite the table between the markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    new = re.sub(
        f"{re.escape(START)}.*?{re.escape(END)}",
        f"{START}\n{codes_table()}\n{END}",
        text,
        flags=re.DOTALL,
    )
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("README.md")
    print("updated" if update_readme(target) else "up to date")
