"""Dates: the award period (SV206, SV207), target due dates (SV205), progress (SV208)."""

from __future__ import annotations

from collections.abc import Iterator

from svqm_cli.base.accessors import as_date, items, mapping, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.suggest import did_you_mean
from svqm_cli.base.vocabulary import one_year_end
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context


@rule("SV206")
def award_period_length(ctx: Context) -> Iterator[Finding]:
    """The award period lasts at most 12 months (end <= start + 1 year - 1 day).

    Bad::

        period: {start: 2022-11-17, end: 2023-11-17}

    Good::

        period: {start: 2022-11-17, end: 2023-11-16}
    """
    period = ctx.period()
    if period and period[1] >= period[0] and period[1] > one_year_end(period[0]):
        latest = one_year_end(period[0]).isoformat()
        yield make(
            "SV206",
            f"The award period runs from {period[0]} to {period[1]}, more than "
            f"12 months; it can end on {latest} at the latest.",
            ctx.pack_file,
            "/award/period/end",
        )


@rule("SV207")
def periods_in_order(ctx: Context) -> Iterator[Finding]:
    """Every period ends on or after the day it starts.

    Bad::

        period: {start: 2023-11-16, end: 2022-11-17}

    Good::

        period: {start: 2022-11-17, end: 2023-11-16}
    """
    award = ctx.config.get("award")
    places = [
        (ctx.pack_file, "/award/period", award.get("period") if isinstance(award, dict) else None)
    ]
    for doc in ctx.docs("forecast", "evaluation", "procurement"):
        places.append((doc.path, "/period", doc.data.get("period")))
    for doc in ctx.docs("commitments"):
        places.append((doc.path, "/contract/term", mapping(doc.data, "contract").get("term")))
        for i, commitment in items(doc.data, "commitments"):
            for j, entry in items(commitment, "delivered"):
                places.append(
                    (doc.path, f"/commitments/{i}/delivered/{j}/period", entry.get("period"))
                )
    for file, pointer, period in places:
        if not isinstance(period, dict):
            continue
        start, end = as_date(period.get("start")), as_date(period.get("end"))
        if start and end and end < start:
            yield make(
                "SV207",
                f"The period ends ({end}) before it starts ({start}).",
                file,
                f"{pointer}/end",
            )


@rule("SV205")
def targets_due_in_period(ctx: Context) -> Iterator[Finding]:
    """Each pledge target is due inside the award period.

    Bad (award period 2022-11-17 to 2023-11-16)::

        targets: [{measure: clinics delivered, quantity: 40, unit: clinic, due: 2024-03-31}]

    Good::

        targets: [{measure: clinics delivered, quantity: 40, unit: clinic, due: 2023-11-16}]
    """
    period = ctx.period()
    if period is None or period[1] < period[0]:
        return
    start, end = period
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            for j, target in items(pledge, "targets"):
                due = as_date(target.get("due"))
                if due and not start <= due <= end:
                    yield make(
                        "SV205",
                        f"The target '{text(target, 'measure') or j + 1}' of "
                        f"pledge '{text(pledge, 'id')}' is due on {due}, outside the "
                        f"award period {start} to {end}.",
                        doc.path,
                        f"/pledges/{i}/targets/{j}/due",
                    )


@rule("SV208")
def progress_matches_targets(ctx: Context) -> Iterator[Finding]:
    """Each progress entry names the measure of one of the pledge's targets.

    Bad::

        targets: [{measure: pop-up clinics delivered, ...}]
        progress: [{measure: clinics, actual: 42, as_of: 2023-11-01}]

    Good::

        progress: [{measure: pop-up clinics delivered, actual: 42, as_of: 2023-11-01}]
    """
    for doc in ctx.docs("pledges"):
        for i, pledge in items(doc.data, "pledges"):
            measures = [m for _, t in items(pledge, "targets") if (m := text(t, "measure"))]
            for j, entry in items(pledge, "progress"):
                measure = text(entry, "measure")
                if measure and measure not in measures:
                    yield make(
                        "SV208",
                        f"No target of pledge '{text(pledge, 'id')}' measures "
                        f"'{measure}'.{did_you_mean(measure, measures)}",
                        doc.path,
                        f"/pledges/{i}/progress/{j}/measure",
                    )
