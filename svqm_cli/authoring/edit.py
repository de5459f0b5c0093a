"""Authoring: `svqm fmt` (one layout, comments kept) and `svqm new` (commented skeletons).

Both use ruamel's round-trip mode, which keeps comments, key order, quoting, anchors and
flow style. A file is written only when its text changes (atomically), so running either
on a tidy pack changes nothing, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svqm_cli.authoring.editor import with_modeline
from svqm_cli.authoring.roundtrip import (
    Refused,
    Source,
    Verbatim,
    checked,
    dump,
    load,
    original_data,
    pack_relative,
    read_source,
    write,
)
from svqm_cli.base.accessors import as_date, items, mapping, text
from svqm_cli.base.errors import UsageError
from svqm_cli.base.vocabulary import one_year_end
from svqm_cli.base.writing import write_output
from svqm_cli.reading.pack import PACK_FILE, find_root, ignore_patterns, iter_document_paths
from svqm_cli.reading.yaml_io import load_bytes


def formatted(text: str) -> str:
    """TEXT as fmt writes it, or Refused when fmt would leave it as it is."""
    source = Source(path=Path(), rel="(text)", text=text, bom=False, crlf=False)
    return checked(source, dump(load(source), source), original_data(source))


@dataclass(frozen=True)
class FmtResult:
    changed: tuple[str, ...]
    unreadable: tuple[tuple[str, str], ...]  # (file, why)


def fmt(pack: Path, check: bool) -> FmtResult:
    """Format every document of the pack; with CHECK, only say which would change.

    Every file is read and checked first; only then are the changed ones written, so a
    file that cannot be formatted never leaves the pack half formatted."""
    root = find_root(pack)
    changed, unreadable = [], []
    writes: list[tuple[Source, str]] = []
    for rel in iter_document_paths(root, _ignore(root)):  # the files validate reads
        try:
            source = read_source(root, root / rel)
            new = checked(source, dump(load(source), source), original_data(source))
        except Refused as exc:
            unreadable.append((rel, str(exc)))
            continue
        if new != source.text and source.path not in {s.path for s, _ in writes}:
            changed.append(rel)  # a file reached through a link too is formatted once
            writes.append((source, new))
    if not check:
        for source, new in writes:
            write(root, source, new)
    return FmtResult(tuple(changed), tuple(unreadable))


def _ignore(root: Path) -> tuple[str, ...]:
    from svqm_cli.reading.yaml_io import load_file

    return ignore_patterns(load_file(root / PACK_FILE, PACK_FILE).data)


# --- svqm new -----------------------------------------------------------------------------

LIST_KINDS = {"pledge": "pledges", "stakeholder": "stakeholders", "proxy": "proxies"}
DOCUMENT_KINDS = ("forecast", "evaluation", "case-study")


def _skeleton(
    kind: str, ident: str, period: tuple[str, str], first: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The new item's fields, and a comment for each to guide the person filling it in."""
    start, end = period
    if kind == "pledge":
        return (
            {
                "id": ident,
                "theme": "social-and-community",
                "title": "Title of the pledge",
                "commitment": "What you commit to do, in a sentence or two.",
                "targets": [
                    {"measure": "what is counted", "quantity": 1, "unit": "unit", "due": end}
                ],
            },
            {
                "theme": "a built-in theme or one from 'themes' in svqm.yaml",
                "targets": "at least one; each due inside the award period",
            },
        )
    if kind == "stakeholder":
        return (
            {"id": ident, "name": "Name of the group", "description": "Who is in the group"},
            {"name": "add engagement: {method, sample_size, date} from Level 3"},
        )
    if kind == "proxy":
        return (
            {
                "id": ident,
                "description": "What one unit of the outcome is worth",
                "value": 0,
                "unit": "person",
                "source": "Publication, table and year",
                "year": int(start[:4]),
            },
            {"value": "currency per unit per year", "source": "where the value comes from"},
        )
    if kind == "commitment":
        return (
            {
                "id": ident,
                "description": "What the supplier promised, in plain words",
                "unit": "apprenticeship",
                "target": 1,
                "delivered": [],
            },
            {
                "unit": "what one unit is; the same unit as its proxy and measure",
                "target": "over the whole term of the contract",
                "delivered": "each period: {period: {start: YYYY-MM-DD, end: YYYY-MM-DD}, "
                "quantity: N, evidence: [evidence/return.csv]}",
            },
        )
    base: dict[str, Any] = {
        "kind": kind,
        "id": ident,
    }
    if kind == "case-study":
        base.update(
            {
                "title": "Title of the story",
                "narrative": "The story, in Markdown.",
                "consent": False,
            }
        )
        return base, {"consent": "true once consent to publish is recorded"}
    base.update(
        {
            "scope": {"name": "Service name", "type": "service"},
            "period": {"start": start, "end": end},
            "inputs": [{"description": "What was invested", "value": 0}],
            "outcomes": [
                {
                    "id": f"{ident}-outcome",
                    "stakeholder": first.get("stakeholders", "stakeholder-id"),
                    "description": "The change",
                    "indicator": "How it is measured",
                    "quantity": 0,
                    "proxy": first.get("proxies", "proxy-id"),
                    "duration": 1,
                    "deadweight": 0,
                    "attribution": 0,
                }
            ],
        }
    )
    if kind == "evaluation":
        base["outcomes"][0].update(
            {"evidence": ["evidence/file.csv"], "method": "How the quantity was measured"}
        )
    return base, {
        "scope": "service, department, project or organisation",
        "outcomes": "stakeholder and proxy are ids from your pack; optional: output, "
        "leads_to, negative, basis, materiality (README: theory of change)",
    }


