"""`svqm import progress FILE`: quarterly progress rows (pledge, measure, actual, as_of,
evidence) added to the pledges they measure, keeping each pledges file's comments.

Each row is checked against the pack first: the pledge exists, the measure is one of its
targets, the actual is a number, the date is a date, the evidence files are in the pack.
A row already in the pack with the same figure is skipped (so a whole year's sheet can be
imported again each quarter); with a different figure it is a finding. Nothing is written
until every row is good.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from svqm_cli.authoring.grid import (
    EMPTY_HINT,
    Cell,
    Grid,
    cell_finding,
    date_of,
    normalise,
    number_of,
    problem,
    read_grid,
)
from svqm_cli.base.accessors import as_number, get, items, text
from svqm_cli.base.findings import Finding
from svqm_cli.base.suggest import did_you_mean

REQUIRED = ("pledge", "measure", "actual", "as_of")
COLUMNS = (*REQUIRED, "evidence")
ALIASES = {"pledge_id": "pledge", "as_at": "as_of", "date": "as_of", "value": "actual"}


@dataclass
class Pledge:
    file: str  # the pledges document that holds it
    index: int  # its place in that document's list
    measures: tuple[str, ...]
    recorded: dict[tuple[str, str], Decimal | None]  # (measure, as_of) -> actual


@dataclass
class Progress:
    """The rows to add, by pledges file; the rows already there; the findings."""

    added: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    skipped: int = 0
    findings: list[Finding] = field(default_factory=list)


def pledges_of(root: Path) -> dict[str, Pledge]:
    from svqm_cli.checking.scan import scan

    pack, _ = scan(root)
    found: dict[str, Pledge] = {}
    for doc in pack.of_kind("pledges"):
        for index, pledge in items(doc.data, "pledges"):
            ident = text(pledge, "id")
            if ident is None or ident in found:
                continue
            measures = tuple(m for _, t in items(pledge, "targets") if (m := text(t, "measure")))
            recorded = {
                (text(p, "measure") or "", str(get(p, "as_of"))): as_number(get(p, "actual"))
                for _, p in items(pledge, "progress")
            }
            found[ident] = Pledge(doc.path, index, measures, recorded)
    return found


def _columns(grid: Grid, progress: Progress) -> list[str]:
    header = grid.rows[0]
    names = [ALIASES.get(normalise(c.text), normalise(c.text)) for c in header]
    for cell, name in zip(header, names, strict=True):
        if name and name not in COLUMNS:
            why = f"Unknown column `{cell.text}`.{did_you_mean(name, COLUMNS)}"
            hint = "Columns: " + ", ".join(COLUMNS) + "."
            progress.findings.append(cell_finding(grid, cell, why, code="SV103", hint=hint))
    first = header[0] if header else Cell("", 1, 1, "Row 1")
    for name in REQUIRED:
        if name not in names:
            why = f"The header has no `{name}` column."
            hint = "Columns: " + ", ".join(COLUMNS) + " (evidence is optional)."
            progress.findings.append(cell_finding(grid, first, why, code="SV102", hint=hint))
    return names


def _evidence(grid: Grid, cell: Cell, root: Path) -> tuple[list[str], list[Finding]]:
    from svqm_cli.reading.pack import inside

    files = [p.strip() for p in cell.text.split(";") if p.strip()]
    findings = []
    for rel in files:
        path, why = inside(root, rel)
        if path is None:
            findings.append(cell_finding(grid, cell, f"the evidence '{rel}' {why}.", "SV203"))
        elif not path.is_file():
            findings.append(
                cell_finding(grid, cell, f"the evidence file '{rel}' is not in the pack.", "SV204")
            )
    return files, findings


def _row(
    grid: Grid, cells: dict[str, Cell], pledges: dict[str, Pledge], root: Path
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The progress entry of one row, or the findings about its cells."""
    findings: list[Finding] = []
    pledge = pledges.get(cells["pledge"].text)
    if pledge is None:
        name = cells["pledge"].text
        why = f"the pack has no pledge '{name}'.{did_you_mean(name, pledges)}"
        findings.append(cell_finding(grid, cells["pledge"], why, "SV202"))
    elif cells["measure"].text not in pledge.measures:
        listed = "; ".join(f'"{m}"' for m in pledge.measures)
        why = f"'{cells['pledge'].text}' has no target measured as \"{cells['measure'].text}\"."
        hint = f"Use exactly one of the pledge's measures: {listed}."
        findings.append(cell_finding(grid, cells["measure"], why, "SV208", hint))
    actual = number_of(cells["actual"])
    if actual is None:
        why = f'`actual` is "{cells["actual"].text}", not a number.'
        findings.append(cell_finding(grid, cells["actual"], why))
    as_of = date_of(cells["as_of"])
    if as_of is None:
        why = f'`as_of` is "{cells["as_of"].text}", not a date.'
        hint = "Write the date as YYYY-MM-DD (2025-06-30), or as a date cell in Excel."
        findings.append(cell_finding(grid, cells["as_of"], why, "SV106", hint))
    files, problems = _evidence(grid, cells["evidence"], root) if "evidence" in cells else ([], [])
    findings.extend(problems)
    if findings:
        return None, findings
    entry: dict[str, Any] = {"measure": cells["measure"].text, "actual": actual, "as_of": as_of}
    if files:
        entry["evidence"] = files
    return entry, []


