"""Where a report comes from: the evidence it cites (with SHA-256), the pack's git commit and
the report date. Nothing here reads the clock: the date is SOURCE_DATE_EPOCH when set,
otherwise the end of the award period."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from svqm_cli.reading.pack import Pack, inside
from svqm_cli.rules.evidence import evidence_paths


@dataclass(frozen=True)
class Evidence:
    path: str
    sha256: str
    size: int
    cited_by: tuple[str, ...]


def report_date(pack_end: str | None) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return pack_end or ""


def git_commit(root: Path) -> str | None:
    """The pack's git commit, read from .git without running git (None outside a repo)."""
    for folder in (root, *root.resolve().parents):
        git = folder / ".git"
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = git.read_text(encoding="utf-8", errors="replace").strip()
            git = (folder / text.removeprefix("gitdir:").strip()).resolve()
        if not git.is_dir():
            continue
        try:
            head = (git / "HEAD").read_text(encoding="utf-8").strip()
            if not head.startswith("ref:"):
                return head[:40] or None
            ref = head.removeprefix("ref:").strip()
            ref_file = git / ref
            if ref_file.is_file():
                return ref_file.read_text(encoding="utf-8").strip()[:40]
            packed = git / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
        except OSError:
            return None
        return None
    return None


def evidence_index(pack: Pack) -> list[Evidence]:
    cited: dict[str, list[str]] = {}
    for doc in pack.documents:
        if doc.readable:
            for _, path in evidence_paths(doc.data):
                cited.setdefault(path, [])
                if doc.path not in cited[path]:
                    cited[path].append(doc.path)
    out = []
    for path in sorted(cited):
        target, _ = inside(pack.root, path)
        if target is None or not target.is_file():
            continue  # the findings say so; a draft lists them
        digest = hashlib.sha256()
        with target.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
        out.append(Evidence(path, digest.hexdigest(), target.stat().st_size, tuple(cited[path])))
    return out
