"""validate(): load a pack, check every document and rule, return a report. Never prints."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from svqm_cli.base.findings import CODES, Finding, Severity, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.checking.suppression import fingerprint, silenced
from svqm_cli.reading.pack import PACK_FILE, Pack
from svqm_cli.rules import all_rules
from svqm_cli.rules.context import Context


@dataclass(frozen=True)
class Options:
    level: int | None = None  # --level; None: the pack's own
    strict: bool = False
    baseline: frozenset[str] = frozenset()  # fingerprints of accepted findings to hide
    only_files: frozenset[str] | None = None  # --changed-since: report only these files


@dataclass(frozen=True)
class ValidationReport:
    level: int
    documents: int
    findings: tuple[Finding, ...]
    strict: bool = False
    # The text of each file that has findings, for showing the offending line.
    sources: dict[str, list[str]] = field(default_factory=dict, compare=False)
    hidden: int = 0  # findings hidden by ignore comments, the baseline or --changed-since
    fingerprints: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # Every document's path, and the pack folder's path inside its git repository
    # ("" outside one, else ending in "/"), for CI formats that name files from the repo root.
    files: tuple[str, ...] = field(default=(), compare=False)
    path_prefix: str = field(default="", compare=False)
    # Each finding's fingerprint (code, file, pointer with list items named by id), in the
    # order of `findings`: what SARIF's partialFingerprints track across commits.
    keys: tuple[str, ...] = field(default=(), compare=False)

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


def check_pack(path: Path, options: Options = Options()) -> tuple[Pack, ValidationReport]:
    """Read and check the pack at PATH: the pack (for value and render) and its report."""
    from svqm_cli.checking.scan import scan

    pack, level = scan(path, options.level)
    return pack, validate_pack(pack, level, options)


def validate(path: Path, options: Options = Options()) -> ValidationReport:
    return check_pack(path, options)[1]


def validate_pack(pack: Pack, level: int, options: Options = Options()) -> ValidationReport:
    """Run the rules across a scanned pack and gather every finding, located and sorted."""
    findings: list[Finding] = [f for doc in pack.documents for f in doc.findings]
    with_errors = {f.location.file for f in findings if f.severity is Severity.ERROR}
    clean = frozenset(d.path for d in pack.documents if d.path not in with_errors)
    findings.extend(_rule_findings(Context(pack=pack, level=level, clean=clean)))
    findings = _locate_all(pack, _apply_overrides(pack, findings))
    findings = sorted(set(findings), key=Finding.sort_key)
    lines = {d.path: d.lines for d in pack.documents}
    sources = {
        path: list(lines.get(path) or pack.text_lines(path))
        for path in sorted({f.location.file for f in findings})
    }
    data = {d.path: d.data for d in pack.documents}
    visible = [f for f in findings if not silenced(f, sources[f.location.file])]
    prints = [(fingerprint(f, data.get(f.location.file)), f.message) for f in visible]
    kept = [
        (f, key)
        for f, (key, _) in zip(visible, prints, strict=True)
        if key not in options.baseline
        and (options.only_files is None or f.location.file in options.only_files)
    ]
    return ValidationReport(
        level=level,
        documents=len(pack.documents),
        findings=tuple(f for f, _ in kept),
        strict=options.strict,
        sources=sources,
        hidden=len(findings) - len(kept),
        fingerprints=tuple(prints),
        files=tuple(d.path for d in pack.documents),
        path_prefix=repo_prefix(pack.root),
        keys=tuple(key for _, key in kept),
    )


def _rule_findings(ctx: Context) -> list[Finding]:
    """Every rule's findings; those of the rules that look only at the documents come from
    the cache when the pack is unchanged (checking/rule_cache.py)."""
    from svqm_cli.checking import rule_cache

    key = rule_cache.pack_key(ctx.pack, ctx.level)
    kept = rule_cache.get(key, ctx.pack) if key is not None else None
    found: list[Finding] = []
    pure: list[Finding] = []
    for registered in all_rules():
        if registered.reads_files:
            found.extend(registered.fn(ctx))
        elif kept is None:
            pure.extend(registered.fn(ctx))
    if kept is None:
        if key is not None:
            rule_cache.put(key, pure)
        kept = pure
    return kept + found


def repo_prefix(root: Path) -> str:
    """The pack folder relative to the git repository holding it ("" when none)."""
    real = root.resolve()
    for folder in (real, *real.parents):
        if (folder / ".git").exists():
            inner = real.relative_to(folder).as_posix()
            return "" if inner == "." else inner + "/"
    return ""


def _apply_overrides(pack: Pack, findings: list[Finding]) -> list[Finding]:
    """Severities from `rules:` in svqm.yaml; unknown or fixed codes are SV209."""
    doc = pack.pack_document
    data = doc.data if doc is not None else None
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


def _locate_all(pack: Pack, findings: list[Finding]) -> list[Finding]:
    """Lines and columns for the rules' findings (reading and shape findings have them)."""
    return [
        f
        if f.location.line
        else f.with_location(*pack.locate(f.location.file, f.location.pointer, f.target))
        for f in findings
    ]
