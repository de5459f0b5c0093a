"""`--format json`: one object exactly as spec §4 describes (plus each finding's hint)."""

from __future__ import annotations

import json

from svqm_cli.checking.check import ValidationReport


def render(report: ValidationReport, color: bool = False) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
