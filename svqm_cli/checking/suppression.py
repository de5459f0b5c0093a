"""Adopting svqm on a large pack: inline ignore comments, a baseline of accepted findings,
and only the files a pull request changed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from svqm_cli.base.errors import UsageError
from svqm_cli.base.findings import CODES, Finding
from svqm_cli.base.writing import write_output
from svqm_cli.checking.git import commit_of, run_git
from svqm_cli.reading.locate import split_pointer

_IGNORE = re.compile(r"#\s*svqm:\s*ignore\[([A-Za-z0-9,\s]+)\]")


def ignored_codes(line: str) -> set[str]:
    match = _IGNORE.search(line)
    return {c.strip().upper() for c in match.group(1).split(",")} if match else set()


def silenced(finding: Finding, lines: list[str]) -> bool:
    """`# svqm: ignore[SV204]` on the finding's line, or alone on the line above it.
    Only rule codes can be silenced: a file that cannot be read or has the wrong shape
    cannot be checked further."""
    info = CODES.get(finding.code)
    if info is None or not info.overridable:
        return False
    n = finding.location.line
    if not 1 <= n <= len(lines):
        return False
    if finding.code in ignored_codes(lines[n - 1]):
        return True
    above = lines[n - 2] if n >= 2 else ""
    return above.lstrip().startswith("#") and finding.code in ignored_codes(above)


def stable_pointer(data: Any, pointer: str) -> str:
    """The pointer with list positions replaced by the item's id where it has one, so that
    adding a pledge above does not change every later finding's fingerprint."""
    out, node = [], data
    for part in split_pointer(pointer):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            ident = node.get("id") if isinstance(node, dict) else None
            out.append(f"[{ident}]" if isinstance(ident, str) else part)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            out.append(part)
    return "/" + "/".join(out) if out else ""


def fingerprint(finding: Finding, data: Any) -> str:
    return (
        f"{finding.code}|{finding.location.file}|{stable_pointer(data, finding.location.pointer)}"
    )


def read_baseline(path: Path) -> frozenset[str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["findings"]
        return frozenset(f"{e['code']}|{e['file']}|{e['where']}" for e in entries)
    except FileNotFoundError as exc:
        raise UsageError(f"no baseline file at '{path}' (write one with --write-baseline)") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"'{path}' is not an svqm baseline file") from exc


def write_baseline(path: Path, prints: list[tuple[str, str]]) -> None:
    """Write (fingerprint, message) pairs, sorted, as the baseline file."""
    findings = []
    for key, message in sorted(set(prints)):
        code, file, where = key.split("|", 2)
        findings.append({"code": code, "file": file, "where": where, "message": message})
    text = json.dumps({"svqm_baseline": 1, "findings": findings}, indent=2, ensure_ascii=False)
    write_output(path, text + "\n")


def changed_files(pack_root: Path, ref: str) -> frozenset[str]:
    """Pack-relative paths of files changed since REF (committed, staged, unstaged, new)."""
    what = f"--changed-since {ref}"
    top = Path(run_git(pack_root, "rev-parse", "--show-toplevel", what=what).decode().strip())
    commit = commit_of(pack_root, ref, "--changed-since")
    names = run_git(pack_root, "diff", "--name-only", commit, "--", what=what).decode()
    others = run_git(
        pack_root, "ls-files", "--others", "--exclude-standard", "--full-name", what=what
    ).decode()
    root = pack_root.resolve()
    out = set()
    for name in names.splitlines() + others.splitlines():
        full = (top / name).resolve()
        if full.is_relative_to(root):
            out.add(full.relative_to(root).as_posix())
    return frozenset(out)
