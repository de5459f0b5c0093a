"""Theory of change (spec §5.1): outputs, activities and outcome chains resolve inside their
impact map (SV210-SV212), chains have no loop (SV213); assurance scopes name impact maps
(SV214)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from svqm_cli.base.accessors import id_list, items, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

MAP_KINDS = ("forecast", "evaluation")


def _ids(data: Any, key: str) -> list[str]:
    return [ident for _, item in items(data, key) if (ident := text(item, "id"))]


def _unknown(what: str, ident: str, map_id: str, known: list[str]) -> str:
    has = f" It has: {', '.join(known)}." if known and len(known) <= 8 else ""
    none = f" The impact map defines no {what}s yet." if not known else ""
    return (
        f"The impact map '{map_id}' has no {what} with the id '{ident}'."
        f"{did_you_mean(ident, known)}{has}{none}"
    )


@rule("SV210", "SV211")
def outputs_and_activities_resolve(ctx: Context) -> Iterator[Finding]:
    """An outcome's `output` names an output, and an output's `activity` an activity, of the
    same impact map.

    Bad::

        outputs: [{id: beds-provided, activity: tenancies, description: Beds}]
        outcomes: [{id: tenancy-sustained, output: beds, ...}]

    Good::

        activities: [{id: tenancies, description: Supported tenancies}]
        outputs: [{id: beds-provided, activity: tenancies, description: Beds}]
        outcomes: [{id: tenancy-sustained, output: beds-provided, ...}]
    """
    for doc in ctx.docs(*MAP_KINDS):
        map_id = text(doc.data, "id") or doc.path
        activities, outputs = _ids(doc.data, "activities"), _ids(doc.data, "outputs")
        for i, output in items(doc.data, "outputs"):
            named = text(output, "activity")
            if named and named not in activities:
                message = _unknown("activity", named, map_id, activities)
                yield make("SV211", message, doc.path, f"/outputs/{i}/activity")
        for i, outcome in items(doc.data, "outcomes"):
            named = text(outcome, "output")
            if named and named not in outputs:
                message = _unknown("output", named, map_id, outputs)
                yield make("SV210", message, doc.path, f"/outcomes/{i}/output")


@rule("SV212", "SV213")
def outcome_chains(ctx: Context) -> Iterator[Finding]:
    """Each `leads_to` entry names an outcome of the same impact map, and the chain has no loop.

    Bad::

        outcomes:
          - {id: tenancy-sustained, leads_to: [wellbeing-improved], ...}
          - {id: wellbeing-improved, leads_to: [tenancy-sustained], ...}

    Good::

        outcomes:
          - {id: tenancy-sustained, leads_to: [wellbeing-improved], ...}
          - {id: wellbeing-improved, ...}
    """
    for doc in ctx.docs(*MAP_KINDS):
        map_id = text(doc.data, "id") or doc.path
        outcomes = _ids(doc.data, "outcomes")
        known = set(outcomes)
        edges: dict[str, list[tuple[str, str]]] = {}  # outcome -> [(next, pointer)]
        for i, outcome in items(doc.data, "outcomes"):
            own = text(outcome, "id")
            for j, named in id_list(outcome, "leads_to"):
                pointer = f"/outcomes/{i}/leads_to/{j}"
                if named not in known:
                    message = _unknown("outcome", named, map_id, outcomes)
                    yield make("SV212", message, doc.path, pointer)
                elif own:
                    edges.setdefault(own, []).append((named, pointer))
        for cycle, pointer in _cycles(outcomes, edges):
            yield make(
                "SV213",
                f"The outcome chain of '{map_id}' goes round in a circle: {' → '.join(cycle)}.",
                doc.path,
                pointer,
            )


def _cycles(
    order: list[str], edges: dict[str, list[tuple[str, str]]]
) -> Iterator[tuple[list[str], str]]:
    """Each loop a depth-first walk finds (one per edge back to an outcome on the walk's
    path), as the outcomes in order and the pointer of the entry that closes it. Iterative,
    so a chain of thousands of outcomes cannot exhaust Python's stack."""
    done: set[str] = set()
    for root in order:
        if root in done:
            continue
        path: list[str] = [root]
        on_path = {root: 0}
        todo = [iter(edges.get(root, ()))]
        while todo:
            step = next(todo[-1], None)
            if step is None:
                todo.pop()
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                continue
            target, pointer = step
            if target in on_path:
                yield [*path[on_path[target] :], target], pointer
            elif target not in done:
                on_path[target] = len(path)
                path.append(target)
                todo.append(iter(edges.get(target, ())))


@rule("SV214")
def assurance_scope(ctx: Context) -> Iterator[Finding]:
    """Each id in an assurance entry's `scope` (svqm.yaml) is a forecast or evaluation.

    Bad::

        assurance:
          - {by: Social Value Business, scope: [outreach-2023], ...}   # the map is outreach-2024

    Good::

        assurance:
          - {by: Social Value Business, scope: [outreach-2024], ...}
    """
    maps = [ident for doc in ctx.docs(*MAP_KINDS) if (ident := text(doc.data, "id"))]
    for i, entry in items(ctx.config, "assurance"):
        for j, named in id_list(entry, "scope"):
            if named not in maps:
                have = (
                    f" The pack's impact maps are: {', '.join(sorted(maps))}."
                    if maps and len(maps) <= 8
                    else ""
                )
                yield make(
                    "SV214",
                    f"The assurance by '{text(entry, 'by') or '?'}' covers '{named}', which is "
                    f"not a forecast or evaluation of the pack.{did_you_mean(named, maps)}{have}",
                    ctx.pack_file,
                    f"/assurance/{i}/scope/{j}",
                )
