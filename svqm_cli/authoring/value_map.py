"""`svqm import value-map FILE.xlsx`: a value map sheet becomes a forecast or evaluation,
with the stakeholders and proxies the pack does not have yet.

The sheet may be svqm's own export or an SROI value map kept in Excel: the header row is
found by its names (matched loosely: 'Drop-off %', 'drop_off' and 'Dropoff' are one
column), in any order; columns svqm computes (impact, each year's value, present values)
are skipped. Stakeholders and proxies are matched to the pack's by id, then by name;
the others are written to new stakeholders and proxies documents. Nothing is written until
every row is good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svqm_cli.authoring.grid import (
    Cell,
    Grid,
    cell_finding,
    normalise,
    open_workbook,
    problem,
    read_sheet,
)
from svqm_cli.authoring.importer import read_cell, row_findings
from svqm_cli.authoring.resolve import Known, known_of, slug
from svqm_cli.base.errors import UsageError
from svqm_cli.base.findings import Finding

ALIASES = {
    "stakeholder_name": (
        "stakeholder",
        "stakeholders",
        "stakeholder_group",
        "stakeholder_name",
        "who_experiences_the_change",
    ),
    "stakeholder": ("stakeholder_id",),
    "description": ("outcome", "outcomes", "outcome_description", "description", "what_changes"),
    "indicator": ("indicator", "indicators", "outcome_indicator"),
    "source": ("source", "source_of_quantity", "indicator_source", "quantity_source"),
    "quantity": ("quantity", "amount_of_change", "how_much_change"),
    "duration": ("duration", "duration_years", "duration_of_outcome", "duration_of_outcomes"),
    "start": ("start", "start_1_or_2", "outcome_start", "outcome_starts"),
    "proxy_description": (
        "financial_proxy",
        "proxy",
        "proxy_description",
        "financial_proxy_description",
    ),
    "proxy_value": (
        "proxy_value",
        "value_of_proxy",
        "financial_proxy_value",
        "value_of_financial_proxy",
        "value",
    ),
    "proxy_source": ("proxy_source", "source_of_proxy", "financial_proxy_source"),
    "proxy_unit": ("proxy_unit", "unit"),
    "proxy_year": ("price_year", "proxy_year", "proxy_price_year"),
    "wellby": ("wellbys_per_unit", "wellby", "wellbys"),
    "proxy": ("proxy_id",),
    "deadweight": ("deadweight",),
    "displacement": ("displacement",),
    "attribution": ("attribution",),
    "leakage": ("leakage",),
    "drop_off": ("drop_off", "dropoff"),
    "id": ("outcome_id", "id"),
    "pledge": ("pledge", "pledge_id"),
    "evidence": ("evidence",),
    "method": ("method",),
    "forecast_outcome": ("forecast_outcome",),
    "negative": ("negative", "negative_outcome"),
}
FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# What svqm computes (and SROI value maps show): read past, never imported.
COMPUTED = re.compile(
    r"^(impact(_year_1)?|year_\d+(_present)?_value|(total_)?present_value|total|npv|"
    r"outputs?|inputs?|net_present_value|uprating(_to_base_year)?)$"
)
INPUT_FIELDS = {
    "input_from": "stakeholder_name",
    "stakeholder": "stakeholder_name",
    "input": "description",
    "description": "description",
    "value": "value",
}
TITLE = re.compile(  # the title line of svqm's export (export/tables.py ValueMap.title)
    r"^(?P<kind>Forecast|Evaluation) (?P<id>[a-z0-9][a-z0-9-]*): (?P<scope>.*?)"
    r"(?: \((?P<type>service|department|project|organisation)\))?"
    r"(?:, (?P<start>\d{4}-\d{2}-\d{2}) to (?P<end>\d{4}-\d{2}-\d{2}))?"
    r"(?:; checks forecast (?P<forecast>[a-z0-9][a-z0-9-]*))?$"
)
HEADER_SEARCH = 20  # rows in which to look for the header


def _key(cell: Cell) -> str:
    name = normalise(cell.text)
    return FIELD_OF.get(name, name)


def header_row(grid: Grid) -> int | None:
    """The index of the row naming at least the outcome and its quantity."""
    for index, row in enumerate(grid.rows[:HEADER_SEARCH]):
        keys = {_key(c) for c in row}
        if {"description", "quantity"} <= keys:
            return index
    return None


def _read_rows(
    grid: Grid, start: int
) -> tuple[list[tuple[int, dict[str, Any]]], list[Finding], int]:
    """The outcome rows under the header at START: (row, fields), findings, next index."""
    from svqm_cli.base.suggest import did_you_mean

    header = grid.rows[start]
    keys = [_key(c) for c in header]
    findings = [
        cell_finding(
            grid,
            c,
            f"Unknown column `{c.text}`.{hint}",
            code="SV103",
            hint="Rename the column to one svqm reads (see 'svqm import value-map --help').",
        )
        for c, k in zip(header, keys, strict=True)
        if c.text
        and k not in ALIASES
        and not COMPUTED.match(k)
        and (hint := did_you_mean(k, [*FIELD_OF, *ALIASES]))
    ]
    out: list[tuple[int, dict[str, Any]]] = []
    index = start + 1
    while index < len(grid.rows) and any(c.text for c in grid.rows[index]):
        values: dict[str, Any] = {}
        for cell, key in zip(grid.rows[index], keys, strict=False):
            if key in ALIASES and cell.text:
                value, finding = read_cell(grid, cell, key)
                if finding is not None:
                    findings.append(finding)
                else:
                    values[key] = value
        out.append((grid.rows[index][0].row, values))
        index += 1
    return out, findings, index


def _read_inputs(grid: Grid, start: int) -> tuple[list[tuple[int, dict[str, Any]]], list[Finding]]:
    """The inputs block svqm's export writes under the value map ('Inputs', a header,
    rows), when the sheet has one."""
    for index in range(start, len(grid.rows)):
        row = grid.rows[index]
        if row and normalise(row[0].text) == "inputs" and index + 1 < len(grid.rows):
            keys = [INPUT_FIELDS.get(normalise(c.text), "") for c in grid.rows[index + 1]]
            out, findings = [], []
            for line in grid.rows[index + 2 :]:
                if not any(c.text for c in line):
                    break
                values: dict[str, Any] = {}
                for cell, key in zip(line, keys, strict=False):
                    if key == "value" and cell.text:
                        value, finding = read_cell(grid, cell, "proxy_value")
                        if finding is not None:
                            findings.append(finding)
                        values["value"] = value
                    elif key and cell.text:
                        values[key] = cell.text
                out.append((line[0].row, values))
            return out, findings
    return [], []


ORDER = (
    "negative",
    "pledge",
    "stakeholder",
    "description",
    "indicator",
    "source",
    "quantity",
    "proxy",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "leakage",
    "drop_off",
    "start",
    "evidence",
    "method",
    "forecast_outcome",
)


def _outcome(
    grid: Grid, values: dict[str, Any], known: Known, row: int
) -> tuple[dict[str, Any], list[Finding]]:
    findings: list[Finding] = []
    given = values.get("id", "")
    if given and given in known.ids:
        at = Cell(given, row, 1, f"Row {row}" + (f" of sheet '{grid.sheet}'" if grid.sheet else ""))
        findings.append(
            cell_finding(
                grid,
                at,
                f"the outcome id '{given}' is already used in the pack or above.",
                code="SV201",
                hint="Give the outcome another id, or remove the pack's document that has it.",
            )
        )
    ident = given or known.unique(slug(values.get("description", ""), "outcome"))
    known.ids.add(ident)
    merged = dict(values)
    merged["stakeholder"] = known.stakeholder(
        values.get("stakeholder", ""), values.get("stakeholder_name", ""), row
    )
    merged["proxy"] = known.proxy(values, values.get("indicator", ""), row)
    if merged.get("start") == 1:
        del merged["start"]  # the default
    said = str(merged.get("negative", "")).strip().lower()  # the export writes "yes" (§5.1)
    merged["negative"] = True if said in ("yes", "y", "true", "1") else None
    outcome = {"id": ident}
    outcome.update({k: merged[k] for k in ORDER if merged.get(k) not in (None, "", [])})
    return outcome, findings


def _inputs(rows: list[tuple[int, dict[str, Any]]], known: Known) -> list[dict[str, Any]]:
    out = []
    for row, values in rows:
        entry: dict[str, Any] = {}
        name = values.get("stakeholder_name", "")
        if name:
            entry["stakeholder"] = known.stakeholder("", name, row)
        entry["description"] = values.get("description", "")
        entry["value"] = values.get("value")
        out.append({k: v for k, v in entry.items() if v not in (None, "")})
    return out


def choose_sheet(path: Path, rel: str, sheet: str | None) -> tuple[Grid | None, list[Finding]]:
    """The sheet named, or the one sheet laid out as a value map."""
    book, findings = open_workbook(path, rel)
    if book is None:
        return None, findings
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise UsageError(
                f"'{path.name}' has no sheet '{sheet}'; its sheets: " + ", ".join(book.sheetnames)
            )
        return read_sheet(book, sheet, rel), []
    grids = [read_sheet(book, name, rel) for name in book.sheetnames]
    maps = [g for g in grids if header_row(g) is not None]
    if len(maps) > 1:
        names = ", ".join(f"'{g.sheet}'" for g in maps)
        raise UsageError(
            f"'{path.name}' has {len(maps)} value map sheets ({names}); choose one with --sheet"
        )
    if maps:
        return maps[0], []
    return None, [
        problem(
            "SV102",
            rel,
            "No sheet has a value map header row (columns for the outcome and its quantity).",
            "Name the columns as in 'svqm import value-map --help', "
            "or choose the sheet with --sheet.",
        )
    ]


@dataclass(frozen=True)
class MapOptions:
    kind: str | None
    ident: str | None
    scope: str | None
    sheet: str | None
    output: Path | None


@dataclass(frozen=True)
class Documents:
    """The documents an import writes, by target path; or the findings that stop it."""

    written: dict[Path, dict[str, Any]]
    findings: tuple[Finding, ...]
    outcomes: int = 0
    stakeholders: int = 0
    proxies: int = 0


def _identity(grid: Grid, options: MapOptions, period: dict[str, str]) -> dict[str, Any]:
    """The impact map's kind, id, scope, period and forecast link: from the options, else
    from the title line svqm's export writes, else the defaults."""
    first = grid.rows[0][0].text if grid.rows and grid.rows[0] else ""
    found = TITLE.match(first)
    title = found.groupdict() if found else {}
    kind = options.kind or (title.get("kind") or "forecast").lower()
    if kind not in ("forecast", "evaluation"):
        raise UsageError(f"--kind must be forecast or evaluation, not '{kind}'")
    ident = options.ident or title.get("id")
    if not ident:
        raise UsageError("give the new impact map's id with --id, for example --id outreach-2025")
    scope = {"name": options.scope or title.get("scope") or "Service"}
    scope["type"] = title.get("type") or "service"
    if title.get("start"):
        period = {"start": title["start"], "end": title["end"]}
    head: dict[str, Any] = {"kind": kind, "id": ident, "scope": scope, "period": period}
    if kind == "evaluation" and title.get("forecast"):
        head["forecast"] = title["forecast"]
    return head


