"""Reporters turn a result into text, one registry per command: the registry gives the
command line its --format choices and imports a reporter only when it is used."""

from __future__ import annotations

from svqm_cli.base.registry import Registry

# validate: ValidationReport, color -> str
REPORTERS = Registry(
    __name__,
    {
        "text": "text:render",
        "json": "json_format:render",
        "github": "ci:github",
        "sarif": "ci:sarif",
        "junit": "ci:junit",
    },
)
# value: ValueReport, color -> str
VALUE_REPORTERS = Registry(__name__, {"text": "value:render_text", "json": "value:render_json"})
# diff: PackDiff -> str
DIFF_REPORTERS = Registry(
    __name__, {"text": "diff:markdown", "md": "diff:markdown", "json": "diff:as_json"}
)
