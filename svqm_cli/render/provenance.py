"""Where a report comes from: the evidence it cites (with SHA-256), the pack's git commit and
the report date. Nothing here reads the clock: the date is SOURCE_DATE_EPOCH when set,
otherwise the end of the award period."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from svqm_cli.reading.files import Unreadable, chunks, read_regular
from svqm_cli.reading.pack import Pack, inside
from svqm_cli.rules.evidence import evidence_paths


@dataclass(frozen=True)
class Evidence:
    path: str
    sha256: str
    size: int
    cited_by: tuple[str, ...]

    @property
    def cited_text(self) -> str:
        """The documents citing the file, as the report lists them: a file cited by every
        one of 500 impact maps names the first CITED_NAMED and counts the rest."""
        named = ", ".join(self.cited_by[:CITED_NAMED])
        more = len(self.cited_by) - CITED_NAMED
        return f"{named} and {more:,} more documents" if more > 0 else named


CITED_NAMED = 10


def report_date(pack_end: str | None) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return pack_end or ""


_GIT_FILE_LIMIT = 4096  # HEAD, a ref, a gitdir or commondir pointer: a line each
_PACKED_REFS_LIMIT = 16 * 1024 * 1024
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_REF = re.compile(r"refs/[A-Za-z0-9._/+-]+")


def _git_text(folder: Path, name: str, limit: int = _GIT_FILE_LIMIT) -> str | None:
    """A small regular file of FOLDER (a .git folder), never through a link out of it."""
    path = folder / name
    real = os.path.realpath(path)
    if os.path.commonpath([os.path.realpath(folder), real]) != os.path.realpath(folder):
        return None
    try:
        return read_regular(real, limit).decode("utf-8", "replace")
    except Unreadable:
        return None


def _git_dirs(folder: Path) -> tuple[Path, ...]:
    """The git folder of a work tree at FOLDER, and its common folder for a linked work
    tree (where its refs live); () when FOLDER has none."""
    git = folder / ".git"
    if git.is_file():  # a worktree or submodule: "gitdir: <path>"
        pointer = _git_text(folder, ".git") or ""
        if not pointer.startswith("gitdir:"):
            return ()
        git = (folder / pointer.removeprefix("gitdir:").strip()).resolve()
    if not git.is_dir():
        return ()
    common = _git_text(git, "commondir")
    if common and common.strip():
        return (git, (git / common.strip()).resolve())
    return (git,)


def git_commit(root: Path) -> str | None:
    """The pack's git commit, read from .git without running git (None outside a repo).

    Only small regular files inside the git folders are read: a HEAD that links elsewhere,
    a FIFO, or a `ref:` that climbs out with '..' gives None, never another file's bytes."""
    for folder in (root, *root.resolve().parents):
        dirs = _git_dirs(folder)
        if not dirs:
            continue
        head = (_git_text(dirs[0], "HEAD") or "").strip()
        if _COMMIT.fullmatch(head):
            return head
        ref = head.removeprefix("ref:").strip()
        if not head.startswith("ref:") or not _REF.fullmatch(ref) or ".." in ref.split("/"):
            return None
        for git in dirs:
            found = (_git_text(git, ref) or "").strip()
            if _COMMIT.fullmatch(found):
                return found
        for git in dirs:
            packed = _git_text(git, "packed-refs", _PACKED_REFS_LIMIT) or ""
            for line in packed.splitlines():
                commit, _, name = line.partition(" ")
                if name == ref and _COMMIT.fullmatch(commit):
                    return commit
        return None
    return None


def evidence_index(pack: Pack, withheld: frozenset[str] = frozenset()) -> list[Evidence]:
    """Every evidence file the pack cites, hashed; files cited only by the documents in
    WITHHELD (case studies without consent) are left out, as their names may identify."""
    cited: dict[str, dict[str, None]] = {}  # path -> the documents citing it, in order
    for doc in pack.documents:
        if doc.readable and doc.path not in withheld:
            for _, path in evidence_paths(doc.data):
                cited.setdefault(path, {})[doc.path] = None
    out = []
    for path in sorted(cited):
        target, _ = inside(pack.root, path)
        if target is None:
            continue  # the findings say so; a draft lists them
        digest, size = hashlib.sha256(), 0
        try:
            for block in chunks(target):  # regular files only: never a FIFO or /dev/zero
                digest.update(block)
                size += len(block)
        except Unreadable:
            continue
        out.append(Evidence(path, digest.hexdigest(), size, tuple(cited[path])))
    return out
