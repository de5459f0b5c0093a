"""Measure catalogues (spec §5.5): codes used in the pack resolve in the catalogue of their
framework and version (SV222, SV223, SV422), catalogues are sound (SV224, SV225), and units
agree with the catalogue's (SV421)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from svqm_cli.base.accessors import get, id_list, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.base.vocabulary import MEASURE_FRAMEWORKS
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context


@dataclass(frozen=True)
class Use:
    """A measure code named somewhere in the pack."""

    file: str
    pointer: str  # the measure mapping, or the code itself for a pledge's `toms:`
    framework: str
    code: str
    version: str | None
    unit: str | None  # the unit of what names the code (a commitment's or proxy's)
    unit_pointer: str | None
    by_mapping: bool  # True for `measure: {...}`, False for a pledge's `toms:` list
    label: str = ""  # "Commitment 'local-apprentices'", for messages


@dataclass
class Catalogue:
    file: str
    framework: str
    version: str
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)


def catalogues(ctx: Context) -> dict[tuple[str, str], Catalogue]:
    """The pack's catalogues by (framework, version); the first one wins."""
    found: dict[tuple[str, str], Catalogue] = {}
    for doc in ctx.docs("measures"):
        framework = mapping(doc.data, "framework")
        ident, version = text(framework, "id"), text(framework, "version")
        if not ident or not version or (ident, version) in found:
            continue
        catalogue = Catalogue(doc.path, ident, version)
        for _, measure in items(doc.data, "measures"):
            code = text(measure, "code")
            if code:
                catalogue.codes.setdefault(code, measure)
        found[(ident, version)] = catalogue
    return found


def _measure_use(file: str, pointer: str, holder: Any, noun: str) -> Use | None:
    measure = get(holder, "measure")
    framework, code = text(measure, "framework"), text(measure, "code")
    if not framework or not code:
        return None
    return Use(
        file,
        f"{pointer}/measure",
        framework,
        code,
        text(measure, "version"),
        text(holder, "unit"),
        f"{pointer}/unit",
        True,
        f"{noun} '{text(holder, 'id') or '?'}'",
    )


def uses(ctx: Context) -> Iterator[Use]:
    """Every measure code named in the pack: pledges' toms, proxies' and commitments' measure."""
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            for j, code in id_list(pledge, "toms"):
                pointer = f"/pledges/{i}/toms/{j}"
                yield Use(doc.path, pointer, "toms", code, None, None, None, False)
    for key, noun in (("proxies", "Proxy"), ("commitments", "Commitment")):
        for doc in ctx.docs(key):
            for i, holder in items(doc.data, key):
                use = _measure_use(doc.path, f"/{key}/{i}", holder, noun)
                if use is not None:
                    yield use


def resolve(use: Use, found: dict[tuple[str, str], Catalogue]) -> dict[str, Any] | None:
    """The catalogue entry a use names, or None when no catalogue of its version has it."""
    for (framework, version), catalogue in sorted(found.items()):
        in_scope = framework == use.framework and use.version in (None, version)
        if in_scope and use.code in catalogue.codes:
            return catalogue.codes[use.code]
    return None


def _normal(unit: str) -> str:
    return " ".join(unit.lower().split())


