"""`svqm export --format csv`: the workbook's tables as values, one UTF-8 file each (with a
byte-order mark, so Excel reads the £ sign), text that a spreadsheet would take for a
formula prefixed with an apostrophe."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from svqm_cli.export.columns import Column, Table
from svqm_cli.export.tables import (
    FORMULA_STARTS,
    IMPACT,
    MAP_INPUT_COLUMNS,
    MAP_REFERENCE_COLUMNS,
    SUMMARY_COLUMNS,
    TOTAL_PV,
    Export,
    ValueMap,
    cell,
    year_columns,
)

CENTS = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
ONE_PLACE = Decimal("0.1")


def shown(value: Any, kind: str) -> str:
    """A cell as CSV text: money to the penny, ratios to 4 places, shares as written."""
    if type(value) is str:  # the usual case first
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        if kind == "money":
            return str(value.quantize(CENTS))
        if kind in ("ratio", "score"):
            return str(value.quantize(FOUR_PLACES))
        if kind == "months":
            return str(value.quantize(ONE_PLACE))
        return format(value.normalize(), "f")
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(columns: Iterable[Column], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    chosen = list(columns)
    kinds = [c.kind for c in chosen]
    out.writerow([shown(c.header, "text") for c in chosen])
    for row in rows:
        out.writerow([shown(v, kind) for kind, v in zip(kinds, row, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _map_rows(vm: ValueMap) -> tuple[list[Column], list[list[Any]]]:
    years = vm.years
    values, present = year_columns(years)
    columns = [*MAP_INPUT_COLUMNS, IMPACT, *values, *present, TOTAL_PV, *MAP_REFERENCE_COLUMNS]
    rows = []
    for outcome in vm.outcomes:
        figures = outcome.figures
        padding = [Decimal(0)] * (years - len(figures.yearly))
        yearly = [*figures.yearly, *padding]
        discounted = [*figures.discounted, *padding]
        rows.append(
            [
                *(cell(outcome, c.key) for c in MAP_INPUT_COLUMNS),
                figures.impact_year_1,
                *yearly,
                *discounted,
                figures.present_value,
                *(cell(outcome, c.key) for c in MAP_REFERENCE_COLUMNS),
            ]
        )
    return columns, rows


INPUTS = (
    Column("map", "Impact map", "text"),
    Column("stakeholder", "Input from", "text"),
    Column("description", "Input", "text"),
    Column("value", "Value", "money"),
)
SETTINGS = (Column("setting", "Setting", "text"), Column("value", "Value", "text"))


def _summary_row(vm: ValueMap) -> tuple[Any, ...]:
    return (
        vm.kind,
        vm.id,
        vm.scope,
        vm.start,
        vm.end,
        vm.figures.inputs_total,
        vm.figures.present_value,
        vm.figures.net_present_value,
        vm.figures.sroi_ratio,
        vm.figures.payback_months,
    )


def write(export: Export) -> dict[str, bytes]:
    """File name -> bytes: summary, settings, inputs, one file per impact map, the tables.
    The maps are read once, each map's rows let go once its file is written."""
    summary: list[tuple[Any, ...]] = []
    inputs: list[tuple[Any, ...]] = []
    maps: dict[str, bytes] = {}
    for vm in export.maps:
        summary.append(_summary_row(vm))
        inputs.extend((vm.id, i.stakeholder, i.description, i.value) for i in vm.inputs)
        columns, rows = _map_rows(vm)
        maps[f"{vm.kind}-{vm.id}.csv"] = _csv(columns, rows)
    files = {
        "summary.csv": _csv(SUMMARY_COLUMNS, summary),
        "settings.csv": _csv(
            SETTINGS,
            [
                ("Organisation", export.organisation),
                ("Currency", export.currency),
                ("Discount rate", export.discount_rate),
                ("Discount the first year", export.discount_first_year),
            ],
        ),
        "inputs.csv": _csv(INPUTS, inputs),
        **maps,
    }
    tables: list[Table | None] = [export.progress, export.commitments, export.lm3]
    for table in tables:
        if table is not None:
            files[f"{table.name.lower()}.csv"] = _csv(table.columns, table.rows)
    return files