def _known(grid: Grid, cell: Cell, pledge: Pledge, entry: dict[str, Any]) -> Finding | bool:
    """True when the pack has this entry already; a finding when it has another figure."""
    key = (entry["measure"], entry["as_of"])
    if key not in pledge.recorded:
        return False
    if pledge.recorded[key] == entry["actual"]:
        return True
    why = (
        f'progress on "{entry["measure"]}" at {entry["as_of"]} is already in {pledge.file} '
        f"with the figure {pledge.recorded[key]}, not {entry['actual']}."
    )
    hint = f"Correct the row, or change the figure in {pledge.file} and leave the row out."
    return cell_finding(grid, cell, why, "SV201", hint)


def read_progress(grid: Grid, pledges: dict[str, Pledge], root: Path) -> Progress:
    progress = Progress()
    if not grid.rows:
        progress.findings.append(problem("SV004", grid.file, "The file is empty.", EMPTY_HINT))
        return progress
    names = _columns(grid, progress)
    if progress.findings:
        return progress
    for row in grid.rows[1:]:
        cells = {n: c for n, c in zip(names, row, strict=False) if n}
        if not any(c.text for c in cells.values()):
            continue
        for name in REQUIRED:  # a short CSV row lacks its last cells
            cells.setdefault(name, Cell("", row[0].row, 1, row[0].where))
        entry, findings = _row(grid, cells, pledges, root)
        progress.findings.extend(findings)
        if entry is None:
            continue
        pledge = pledges[cells["pledge"].text]
        known = _known(grid, cells["actual"], pledge, entry)
        if isinstance(known, Finding):
            progress.findings.append(known)
        elif known:
            progress.skipped += 1
        else:
            pledge.recorded[(entry["measure"], entry["as_of"])] = entry["actual"]
            progress.added.setdefault(pledge.file, []).append((pledge.index, entry))
    return progress


def _with_entries(text_: str, entries: list[tuple[int, dict[str, Any]]]) -> str:
    """The pledges file's text with ENTRIES appended to their pledges' progress lists."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from svqm_cli.authoring.edit import plain, round_trip

    yaml = round_trip()
    data = yaml.load(text_)
    for index, entry in entries:
        pledge = data["pledges"][index]
        if not isinstance(pledge.get("progress"), list):
            pledge["progress"] = CommentedSeq()
        mapped = CommentedMap(plain(entry))
        mapped["as_of"] = dt.date.fromisoformat(entry["as_of"])  # written as a YAML date
        mapped.fa.set_flow_style()
        pledge["progress"].append(mapped)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class ProgressImport:
    written: tuple[str, ...]  # the pledges files changed
    added: int
    skipped: int
    report: Any  # a ValidationReport of the rows' problems, or None


def import_progress(source: Path, pack: Path, sheet: str | None) -> ProgressImport:
    """Add the progress rows of SOURCE to the pack's pledges, or report every problem."""
    from svqm_cli.authoring.importer import problems, target_pack
    from svqm_cli.base.writing import write_atomic

    into = target_pack(pack, source)
    grid, findings = read_grid(source, source.name, sheet)
    if grid is None:
        return ProgressImport((), 0, 0, problems(into.level, source, tuple(findings), ()))
    result = read_progress(grid, pledges_of(into.root), into.root)
    if result.findings:
        report = problems(into.level, source, tuple(result.findings), grid.lines)
        return ProgressImport((), 0, result.skipped, report)
    new_texts = {
        rel: _with_entries((into.root / rel).read_text(encoding="utf-8"), entries)
        for rel, entries in result.added.items()
    }
    for rel, content in new_texts.items():
        write_atomic(into.root / rel, content)
    added = sum(len(e) for e in result.added.values())
    return ProgressImport(tuple(new_texts), added, result.skipped, None)