def documents(
    path: Path, root: Path, level: int, period: dict[str, str], options: MapOptions
) -> Documents:
    """The impact map, new stakeholders and new proxies for the sheet, or its findings."""
    grid, findings = choose_sheet(path, path.name, options.sheet)
    if grid is None:
        return Documents({}, tuple(findings))
    head = _identity(grid, options, period)
    kind, ident = head["kind"], head["id"]
    known = known_of(root)
    if ident in known.ids:
        raise UsageError(f"the pack already has the id '{ident}'; choose another with --id")
    known.ids.add(ident)
    start = header_row(grid)
    assert start is not None  # choose_sheet found one, or --sheet named it
    rows, findings, after = _read_rows(grid, start)
    outcomes, lines = [], []
    for row, values in rows:
        outcome, problems = _outcome(grid, values, known, row)
        findings.extend(problems)
        outcomes.append(outcome)
        lines.append(row)
    input_rows, problems = _read_inputs(grid, after)
    findings.extend(problems)
    document = {
        **head,
        "inputs": _inputs(input_rows, known),
        "outcomes": outcomes,
    }
    if not outcomes:
        findings.append(
            problem(
                "SV107", grid.file, f"The sheet '{grid.sheet}' has a header but no outcome rows."
            )
        )
    written: dict[Path, dict[str, Any]] = {
        options.output or root / f"{kind}-{ident}.yaml": document
    }
    if not findings:
        findings.extend(row_findings(grid, kind, level, document, lines, "outcomes"))
    extra = (("stakeholders", known.new_stakeholders), ("proxies", known.new_proxies))
    for key, new in extra:
        if new:
            doc: dict[str, Any] = {"kind": key, key: new}
            written[root / f"{key}-{ident}.yaml"] = doc
            if not findings:
                findings.extend(row_findings(grid, key, level, doc, known.rows[key], key))
    return Documents(
        written, tuple(findings), len(outcomes), len(known.new_stakeholders), len(known.new_proxies)
    )