@rule("SV222", "SV223", "SV422")
def codes_resolve(ctx: Context) -> Iterator[Finding]:
    """A measure code resolves in the pack's catalogue of its framework and version.

    Codes of a framework the pack has no catalogue for are not checked. Bad (the pack's
    catalogue of framework `lakeside-local`, version 2025, lists LL1 to LL8)::

        measure: {framework: lakeside-local, code: LL9, version: "2025"}

    Good::

        measure: {framework: lakeside-local, code: LL1, version: "2025"}
    """
    found = catalogues(ctx)
    frameworks = sorted({f for f, _ in found})
    for use in uses(ctx):
        where = f"{use.pointer}/framework" if use.by_mapping else use.pointer
        if use.framework not in MEASURE_FRAMEWORKS and use.framework not in frameworks:
            known = [*MEASURE_FRAMEWORKS, *frameworks]
            yield make(
                "SV223",
                f"No measures framework has the id '{use.framework}'."
                f"{did_you_mean(use.framework, known)}",
                use.file,
                where,
            )
            continue
        versions = sorted(v for f, v in found if f == use.framework)
        if not versions:
            continue
        if use.version is not None and use.version not in versions:
            yield make(
                "SV422",
                f"The pack's catalogues of '{use.framework}' are for version "
                f"{', '.join(versions)}, not '{use.version}', so code '{use.code}' is not "
                f"checked.{did_you_mean(use.version, versions)}",
                use.file,
                f"{use.pointer}/version",
            )
            continue
        if resolve(use, found) is None:
            chosen = [v for v in versions if use.version in (None, v)]
            codes = sorted({c for v in chosen for c in found[(use.framework, v)].codes})
            yield make(
                "SV222",
                f"The code '{use.code}' is not in the catalogue of '{use.framework}' "
                f"(version {', '.join(chosen)}).{did_you_mean(use.code, codes)}",
                use.file,
                f"{use.pointer}/code" if use.by_mapping else use.pointer,
            )


@rule("SV421")
def units_match_catalogue(ctx: Context) -> Iterator[Finding]:
    """A commitment or proxy counts the unit its catalogue gives for the measure.

    Bad (the catalogue counts LL1 in FTE)::

        commitments:
          - {id: local-jobs, unit: person, measure: {framework: lakeside-local, code: LL1}, ...}

    Good::

        commitments:
          - {id: local-jobs, unit: FTE, measure: {framework: lakeside-local, code: LL1}, ...}
    """
    found = catalogues(ctx)
    for use in uses(ctx):
        entry = resolve(use, found)
        theirs = text(entry, "unit")
        if entry is None or not use.unit or not use.unit_pointer or not theirs:
            continue
        if _normal(use.unit) != _normal(theirs):
            yield make(
                "SV421",
                f"{use.label} counts '{use.unit}' but the catalogue counts measure "
                f"'{use.code}' of '{use.framework}' in '{theirs}'.",
                use.file,
                use.unit_pointer,
            )


@rule("SV224", "SV225")
def catalogues_are_sound(ctx: Context) -> Iterator[Finding]:
    """A catalogue lists each code once, names only its own themes, and is the only one of
    its framework and version.

    Bad::

        themes: [{id: jobs, name: Jobs}]
        measures:
          - {code: LL1, title: Local people employed, unit: FTE, theme: job}
          - {code: LL1, title: Local apprentices, unit: apprenticeship}

    Good::

        themes: [{id: jobs, name: Jobs}]
        measures:
          - {code: LL1, title: Local people employed, unit: FTE, theme: jobs}
          - {code: LL2, title: Local apprentices, unit: apprenticeship, theme: jobs}
    """
    first: dict[tuple[str, str], str] = {}
    for doc in ctx.docs("measures"):
        framework = mapping(doc.data, "framework")
        key = (text(framework, "id") or "", text(framework, "version") or "")
        if all(key) and key in first:
            yield make(
                "SV224",
                f"{first[key]} is already the catalogue of '{key[0]}' version {key[1]}.",
                doc.path,
                "/framework/version",
            )
        first.setdefault(key, doc.path)
        themes = [t for _, item in items(doc.data, "themes") if (t := text(item, "id"))]
        seen: dict[str, int] = {}
        for j, measure in items(doc.data, "measures"):
            code, theme = text(measure, "code"), text(measure, "theme")
            if code and code in seen:
                yield make(
                    "SV224",
                    f"The code '{code}' is already listed as measure {seen[code] + 1}.",
                    doc.path,
                    f"/measures/{j}/code",
                )
            seen.setdefault(code or "", j)
            if theme and theme not in themes:
                have = did_you_mean(theme, themes) if themes else " The catalogue has no themes."
                yield make(
                    "SV225",
                    f"Measure '{code}' names the theme '{theme}', which the catalogue does "
                    f"not define.{have}",
                    doc.path,
                    f"/measures/{j}/theme",
                )
