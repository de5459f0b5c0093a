"""validate(): load a pack, check every document and rule, return a report. Never prints."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from svqm_cli.findings import CODES, Finding, Severity, make
from svqm_cli.kinds import KINDS
from svqm_cli.locate import locate
from svqm_cli.pack import PACK_FILE, Document, Pack, load_pack
from svqm_cli.rules import all_rules
from svqm_cli.rules.context import Context, parse_level
from svqm_cli.schemas import check_document, did_you_mean

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Options:
    level: int | None = None  # --level; None: the pack's own
    strict: bool = False


@dataclass(frozen=True)
class ValidationReport:
    level: int
    documents: int
    findings: tuple[Finding, ...]
    strict: bool = False
    # The text of each file that has findings, for showing the offending line.
    sources: dict[str, list[str]] = field(default_factory=dict, compare=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        return self.errors == 0 and not (self.strict and self.warnings)

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "level": self.level,
            "findings": [f.to_dict() for f in self.findings],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "documents": self.documents,
            },
        }


def validate(path: Path, options: Options = Options()) -> ValidationReport:
    return validate_pack(load_pack(path), options)


def validate_pack(pack: Pack, options: Options = Options()) -> ValidationReport:
    """Check a loaded pack; sets each readable document's kind on the way."""
    findings: list[Finding] = []
    for doc in pack.documents:
        findings.extend(doc.file.findings)
    level = options.level or _pack_level(pack)
    for doc in pack.documents:
        findings.extend(_check_shape(doc, level))
    with_errors = {f.location.file for f in findings if f.severity is Severity.ERROR}
    clean = frozenset(d.path for d in pack.documents if d.path not in with_errors)
    ctx = Context(pack=pack, level=level, clean=clean)
    for registered in all_rules():
        findings.extend(registered.fn(ctx))
    findings = _apply_overrides(pack, findings)
    findings = _locate_all(pack, _drop_echoes(findings))
    findings = sorted(set(findings), key=Finding.sort_key)
    files_with_findings = {f.location.file for f in findings}
    sources = {d.path: d.file.lines() for d in pack.documents if d.path in files_with_findings}
    return ValidationReport(
        level=level,
        documents=len(pack.documents),
        findings=tuple(findings),
        strict=options.strict,
        sources=sources,
    )


def _pack_level(pack: Pack) -> int:
    """The pack's own level; one that cannot be read counts as 1 (the schema says why)."""
    doc = pack.pack_document
    data = doc.data if doc is not None else None
    award = data.get("award") if isinstance(data, dict) else None
    level = parse_level(award.get("level")) if isinstance(award, dict) else None
    return level or 1


def _check_shape(doc: Document, level: int) -> list[Finding]:
    """Kind, version and schema checks for one readable document; sets doc.kind."""
    if not doc.file.readable:
        return []
    data, path = doc.data, doc.path
    kind = data.get("kind")
    if "kind" not in data:
        return [make("SV007", "The document has no `kind`.", path, "", line=1, column=1)]
    if not isinstance(kind, str) or kind not in KINDS:
        shown = kind if isinstance(kind, str) else repr(kind)
        return [
            make("SV008", f"Unknown kind '{shown}'.{did_you_mean(str(kind), KINDS)}", path, "/kind")
        ]
    if (kind == "pack") != (path == PACK_FILE):
        message = (
            "svqm.yaml must have 'kind: pack'."
            if path == PACK_FILE
            else "Only svqm.yaml may have 'kind: pack'."
        )
        return [make("SV015", message, path, "/kind")]
    version = data.get("svqm")
    if "svqm" in data and version != FORMAT_VERSION:
        return [
            make(
                "SV009",
                f"The document says `svqm: {version}`; this svqm reads "
                f"format version {FORMAT_VERSION}.",
                path,
                "/svqm",
            )
        ]
    doc.kind = kind
    return check_document(kind, level, data, path)


def _apply_overrides(pack: Pack, findings: list[Finding]) -> list[Finding]:
    """Severities from `rules:` in svqm.yaml; unknown or fixed codes are SV209."""
    doc = pack.pack_document
    data = doc.data if doc is not None and doc.file.readable else None
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        return findings
    overrides: dict[str, Severity] = {}
    extra: list[Finding] = []
    for code, severity in rules.items():
        info = CODES.get(str(code))
        pointer = f"/rules/{code}"
        if info is None:
            extra.append(
                make(
                    "SV209",
                    f"'{code}' is not an svqm rule code.{did_you_mean(str(code), CODES)}",
                    PACK_FILE,
                    pointer,
                    target="key",
                )
            )
        elif not info.overridable:
            extra.append(
                make(
                    "SV209",
                    f"{code} ({info.title}) cannot be changed: the "
                    "document could not be read or has the wrong shape.",
                    PACK_FILE,
                    pointer,
                    target="key",
                )
            )
        elif severity in ("error", "warning", "off"):
            overrides[info.code] = Severity(severity)
    out = []
    for finding in findings:
        severity = overrides.get(finding.code)
        if severity is Severity.OFF:
            continue
        out.append(replace(finding, severity=severity) if severity else finding)
    return out + extra


def _drop_echoes(findings: list[Finding]) -> list[Finding]:
    """A reading finding (SV0xx) at a pointer makes a schema finding there redundant."""
    read = {(f.location.file, f.location.pointer) for f in findings if f.code < "SV100"}
    return [
        f
        for f in findings
        if not ("SV100" <= f.code < "SV200" and (f.location.file, f.location.pointer) in read)
    ]


def _locate_all(pack: Pack, findings: list[Finding]) -> list[Finding]:
    roots = {d.path: d.file.root for d in pack.documents}
    out = []
    for finding in findings:
        if finding.location.line:
            out.append(finding)
            continue
        line, column = locate(
            roots.get(finding.location.file), finding.location.pointer, finding.target
        )
        out.append(finding.with_location(line, column))
    return out