@dataclass(frozen=True)
class MapImport:
    written: tuple[Path, ...]  # empty when the sheet has problems
    report: Any  # a ValidationReport of the sheet's problems (None when written)
    counts: tuple[int, int, int] = (0, 0, 0)  # outcomes, new stakeholders, new proxies


def import_value_map(source: Path, pack: Path, options: MapOptions) -> MapImport:
    """Write the sheet's impact map (and new stakeholders and proxies) into PACK, or report
    every problem and write nothing."""
    from svqm_cli.authoring.edit import dump_document
    from svqm_cli.authoring.importer import problems, target_pack

    into = target_pack(pack, source)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"'{source.name}' is not an Excel workbook (.xlsx)")
    result = documents(source, into.root, into.level, dict(into.period), options)
    if result.findings:
        return MapImport((), problems(into.level, source, result.findings, ()))
    for path in result.written:
        if path.exists():
            raise UsageError(f"'{path}' exists already; import never overwrites a document")
    for path, document in result.written.items():
        note = f"Imported from {source.name}" + (
            ", with the impact map's outcomes. Run 'svqm validate'."
            if document["kind"] in ("stakeholders", "proxies")
            else ". Run 'svqm validate'."
        )
        dump_document(path, document, note)
    return MapImport(
        tuple(result.written), None, (result.outcomes, result.stakeholders, result.proxies)
    )