def _period(root: Path) -> tuple[str, str]:
    """The award period as written in svqm.yaml, or the 12 months from today."""
    from svqm_cli.reading.yaml_io import load_file

    period = mapping(mapping(load_file(root / PACK_FILE, PACK_FILE).data, "award"), "period")
    start, end = as_date(period.get("start")), as_date(period.get("end"))
    if start and end:
        return start.isoformat(), end.isoformat()
    today = dt.date.today()
    return today.isoformat(), one_year_end(today).isoformat()


def _commented(fields: dict[str, Any], notes: dict[str, str]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap(fields)
    for key, note in notes.items():
        if key in item:
            item.yaml_add_eol_comment(note, key)
    return item


def new(kind: str, pack: Path, ident: str, target: Path | None) -> Path:
    """Add a KIND with id IDENT to the pack; return the file written."""
    from svqm_cli.checking.scan import scan
    from svqm_cli.rules.context import Context
    from svqm_cli.rules.references import definitions

    root = find_root(pack)
    loaded, _ = scan(root)
    known = {i for i, _ in definitions(Context(loaded, level=1))}  # every id, outcomes too
    first: dict[str, str] = {}  # the first stakeholder and proxy ids, for skeletons
    for doc in loaded.documents:
        for key in LIST_KINDS.values():
            ids = [i for _, item in items(doc.data, key) if (i := text(item, "id"))]
            if ids:
                first.setdefault(key, ids[0])
    for taken in (ident, f"{ident}-outcome") if kind in ("forecast", "evaluation") else (ident,):
        if taken in known:
            raise UsageError(f"the pack already has the id '{taken}'; choose another with --id")
    if target is not None:
        pack_relative(root, target)  # --file names a document of this pack
    fields, notes = _skeleton(kind, ident, _period(root), first)
    if kind == "commitment":
        return _new_commitment(root, loaded.documents, _commented(fields, notes), target, known)
    if kind in LIST_KINDS:
        list_key = LIST_KINDS[kind]
        existing = [d for d in loaded.documents if d.kind == list_key]
        path = target or (root / existing[0].path if existing else root / f"{list_key}.yaml")
        if os.path.lexists(path):
            _append(root, path, list_key, _commented(fields, notes))
            return path
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap({"kind": list_key, list_key: [_commented(fields, notes)]})
        write_output(path, with_modeline(root, path, list_key, dump(data)), within=root)
        return path
    path = target or root / f"{kind}-{ident}.yaml"
    if os.path.lexists(path):
        raise UsageError(f"'{path}' exists already; svqm new never overwrites a document")
    content = with_modeline(root, path, kind, dump(_commented(fields, notes)))
    write_output(path, content, within=root)
    return path


def _append(root: Path, path: Path, list_key: str, item: Any) -> None:
    """Add ITEM to the LIST_KEY list of the document at PATH, keeping all else as written."""
    source = read_source(root, path)
    data = load(source)
    before = original_data(source)
    if not isinstance(data, dict) or not isinstance(data.get(list_key), list):
        raise UsageError(f"'{path}' has no '{list_key}:' list to add to")
    data[list_key].append(item)
    text = dump(data, source)
    expected = dict(before)
    added = load_bytes(dump({list_key: [item]}).encode("utf-8"), source.rel).data[list_key]
    expected[list_key] = [*before[list_key], *added]
    write(root, source, checked(source, text, expected))


def _new_commitment(
    root: Path, documents: list[Any], item: Any, target: Path | None, known: set[Any]
) -> Path:
    """Add ITEM to the one contract of the pack (or the one --file names), or start a new
    commitments document with a skeleton contract when the pack has none."""
    from ruamel.yaml.comments import CommentedMap

    contracts = [root / d.path for d in documents if d.kind == "commitments"]
    if target is None and len(contracts) > 1:
        names = ", ".join(p.relative_to(root).as_posix() for p in contracts)
        raise UsageError(
            f"the pack has {len(contracts)} contracts ({names}); name the one to add the "
            "commitment to with --file"
        )
    path = target or (contracts[0] if contracts else root / f"commitments-{item['id']}.yaml")
    if os.path.lexists(path):
        _append(root, path, "commitments", item)
        return path
    start, end = _period(root)
    contract = f"{item['id']}-contract"
    if contract in known:
        raise UsageError(f"the pack already has the id '{contract}'; choose another --id")
    fields = {
        "id": contract,
        "title": "What the contract is for",
        "buyer": "The organisation that awarded it",
        "supplier": "The supplier who made the commitments",
        "value": 0,
        "term": {"start": start, "end": end},
    }
    notes = {
        "id": "the contract's id; change it to one you recognise",
        "value": "the contract's value over its term",
        "term": "first and last day of the contract; deliveries fall inside it",
    }
    data = CommentedMap(
        {"kind": "commitments", "contract": _commented(fields, notes), "commitments": [item]}
    )
    write_output(path, with_modeline(root, path, "commitments", dump(data)), within=root)
    return path


def plain(value: Any) -> Any:
    """VALUE ready for the round-trip writer, with every number exactly as read: a Decimal is
    written as its own digits (a float would change a 17th significant digit)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        if value == value.to_integral_value() and "E" not in str(value):
            return int(value)
        exact = Verbatim(str(value))
        exact.tag = "tag:yaml.org,2002:float"
        return exact
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def dump_document(path: Path, document: dict[str, Any], note: str) -> None:
    """Write a new document with a comment at its top, atomically."""
    from svqm_cli.reading.yaml_io import MAX_FILE_BYTES

    text = _new_text(document, note, MAX_FILE_BYTES)
    write_output(path, text)


def _new_text(document: dict[str, Any], note: str, limit: int) -> str:
    """The document's text from the fast writer when it reads back as exactly DOCUMENT (as
    validate reads it), else from ruamel's round-trip writer; refused over LIMIT bytes
    (never write what validate would then refuse: SV011)."""
    from ruamel.yaml.comments import CommentedMap

    from svqm_cli.authoring import emit
    from svqm_cli.reading.yaml_io import load_bytes

    try:
        text: str | None = emit.document(document, note)
    except TypeError:
        text = None
    if text is not None:
        raw = text.encode("utf-8")
        _refuse_over(len(raw), limit)
        read = load_bytes(raw, "imported.yaml")
        if not read.findings and read.data == document:
            return text
    data = CommentedMap(plain(document))
    data.yaml_set_start_comment(note)
    text = dump(data)
    _refuse_over(len(text.encode("utf-8")), limit)
    return text


def refuse_oversized(document: dict[str, Any]) -> None:
    """Refuse, before any slower work, a new document over validate's size limit."""
    from svqm_cli.authoring import emit
    from svqm_cli.reading.yaml_io import MAX_FILE_BYTES

    try:
        size = len(emit.document(document, "").encode("utf-8"))
    except TypeError:
        return  # not plain data: measured when it is written
    _refuse_over(size, MAX_FILE_BYTES)


def _refuse_over(size: int, limit: int) -> None:
    if size > limit:
        raise UsageError(
            f"the imported document would be {size / 1_048_576:.1f} MiB, and svqm reads files "
            f"up to {limit // 1_048_576} MiB; split the rows into several sheets"
        )
