"""Ids: unique across the pack (SV201); every reference resolves to the right kind (SV202)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from svqm_cli.base.accessors import id_list, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context


@dataclass(frozen=True)
class Definition:
    what: str  # pledge, stakeholder, proxy, forecast, evaluation, outcome, ...
    file: str
    pointer: str
    parent: str | None = None  # an outcome's impact map id


LIST_KINDS = {"pledges": "pledge", "stakeholders": "stakeholder", "proxies": "proxy"}


def definitions(ctx: Context) -> Iterator[tuple[str, Definition]]:
    """Every id the pack defines, in file order."""
    for doc in ctx.docs(
        *LIST_KINDS,
        "forecast",
        "evaluation",
        "framework",
        "case-study",
        "procurement",
        "commitments",
    ):
        data, kind = doc.data, doc.kind or ""
        if kind in LIST_KINDS:
            for i, item in items(data, kind):
                ident = text(item, "id")
                if ident:
                    yield ident, Definition(LIST_KINDS[kind], doc.path, f"/{kind}/{i}/id")
            continue
        if kind == "commitments":
            yield from _contract_ids(doc.path, data)
            continue
        own = text(data, "id")
        if own:
            yield own, Definition(kind, doc.path, "/id")
        for key, what in (
            ("activities", "activity"),
            ("outputs", "output"),
            ("outcomes", "outcome"),
        ):
            for i, item in items(data, key):
                ident = text(item, "id")
                if ident:
                    yield ident, Definition(what, doc.path, f"/{key}/{i}/id", own)


def _contract_ids(file: str, data: Any) -> Iterator[tuple[str, Definition]]:
    """A commitments document's contract id and its commitments' ids."""
    own = text(mapping(data, "contract"), "id")
    if own:
        yield own, Definition("contract", file, "/contract/id")
    for i, item in items(data, "commitments"):
        ident = text(item, "id")
        if ident:
            yield ident, Definition("commitment", file, f"/commitments/{i}/id", own)


def index(ctx: Context) -> dict[str, Definition]:
    found: dict[str, Definition] = {}
    for ident, definition in definitions(ctx):
        found.setdefault(ident, definition)
    return found


@rule("SV201")
def unique_ids(ctx: Context) -> Iterator[Finding]:
    """Every id is unique across the whole pack.

    Bad (two files)::

        pledges: [{id: outreach, ...}]
        stakeholders: [{id: outreach, ...}]

    Good::

        pledges: [{id: outreach-pledge, ...}]
        stakeholders: [{id: outreach-users, ...}]
    """
    first: dict[str, Definition] = {}
    for ident, definition in definitions(ctx):
        if ident not in first:
            first[ident] = definition
            continue
        other = first[ident]
        line = ctx.line_of(other.file, other.pointer)
        yield make(
            "SV201",
            f"The id '{ident}' is already used by the {other.what} in {other.file} (line {line}).",
            definition.file,
            definition.pointer,
        )


def _refs(ctx: Context) -> Iterator[tuple[str, str, str, str]]:
    """(file, pointer, id named, kind expected) for every reference in the pack."""
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            for j, ident in id_list(pledge, "stakeholders"):
                yield doc.path, f"/pledges/{i}/stakeholders/{j}", ident, "stakeholder"
    for doc in ctx.docs("forecast", "evaluation"):
        forecast = text(doc.data, "forecast") if doc.kind == "evaluation" else None
        if forecast:
            yield doc.path, "/forecast", forecast, "forecast"
        for i, item in items(doc.data, "inputs"):
            if text(item, "stakeholder"):
                yield doc.path, f"/inputs/{i}/stakeholder", item["stakeholder"], "stakeholder"
        for i, outcome in items(doc.data, "outcomes"):
            for key, expected in (
                ("pledge", "pledge"),
                ("stakeholder", "stakeholder"),
                ("proxy", "proxy"),
                ("forecast_outcome", "outcome"),
            ):
                if text(outcome, key):
                    yield doc.path, f"/outcomes/{i}/{key}", outcome[key], expected
    yield from _commitment_refs(ctx)
    for doc in ctx.docs("framework"):
        for i, service in items(doc.data, "coverage"):
            if text(service, "evaluation"):
                yield doc.path, f"/coverage/{i}/evaluation", service["evaluation"], "evaluation"
    for doc in ctx.docs("case-study"):
        for key, expected in (
            ("pledges", "pledge"),
            ("outcomes", "outcome"),
            ("stakeholders", "stakeholder"),
        ):
            for j, ident in id_list(doc.data, key):
                yield doc.path, f"/{key}/{j}", ident, expected


def _commitment_refs(ctx: Context) -> Iterator[tuple[str, str, str, str]]:
    """A commitment's proxy and pledge."""
    for doc in ctx.docs("commitments"):
        for i, commitment in items(doc.data, "commitments"):
            for key in ("proxy", "pledge"):
                if ident := text(commitment, key):
                    yield doc.path, f"/commitments/{i}/{key}", ident, key


