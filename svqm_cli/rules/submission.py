"""What a submission shows beyond the figures (spec §5.1-5.3), as warnings: the basis of each
adjustment (SV440), materiality (SV441), consent (SV442), and progress on due targets
(SV443)."""

from __future__ import annotations

from collections.abc import Iterator

from svqm_cli.base.accessors import as_date, as_number, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

# The adjustments whose non-zero value needs its reason under `basis`, as a report names them.
ADJUSTMENTS = (
    ("deadweight", "deadweight"),
    ("displacement", "displacement"),
    ("attribution", "attribution"),
    ("drop_off", "drop-off"),
    ("leakage", "leakage"),
)
JUSTIFIED_FROM_LEVEL = 3


@rule("SV440")
def adjustments_have_a_basis(ctx: Context) -> Iterator[Finding]:
    """From Level 3, every non-zero adjustment of an outcome has its reason under `basis`.

    Bad::

        {id: tenancy-sustained, deadweight: 0.2, attribution: 0.1,
         basis: {deadweight: 20% found housing unaided in our 2023 follow-up}}

    Good::

        {id: tenancy-sustained, deadweight: 0.2, attribution: 0.1,
         basis: {deadweight: 20% found housing unaided in our 2023 follow-up,
                 attribution: Council housing officers share the work}}
    """
    if ctx.level < JUSTIFIED_FROM_LEVEL:
        return
    for doc in ctx.docs("forecast", "evaluation"):
        for i, outcome in items(doc.data, "outcomes"):
            basis = mapping(outcome, "basis")
            for key, name in ADJUSTMENTS:
                value = as_number(outcome.get(key))
                if value is None or value == 0 or text(basis, key):
                    continue
                yield make(
                    "SV440",
                    f"The outcome '{text(outcome, 'id') or i + 1}' has {_a(name)} of {value} but "
                    f"no 'basis: {{{key}: ...}}' saying where that figure comes from.",
                    doc.path,
                    f"/outcomes/{i}/{key}",
                )


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


@rule("SV441")
def materiality_shown(ctx: Context) -> Iterator[Finding]:
    """From Level 3, an evaluation records a negative outcome or an excluded outcome.

    Bad::

        kind: evaluation
        outcomes: [{id: tenancy-sustained, ...}]

    Good::

        kind: evaluation
        outcomes: [{id: tenancy-sustained, ...}]
        excluded_outcomes:
          - {description: Neighbours feel safer, reason: "Raised by 2 of 40 people asked"}
    """
    if ctx.level < JUSTIFIED_FROM_LEVEL:
        return
    for doc in ctx.docs("evaluation"):
        negative = any(o.get("negative") is True for _, o in items(doc.data, "outcomes"))
        if negative or any(True for _ in items(doc.data, "excluded_outcomes")):
            continue
        yield make(
            "SV441",
            f"The evaluation '{text(doc.data, 'id') or doc.path}' records no negative outcome "
            "and no excluded outcome, so it does not show what was considered and left out.",
            doc.path,
            "/outcomes",
            target="key",
        )


@rule("SV442")
def case_study_consent(ctx: Context) -> Iterator[Finding]:
    """A case study records consent to publish (`consent: true`); without it reports show
    only its title and pledges.

    Bad::

        kind: case-study
        consent: false

    Good::

        kind: case-study
        consent: true
    """
    for doc in ctx.docs("case-study"):
        data = doc.data if isinstance(doc.data, dict) else {}
        if data.get("consent") is True:
            continue
        name = text(data, "title") or text(data, "id") or doc.path
        yield make(
            "SV442",
            f"The case study '{name}' has no recorded consent to publish ('consent' is not "
            "true): reports will withhold its narrative, quotes and images.",
            doc.path,
            "/consent" if "consent" in data else "",
            target="key" if "consent" in data else "value",
        )


@rule("SV443")
def due_targets_have_progress(ctx: Context) -> Iterator[Finding]:
    """From Level 3, a pledge target due by the end of the award period has progress recorded.

    The award period's end is the date the report speaks for (not today's date, so the same
    pack always gives the same findings).

    Bad::

        targets: [{measure: local spend share, quantity: 0.4, unit: share, due: 2025-03-31}]
        # and no progress entry for "local spend share"

    Good::

        progress: [{measure: local spend share, actual: 0.42, as_of: 2025-03-31}]
    """
    period = ctx.period()
    if ctx.level < JUSTIFIED_FROM_LEVEL or period is None:
        return
    end = period[1]
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            recorded = {text(entry, "measure") for _, entry in items(pledge, "progress")}
            for j, target in items(pledge, "targets"):
                due, measure = as_date(target.get("due")), text(target, "measure")
                if due is None or measure is None or due > end or measure in recorded:
                    continue
                yield make(
                    "SV443",
                    f"The target '{measure}' of the pledge '{text(pledge, 'id') or i + 1}' was "
                    f"due on {due.isoformat()}, by the end of the award period "
                    f"({end.isoformat()}), but has no progress recorded.",
                    doc.path,
                    f"/pledges/{i}/targets/{j}/due",
                )
