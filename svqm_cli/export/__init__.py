"""Spreadsheets out (`svqm export`): the figures of a valid pack as an Excel workbook with
live formulas, or as CSV files. The registry gives `svqm export` its --format choices."""

from __future__ import annotations

from svqm_cli.base.registry import Registry

# Workbook -> {file name: bytes}
EXPORTERS = Registry(__name__, {"xlsx": "xlsx:write", "csv": "csv_files:write"})
