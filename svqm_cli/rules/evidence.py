"""Evidence files exist (SV204) and stay inside the pack (SV203)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from svqm_cli.base.findings import Finding, make
from svqm_cli.reading.locate import escape_pointer
from svqm_cli.reading.pack import inside
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

# Keys whose values are files inside the pack: lists of paths, or one path.
LIST_KEYS = frozenset({"evidence", "images"})
SINGLE_KEYS = frozenset({"document"})


def evidence_paths(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, path) for every evidence path in a document.

    Only containers are descended into, and a pointer is built only for them: a pack's
    values are mostly scalars, and this walk visits every one of them."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(value, (dict, list)):
                if key in SINGLE_KEYS and isinstance(value, str) and value:
                    yield f"{pointer}/{escape_pointer(key)}", value
                continue
            here = f"{pointer}/{escape_pointer(key)}"
            if key == "assurance" and isinstance(value, list):  # svqm.yaml (spec §5.2)
                for i, entry in enumerate(value):
                    statement = entry.get("statement") if isinstance(entry, dict) else None
                    if isinstance(statement, str) and statement:
                        yield f"{here}/{i}/statement", statement
            elif key in LIST_KEYS and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str) and item:
                        yield f"{here}/{i}", item
            else:
                yield from evidence_paths(value, here)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, (dict, list)):
                yield from evidence_paths(item, f"{pointer}/{i}")


@rule("SV203", "SV204", reads_files=True)
def evidence_files(ctx: Context) -> Iterator[Finding]:
    """Every evidence file named in the pack exists inside the pack.

    Bad::

        evidence: [../shared-drive/audit.pdf, C:/Users/me/audit.pdf]

    Good::

        evidence: [evidence/clinic-audit-2023.pdf]
    """
    checked: dict[str, tuple[str, str] | None] = {}
    for doc in ctx.docs(*{d.kind for d in ctx.pack.documents if d.kind}):
        for pointer, path in evidence_paths(doc.data):
            if path not in checked:
                checked[path] = _problem(ctx, path)
            problem = checked[path]
            if problem is not None:
                code, message = problem
                yield make(code, message, doc.path, pointer)


def _problem(ctx: Context, path: str) -> tuple[str, str] | None:
    target, why = inside(ctx.pack.root, path)
    if target is None:
        return "SV203", f"The evidence path '{path}' {why}."
    if os.path.isdir(target):
        return "SV204", f"'{path}' is a folder; name the file inside it."
    if os.path.exists(target) and not os.path.isfile(target):
        return "SV204", f"'{path}' is not a regular file (a pipe, a device or a socket)."
    if not os.path.isfile(target):
        return "SV204", f"The evidence file '{path}' does not exist in the pack."
    return None
