"""`svqm diff BASE [HEAD]`: what a change does to a pack, fit for a pull request comment.

Each side is the pack as committed at a git ref (read with `git archive`, never by checking
anything out), or the working tree when HEAD is not given. Both go through the same checks
and figures as `svqm validate` and `svqm value`.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from svqm_cli.base.accessors import items, mapping, shown, text
from svqm_cli.checking.git import commit_of, run_git
from svqm_cli.checking.suppression import fingerprint
from svqm_cli.reading.pack import PACK_FILE, find_root


@dataclass
class Side:
    label: str
    exists: bool
    pledges: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(default_factory=dict)  # id -> (map id, data)
    maps: dict[str, tuple[Decimal, Decimal | None]] = field(default_factory=dict)  # PV, ratio
    findings: dict[str, str] = field(default_factory=dict)  # fingerprint -> "file:line message"
    contracts: dict[str, Any] = field(default_factory=dict)  # id -> contract mapping
    commitments: dict[str, Any] = field(default_factory=dict)  # id -> commitment, no deliveries
    deliveries: dict[str, Any] = field(default_factory=dict)  # "id start to end" -> delivery
    progress: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # id -> total, status


@dataclass(frozen=True)
class Change:
    id: str
    what: str  # added | removed | changed


@dataclass(frozen=True)
class PackDiff:
    base: str
    head: str
    pledges: tuple[Change, ...]
    outcomes: tuple[Change, ...]
    maps: tuple[tuple[str, Decimal | None, Decimal | None, Decimal | None, Decimal | None], ...]
    new_findings: tuple[str, ...]
    fixed_findings: tuple[str, ...]
    contracts: tuple[Change, ...] = ()
    commitments: tuple[Change, ...] = ()
    deliveries: tuple[Change, ...] = ()
    # commitments whose delivered total or status moved: id, (total, status) before and after
    progress: tuple[tuple[str, tuple[Decimal, str] | None, tuple[Decimal, str] | None], ...] = ()


def _git(cwd: Path, *args: str) -> bytes:
    return run_git(cwd, *args, what=f"svqm diff (git {args[0]})")


def _export(top: Path, ref: str, inner: str, dest: Path) -> bool:
    """Write the pack folder as committed at REF into DEST; False when it did not exist."""
    ref = commit_of(top, ref, "svqm diff")  # a commit id from here on, never an option
    listing = _git(top, "ls-tree", "--name-only", ref, "--", inner or ".").decode()
    if not listing.strip():
        return False
    archive = _git(top, "archive", "--format=tar", ref, "--", inner or ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = list(_safe_members(tar, dest))
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="data")
        else:  # Python before 3.10.12 / 3.11.4: no filters; _safe_members kept no links
            tar.extractall(dest, members=members)
    return True


def _safe_members(tar: tarfile.TarFile, dest: Path) -> Iterator[tarfile.TarInfo]:
    """Files and folders with plain names, and links that stay inside DEST; a committed link
    that leaves the pack is left out, as validate refuses it anyway."""
    data_filter = getattr(tarfile, "data_filter", None)
    for member in tar.getmembers():
        if member.name.startswith("/") or ".." in PurePosixPath(member.name).parts:
            continue
        if member.isfile() or member.isdir():
            yield member
        elif member.issym() and data_filter is not None:
            try:
                data_filter(member, str(dest))
            except tarfile.FilterError:
                continue
            yield member


def _side(label: str, root: Path | None) -> Side:
    if root is None or not (root / PACK_FILE).is_file():
        return Side(label, exists=False)
    from svqm_cli.calc.report import compute
    from svqm_cli.checking.check import check_pack

    pack, report = check_pack(root)
    side = Side(label, exists=True)
    data = {d.path: d.data for d in pack.documents}
    for f in report.findings:
        side.findings[fingerprint(f, data.get(f.location.file))] = (
            f"{f.code} {f.location.file}:{f.location.line} {f.message}"
        )
    for doc in pack.of_kind("pledges"):
        for _, item in items(doc.data, "pledges"):
            if ident := text(item, "id"):
                side.pledges[ident] = item
    for kind in ("forecast", "evaluation"):
        for doc in pack.of_kind(kind):
            for _, item in items(doc.data, "outcomes"):
                if ident := text(item, "id"):
                    side.outcomes[ident] = (text(doc.data, "id"), item)
    for doc in pack.of_kind("commitments"):
        _commitments(side, doc.data)
    if not report.errors:
        figures = compute(pack, detail=lambda _: ())  # central figures only
        for m in figures.maps:
            side.maps[m.figures.id] = (m.figures.present_value, m.figures.sroi_ratio)
        for contract in figures.contracts:
            for c in contract.commitments:
                side.progress[c.id] = (c.delivered, c.status)
    return side


def _commitments(side: Side, data: Any) -> None:
    """A contract, its commitments and their deliveries, each under a key a reader knows."""
    contract = mapping(data, "contract")
    if ident := text(contract, "id"):
        side.contracts[ident] = contract
    for _, item in items(data, "commitments"):
        if not (ident := text(item, "id")):
            continue
        side.commitments[ident] = {k: v for k, v in item.items() if k != "delivered"}
        for _, entry in items(item, "delivered"):
            period = mapping(entry, "period")
            if period:
                key = f"{ident} {shown(period, 'start')} to {shown(period, 'end')}"
                side.deliveries[key] = entry


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    out = [Change(i, "added") for i in new if i not in old]
    out += [Change(i, "removed") for i in old if i not in new]
    out += [Change(i, "changed") for i in new if i in old and new[i] != old[i]]
    return tuple(sorted(out, key=lambda c: (c.what, c.id)))


def compare(base: Side, head: Side) -> PackDiff:
    ids = sorted(set(base.maps) | set(head.maps))
    maps = tuple(
        (i, *(base.maps.get(i) or (None, None)), *(head.maps.get(i) or (None, None)))
        for i in ids
        if base.maps.get(i) != head.maps.get(i)
    )
    return PackDiff(
        base=base.label,
        head=head.label,
        pledges=_changes(base.pledges, head.pledges),
        outcomes=_changes(base.outcomes, head.outcomes),
        maps=maps,
        contracts=_changes(base.contracts, head.contracts),
        commitments=_changes(base.commitments, head.commitments),
        deliveries=_changes(base.deliveries, head.deliveries),
        progress=tuple(
            (i, base.progress.get(i), head.progress.get(i))
            for i in sorted(set(base.progress) | set(head.progress))
            if base.progress.get(i) != head.progress.get(i)
        ),
        new_findings=tuple(
            sorted(head.findings[k] for k in head.findings if k not in base.findings)
        ),
        fixed_findings=tuple(
            sorted(base.findings[k] for k in base.findings if k not in head.findings)
        ),
    )


def diff(pack: Path, base: str, head: str | None) -> PackDiff:
    root = find_root(pack)
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    inner = root.resolve().relative_to(top.resolve()).as_posix()
    inner = "" if inner == "." else inner
    with tempfile.TemporaryDirectory(prefix="svqm-diff-") as work:
        base_dir = Path(work) / "base"
        base_root = base_dir / inner if _export(top, base, inner, base_dir) else None
        if head is None:
            head_root: Path | None = root
        else:
            head_dir = Path(work) / "head"
            head_root = head_dir / inner if _export(top, head, inner, head_dir) else None
        return compare(_side(base, base_root), _side(head or "working tree", head_root))
