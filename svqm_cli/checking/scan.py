"""Read and shape-check every file of a pack: from the cache, or on both cores.

Each file becomes a FileResult: its data, its kind, and its reading and schema findings,
already located (line and column), so that results can come from a worker process or
the cache alike. Rules then run on the data in the parent; the few files they flag are
re-read for positions (Pack.positions).
"""

from __future__ import annotations

import base64
import binascii
import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svqm_cli.base.findings import CODES, Finding, Location, Severity, Target, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.base.vocabulary import KINDS, parse_level
from svqm_cli.checking import cache
from svqm_cli.checking.schemas import check_document
from svqm_cli.reading.files import Unreadable, read_regular
from svqm_cli.reading.locate import placed
from svqm_cli.reading.pack import (
    PACK_FILE,
    Document,
    Pack,
    find_root,
    ignore_patterns,
    inside,
    iter_document_paths,
)
from svqm_cli.reading.yaml_io import (
    MAX_FILE_BYTES,
    LoadedFile,
    cannot_read,
    declared_kind,
    load_bytes,
    too_big,
)

FORMAT_VERSION = 1
# Bytes to check before a second process pays for its start-up (about 0.1 s, the time
# to check some 150 KB of YAML).
PARALLEL_FROM_BYTES = 256 * 1024
OWN_SHARE_DISCOUNT = 0.15
CHUNKS_PER_SHARE = 4  # results come back in pieces, so no message holds a whole share


@dataclass(frozen=True)
class FileResult:
    path: str
    kind: str | None
    declared_kind: str | None
    data: Any
    findings: tuple[Finding, ...]
    lines: tuple[str, ...]  # the file's lines, kept only when it has findings
    positions: bytes = b""  # every value's line and column (reading/positions.py)


def shape(loaded: LoadedFile, level: int) -> tuple[str | None, list[Finding]]:
    """Kind, format version and schema of one readable document."""
    data, path = loaded.data, loaded.path
    kind = data.get("kind")
    if "kind" not in data:
        return None, [make("SV007", "The document has no `kind`.", path, "", line=1, column=1)]
    if not isinstance(kind, str) or kind not in KINDS:
        shown = kind if isinstance(kind, str) else repr(kind)
        return None, [
            make("SV008", f"Unknown kind '{shown}'.{did_you_mean(str(kind), KINDS)}", path, "/kind")
        ]
    if (kind == "pack") != (path == PACK_FILE):
        message = (
            "svqm.yaml must have 'kind: pack'."
            if path == PACK_FILE
            else "Only svqm.yaml may have 'kind: pack'."
        )
        return None, [make("SV015", message, path, "/kind")]
    if "svqm" in data and data["svqm"] != FORMAT_VERSION:
        return None, [
            make(
                "SV009",
                f"The document says `svqm: {data['svqm']}`; this svqm "
                f"reads format version {FORMAT_VERSION}.",
                path,
                "/svqm",
            )
        ]
    return kind, check_document(kind, level, data, path)


def drop_echoes(findings: list[Finding]) -> list[Finding]:
    """A reading finding (SV0xx) at a pointer makes a schema finding there redundant."""
    read = {(f.location.file, f.location.pointer) for f in findings if f.code < "SV100"}
    return [
        f
        for f in findings
        if not ("SV100" <= f.code < "SV200" and (f.location.file, f.location.pointer) in read)
    ]


def check_bytes(raw: bytes, rel: str, level: int) -> FileResult:
    """Everything about one file that does not need the rest of the pack (worker-safe)."""
    loaded = load_bytes(raw, rel)
    findings = list(loaded.findings)
    kind = None
    if loaded.readable:
        kind, found = shape(loaded, level)
        findings.extend(found)
    located = [placed(f, loaded.root) for f in drop_echoes(findings)]
    return FileResult(
        path=rel,
        kind=kind,
        declared_kind=kind or declared_kind(loaded.text or loaded.raw_text),
        data=loaded.data if loaded.readable else None,
        findings=tuple(located),
        lines=tuple(loaded.lines()) if located else (),
        positions=loaded.positions,
    )


