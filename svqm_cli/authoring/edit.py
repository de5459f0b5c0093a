"""Authoring: `svqm fmt` (one layout, comments kept) and `svqm new` (commented skeletons).

Both use ruamel's round-trip mode, which keeps comments, key order, quoting, anchors and
flow style. A file is written only when its text changes (atomically), so running either
on a tidy pack changes nothing, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svqm_cli.authoring.editor import with_modeline
from svqm_cli.base.accessors import as_date, items, mapping, text
from svqm_cli.base.errors import UsageError
from svqm_cli.base.vocabulary import one_year_end
from svqm_cli.base.writing import write_atomic
from svqm_cli.reading.pack import PACK_FILE, find_root, ignore_patterns, iter_document_paths

WIDTH = 4096  # never re-wrap a person's sentences


def round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    return yaml


def formatted(text: str) -> str:
    """TEXT in svqm's layout (2-space mappings, lists indented under their key)."""
    yaml = round_trip()
    data = yaml.load(text)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class FmtResult:
    changed: tuple[str, ...]
    unreadable: tuple[tuple[str, str], ...]  # (file, why)


def fmt(pack: Path, check: bool) -> FmtResult:
    """Format every document of the pack; with CHECK, only say which would change."""
    from ruamel.yaml.error import YAMLError

    root = find_root(pack)
    changed, unreadable = [], []
    for rel in iter_document_paths(root, _ignore(root)):  # the files validate reads
        path = root / rel
        try:
            text = path.read_text(encoding="utf-8")
            new = formatted(text)
        except (UnicodeDecodeError, YAMLError, OSError) as exc:
            unreadable.append((rel, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            continue
        if new != text:
            changed.append(rel)
            if not check:
                write_atomic(path, new)
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
        "outcomes": "stakeholder and proxy are ids from your pack",
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
    if ident in known:
        raise UsageError(f"the pack already has the id '{ident}'; choose another with --id")
    fields, notes = _skeleton(kind, ident, _period(root), first)
    if kind == "commitment":
        return _new_commitment(root, loaded.documents, _commented(fields, notes), target, known)
    yaml = round_trip()
    if kind in LIST_KINDS:
        list_key = LIST_KINDS[kind]
        existing = [d for d in loaded.documents if d.kind == list_key]
        path = target or (root / existing[0].path if existing else root / f"{list_key}.yaml")
        if path.exists():
            data = yaml.load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get(list_key), list):
                raise UsageError(f"'{path}' has no '{list_key}:' list to add to")
            data[list_key].append(_commented(fields, notes))
        else:
            from ruamel.yaml.comments import CommentedMap

            data = CommentedMap({"kind": list_key, list_key: [_commented(fields, notes)]})
        out = io.StringIO()
        yaml.dump(data, out)
        fresh = not path.exists()
        content = out.getvalue()
        write_atomic(path, with_modeline(root, path, list_key, content) if fresh else content)
        return path
    path = target or root / f"{kind}-{ident}.yaml"
    if path.exists():
        raise UsageError(f"'{path}' exists already; svqm new never overwrites a document")
    out = io.StringIO()
    yaml.dump(_commented(fields, notes), out)
    write_atomic(path, with_modeline(root, path, kind, out.getvalue()))
    return path


def _new_commitment(
    root: Path, documents: list[Any], item: Any, target: Path | None, known: set[Any]
) -> Path:
    """Add ITEM to the one contract of the pack (or the one --file names), or start a new
    commitments document with a skeleton contract when the pack has none."""
    from ruamel.yaml.comments import CommentedMap

    yaml = round_trip()
    contracts = [root / d.path for d in documents if d.kind == "commitments"]
    if target is None and len(contracts) > 1:
        names = ", ".join(p.relative_to(root).as_posix() for p in contracts)
        raise UsageError(
            f"the pack has {len(contracts)} contracts ({names}); name the one to add the "
            "commitment to with --file"
        )
    path = target or (contracts[0] if contracts else root / f"commitments-{item['id']}.yaml")
    if path.exists():
        data = yaml.load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("commitments"), list):
            raise UsageError(f"'{path}' has no 'commitments:' list to add to")
        data["commitments"].append(item)
    else:
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
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue())
    return path


def plain(value: Any) -> Any:
    """Decimals as the shortest YAML number that reads back to the same value."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def dump_document(path: Path, document: dict[str, Any], note: str) -> None:
    """Write a new document with a comment at its top, atomically."""
    from ruamel.yaml.comments import CommentedMap

    data = CommentedMap(plain(document))
    data.yaml_set_start_comment(note)
    out = io.StringIO()
    round_trip().dump(data, out)
    write_atomic(path, out.getvalue())