@rule("SV202")
def references_resolve(ctx: Context) -> Iterator[Finding]:
    """Every reference names an id of the right kind that the pack defines.

    Bad::

        outcomes:
          - {id: earlier-diagnosis, stakeholder: service-user, ...}   # defined as service-users

    Good::

        outcomes:
          - {id: earlier-diagnosis, stakeholder: service-users, ...}
    """
    known = index(ctx)
    by_kind: dict[str, list[str]] = {}
    for ident, definition in known.items():
        by_kind.setdefault(definition.what, []).append(ident)
    for file, pointer, ident, expected in _refs(ctx):
        if not isinstance(ident, str):
            continue
        found = known.get(ident)
        if found is None:
            suggestion = did_you_mean(ident, by_kind.get(expected, []))
            have = "" if by_kind.get(expected) else f" The pack defines no {expected} yet."
            yield make(
                "SV202", f"No {expected} has the id '{ident}'.{suggestion}{have}", file, pointer
            )
        elif found.what != expected:
            yield make(
                "SV202",
                f"'{ident}' is {_a(found.what)} (in {found.file}), not {_a(expected)}.",
                file,
                pointer,
            )
    yield from _forecast_outcomes(ctx, known)
    yield from _themes(ctx)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _forecast_outcomes(ctx: Context, known: dict[str, Definition]) -> Iterator[Finding]:
    """An evaluation's forecast_outcome must belong to the forecast it names."""
    for doc in ctx.docs("evaluation"):
        forecast = text(doc.data, "forecast")
        for i, outcome in items(doc.data, "outcomes"):
            target = text(outcome, "forecast_outcome")
            found = known.get(target) if target else None
            if found is None or found.what != "outcome":
                continue
            if forecast and found.parent != forecast:
                yield make(
                    "SV202",
                    f"The outcome '{target}' belongs to '{found.parent}', not "
                    f"to the forecast '{forecast}' this evaluation checks.",
                    doc.path,
                    f"/outcomes/{i}/forecast_outcome",
                )
            elif known.get(found.parent or "", Definition("", "", "")).what != "forecast":
                yield make(
                    "SV202",
                    f"The outcome '{target}' is not a forecast outcome.",
                    doc.path,
                    f"/outcomes/{i}/forecast_outcome",
                )


def _themes(ctx: Context) -> Iterator[Finding]:
    themes = ctx.themes()
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            theme = text(pledge, "theme")
            if theme and theme not in themes:
                yield make(
                    "SV202",
                    f"No theme has the id '{theme}'.{did_you_mean(theme, themes)}",
                    doc.path,
                    f"/pledges/{i}/theme",
                    hint="Use one of: "
                    + ", ".join(themes)
                    + " (or define your own under 'themes' in svqm.yaml).",
                )
