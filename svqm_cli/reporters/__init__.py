"""Reporters turn a ValidationReport into text. One plain dict is the registry, and it
gives the command line its --format choices."""

from __future__ import annotations

from collections.abc import Callable

from svqm_cli.check import ValidationReport
from svqm_cli.reporters import ci, json_format, text

Reporter = Callable[[ValidationReport, bool], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
    "github": ci.github,
    "sarif": ci.sarif,
    "junit": ci.junit,
}
