"""Usage and environment problems: the command stops with exit 2 and one line.

Problems *inside* a pack are never exceptions; they are findings (see findings.py).
"""

from __future__ import annotations


class SvqmError(Exception):
    """A problem that stops the command before a pack can be checked (exit 2)."""

    exit_code = 2


class UsageError(SvqmError):
    """The command line asks for something that cannot be done."""


class PackNotFound(SvqmError):
    """The pack folder or its svqm.yaml is missing or cannot be opened."""


class OutputError(SvqmError):
    """A file the command was asked to write cannot be written."""
