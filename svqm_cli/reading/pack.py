"""Pack discovery: which files are documents, the Pack they make, and safe paths."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from svqm_cli.base.errors import PackNotFound
from svqm_cli.base.findings import Finding, Target
from svqm_cli.reading import positions
from svqm_cli.reading.files import Unreadable, read_regular
from svqm_cli.reading.globs import glob_match
from svqm_cli.reading.locate import locate
from svqm_cli.reading.yaml_io import MAX_FILE_BYTES, LoadedFile, decode, load_bytes

PACK_FILE = "svqm.yaml"
OUTPUT_DIR = "svqm-report"  # render's default output folder; never read as documents
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Document:
    """A file of the pack after reading and shape checks (see scan.py)."""

    path: str
    kind: str | None  # set when the document has a known kind and the right version
    data: Any  # None when the file could not be read
    findings: tuple[Finding, ...] = ()  # reading and shape findings, located
    declared_kind: str | None = None  # from data, or from the 'kind:' line of a broken file
    lines: tuple[str, ...] = ()  # the text, kept when the file has findings
    positions: bytes = b""  # every value's line and column, compactly (positions.py)

    @property
    def readable(self) -> bool:
        return self.data is not None


@dataclass
class Pack:
    root: Path
    documents: list[Document] = field(default_factory=list)
    # each document's cache key (its bytes, path, level and svqm's code), when it was read
    content_keys: dict[str, str] = field(default_factory=dict, repr=False)
    _positions: dict[str, LoadedFile] = field(default_factory=dict, repr=False)
    _lines: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _by_path: dict[str, Document] = field(default_factory=dict, repr=False)

    @property
    def pack_document(self) -> Document | None:
        for doc in self.documents:
            if doc.path == PACK_FILE:
                return doc
        return None

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind and d.readable]

    def document(self, rel: str) -> Document | None:
        if len(self._by_path) != len(self.documents):
            self._by_path.update((d.path, d) for d in self.documents)
        return self._by_path.get(rel)

    def locate(self, rel: str, pointer: str, target: Target = "value") -> tuple[int, int]:
        """1-based (line, column) of POINTER in the file REL: from the positions the scan
        recorded; the file is parsed again only when they are missing or damaged."""
        doc = self.document(rel)
        if doc is not None and doc.positions and doc.data is not None:
            found = positions.locate(doc.positions, doc.data, pointer, target)
            if found is not None:
                return found
        return locate(self.positions(rel).root, pointer, target)

    def text_lines(self, rel: str) -> tuple[str, ...]:
        """The lines of the file REL, for showing a finding's line (read, not parsed)."""
        doc = self.document(rel)
        if doc is not None and doc.lines:
            return doc.lines
        if rel not in self._lines:
            text, _ = decode(self._raw(rel), rel)
            self._lines[rel] = tuple(text.splitlines()) if text is not None else ()
        return self._lines[rel]

    def positions(self, rel: str) -> LoadedFile:
        """The file read again with its node tree: only when its recorded positions are
        missing (a document from an older cache) or do not fit its data."""
        if rel not in self._positions:
            self._positions[rel] = load_bytes(self._raw(rel), rel)
        return self._positions[rel]

    def _raw(self, rel: str) -> bytes:
        target, _ = inside(self.root, rel)
        try:
            return read_regular(target, MAX_FILE_BYTES) if target is not None else b""
        except Unreadable:
            return b""


def find_root(path: Path) -> Path:
    """The pack folder for PATH (a folder, or its svqm.yaml), or PackNotFound."""
    if path.is_file() and path.name == PACK_FILE:
        path = path.parent
    if not path.exists():
        raise PackNotFound(f"no pack folder at '{path}'")
    if not path.is_dir():
        raise PackNotFound(f"'{path}' is a file; give the folder that holds {PACK_FILE}")
    marker = path / PACK_FILE
    if not marker.is_file():
        alt = " (found svqm.yml: rename it to svqm.yaml)" if (path / "svqm.yml").exists() else ""
        raise PackNotFound(
            f"no {PACK_FILE} in '{path}'{alt}; run 'svqm init {path}' to start a pack"
        )
    if not os.access(marker, os.R_OK) or not os.access(path, os.R_OK | os.X_OK):
        raise PackNotFound(f"cannot read '{marker}': permission denied")
    return path


def ignore_patterns(config: Any) -> tuple[str, ...]:
    """The `ignore:` globs of svqm.yaml's data (blank or non-text entries skipped)."""
    raw = config.get("ignore") if isinstance(config, dict) else None
    if not isinstance(raw, list):
        return ()
    return tuple(p for p in raw if isinstance(p, str) and p.strip())


def is_ignored(rel: str, patterns: tuple[str, ...]) -> bool:
    """True when REL or one of its folders matches a pattern."""
    parts = PurePosixPath(rel).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(glob_match(p, c) for p in patterns for c in candidates)


def iter_document_paths(root: Path, ignore: tuple[str, ...]) -> Iterator[str]:
    """Relative paths of the pack's YAML files, sorted, skipping hidden and ignored ones."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and not (rel_folder == "" and d == OUTPUT_DIR)
            and not is_ignored(rel_folder + d, ignore)
        ]
        for name in files:
            rel = rel_folder + name
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            if rel != PACK_FILE and is_ignored(rel, ignore):
                continue
            found.append(rel)
    found.sort()
    return iter(found)


def inside(root: Path, rel: str) -> tuple[Path | None, str | None]:
    """Resolve a pack-relative path safely: (path, None), or (None, why it is refused)."""
    if "://" in rel or rel.startswith("mailto:"):
        return None, "is a web address; evidence must be a file inside the pack"
    if "\x00" in rel:
        return None, "contains a NUL character; write the file's name as it is"
    if "\\" in rel:
        return None, "uses '\\'; write paths with '/' (evidence/report.pdf)"
    posix = PurePosixPath(rel)
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", rel):
        return None, "is an absolute path; write it relative to the folder of svqm.yaml"
    if ".." in posix.parts:
        return None, "climbs out of the pack with '..'"
    candidate = root / posix
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if os.path.commonpath([real_root, real]) != real_root:
        return None, "is a link that points outside the pack"
    return candidate, None