def _read(root: Path, rel: str) -> bytes | FileResult:
    """The file's bytes, or the result that says why they cannot be checked."""

    def refused(code: str, message: str) -> FileResult:
        finding = make(code, message, rel, "", line=1, column=1)
        return FileResult(rel, None, None, None, (finding,), ())

    target, why = inside(root, rel)
    if target is None:
        return refused("SV203", f"This document {why}.")
    try:
        return read_regular(target, MAX_FILE_BYTES)
    except Unreadable as exc:
        finding = (
            too_big(exc.too_big, rel) if exc.too_big is not None else cannot_read(exc.reason, rel)
        )
        return FileResult(rel, None, None, None, (finding,), ())


def _to_entry(result: FileResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "declared_kind": result.declared_kind,
        "data": result.data,
        "lines": list(result.lines),
        "positions": base64.b64encode(result.positions).decode("ascii"),
        "findings": [finding_entry(f) for f in result.findings],
    }


def finding_entry(f: Finding) -> dict[str, Any]:
    """A finding as a cache entry holds it (its file is the entry's)."""
    return {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "hint": f.hint,
        "line": f.location.line,
        "column": f.location.column,
        "pointer": f.location.pointer,
        "target": f.target,
    }


def finding_from(rel: str, f: dict[str, Any]) -> Finding:
    """The finding of FILE that finding_entry wrote (checked with valid_finding)."""
    return Finding(
        code=f["code"],
        severity=Severity(f["severity"]),
        message=f["message"],
        hint=f["hint"],
        location=Location(rel, f["line"], f["column"], f["pointer"]),
        target=_target(f["target"]),
    )


_ENTRY_KEYS = {"kind", "declared_kind", "data", "lines", "positions", "findings"}
_FINDING_KEYS = {"code", "severity", "message", "hint", "line", "column", "pointer", "target"}
_SEVERITIES = {s.value for s in Severity}


def valid_finding(f: Any) -> bool:
    return (
        isinstance(f, dict)
        and set(f) == _FINDING_KEYS
        and f["code"] in CODES
        and f["severity"] in _SEVERITIES
        and isinstance(f["message"], str)
        and (f["hint"] is None or isinstance(f["hint"], str))
        and all(type(f[n]) is int and f[n] >= 0 for n in ("line", "column"))
        and isinstance(f["pointer"], str)
        and (f["pointer"] == "" or f["pointer"].startswith("/"))
        and f["target"] in ("key", "value")
    )


def _valid_entry(entry: dict[str, Any]) -> bool:
    """An entry has exactly the shape _to_entry writes, and says something coherent: a file
    without data or without a kind always has the finding that says why."""
    if set(entry) != _ENTRY_KEYS:
        return False
    kind, declared, data = entry["kind"], entry["declared_kind"], entry["data"]
    findings, lines = entry["findings"], entry["lines"]
    if not all(k is None or k in KINDS for k in (kind, declared)):
        return False
    if not (data is None or isinstance(data, dict)) or (kind is not None and data is None):
        return False
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        return False
    if not isinstance(findings, list) or not all(valid_finding(f) for f in findings):
        return False
    if not isinstance(entry["positions"], str):
        return False
    return bool(findings) or (kind is not None and not lines)


def _from_entry(rel: str, entry: dict[str, Any]) -> FileResult | None:
    """The cached result, or None (check the file again) when the entry does not check out."""
    if not _valid_entry(entry):
        return None
    try:
        blob = base64.b64decode(entry["positions"], validate=True)
    except binascii.Error:
        return None
    if len(blob) % 4:
        return None
    findings = tuple(finding_from(rel, f) for f in entry["findings"])
    return FileResult(
        rel,
        entry["kind"],
        entry["declared_kind"],
        entry["data"],
        findings,
        tuple(entry["lines"]),
        blob,
    )


def _target(value: str) -> Target:
    return "key" if value == "key" else "value"


def _check_many(jobs: list[tuple[bytes, str, int]]) -> list[FileResult]:
    return [check_bytes(*job) for job in jobs]


def _shares(jobs: list[tuple[bytes, str, int]], parts: int) -> list[list[tuple[bytes, str, int]]]:
    """JOBS cut into PARTS runs of about the same number of bytes (the work grows with the
    bytes, not with the files: 10,000 outcomes in 9 files or in 54 are the same work)."""
    total = sum(len(raw) for raw, _, _ in jobs)
    # This process also takes the others' values back (about a third of the time it
    # took to make them), so its own share is smaller.
    mine = total * (1 - OWN_SHARE_DISCOUNT) / parts
    rest = (total - mine) / max(parts - 1, 1)
    out: list[list[tuple[bytes, str, int]]] = [[] for _ in range(parts)]
    done = 0
    for job in jobs:
        index = 0 if done < mine else 1 + int((done - mine) // max(rest, 1))
        out[min(parts - 1, index)].append(job)
        done += len(job[0])
    return out


def _check_all(jobs: list[tuple[bytes, str, int]], workers: int) -> list[FileResult]:
    """Check JOBS here and, for a large pack, in WORKERS - 1 more processes at once.

    This process takes the first share itself, so that only the other shares' values
    travel back (in a few chunks, never the whole pack in one message).
    """
    if workers < 2 or sum(len(raw) for raw, _, _ in jobs) < PARALLEL_FROM_BYTES:
        return _check_many(jobs)
    mine, *theirs = _shares(jobs, workers)
    try:
        pool = ProcessPoolExecutor(max_workers=workers - 1)
    except (OSError, RuntimeError):  # no processes here (a sandbox): one core will do
        return _check_many(jobs)
    with pool:
        try:
            futures = [
                pool.submit(_check_many, share[n::CHUNKS_PER_SHARE])
                for share in theirs
                for n in range(CHUNKS_PER_SHARE)
            ]
        except (OSError, RuntimeError):
            return _check_many(jobs)
        results = _check_many(mine)
        try:
            for future in futures:
                results.extend(future.result())
        except (OSError, RuntimeError):  # a worker could not start or died: finish here
            done = {r.path for r in results}
            results.extend(_check_many([j for j in jobs if j[1] not in done]))
    return results


def scan(path: Path, level: int | None = None, workers: int | None = None) -> tuple[Pack, int]:
    """The pack at PATH, every document read and shape-checked; and the level used.

    Reading makes millions of small objects that live to the end of the command, and each
    of Python's collections walks them all again: a tenth to a quarter of a large pack's
    time. So collections are rarer while reading, and what was read is frozen (left out of
    later collections; still freed as usual when no longer used).
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        found = _scan(path, level, workers)
    finally:
        gc.set_threshold(*threshold)
    # One full collection first: the loaders' reference cycles that reached the oldest
    # generation would otherwise be frozen with the pack and kept to the end.
    gc.collect()
    gc.freeze()
    return found


GC_THRESHOLD = 50_000  # allocations between the youngest generation's collections (700)


def _scan(path: Path, level: int | None, workers: int | None) -> tuple[Pack, int]:
    root = find_root(path)
    first = _read(root, PACK_FILE)
    pack_data: Any = None
    if isinstance(first, bytes):
        probe = load_bytes(first, PACK_FILE)
        pack_data = probe.data if probe.readable else None
    config = pack_data if isinstance(pack_data, dict) else {}
    award = config.get("award")
    chosen = level or (parse_level(award.get("level")) if isinstance(award, dict) else None) or 1
    ignore = ignore_patterns(config)

    results: dict[str, FileResult] = {}
    todo: list[tuple[bytes, str, int]] = []
    keys: dict[str, str] = {}
    rels = list(iter_document_paths(root, ignore))
    for rel in rels:
        raw = first if rel == PACK_FILE else _read(root, rel)
        if isinstance(raw, FileResult):
            results[rel] = raw
            continue
        keys[rel] = cache.key(raw, rel, chosen)
        entry = cache.get(keys[rel])
        hit = _from_entry(rel, entry) if entry is not None else None
        if hit is not None:
            results[rel] = hit
        else:
            todo.append((raw, rel, chosen))
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    for result in _check_all(todo, count):
        results[result.path] = result
        cache.put(keys[result.path], _to_entry(result))
    pack = Pack(
        root=root,
        content_keys=keys,
        documents=[
            Document(
                path=rel,
                kind=results[rel].kind,
                data=results[rel].data,
                findings=results[rel].findings,
                declared_kind=results[rel].declared_kind,
                lines=results[rel].lines,
                positions=results[rel].positions,
            )
            for rel in rels
        ],
    )
    return pack, chosen
