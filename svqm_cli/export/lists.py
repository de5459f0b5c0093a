"""The list tables of an export: pledge progress, contract commitments and LM3. The
figures come from calc; in a workbook the derived columns (LM3 score and local share, the
commitments' values) are formulas over the row, so a change to a cell carries through."""

from __future__ import annotations

from svqm_cli.base.accessors import as_date, items, scrub, text
from svqm_cli.calc.report import ValueReport
from svqm_cli.export.columns import Column, Table, text_of
from svqm_cli.reading.pack import Pack

PROGRESS_COLUMNS = (
    Column("pledge", "Pledge", "text"),
    Column("title", "Pledge title", "text"),
    Column("measure", "Measure", "text"),
    Column("unit", "Unit", "text"),
    Column("baseline", "Baseline", "number"),
    Column("target", "Target", "number"),
    Column("due", "Due", "date"),
    Column("actual", "Latest actual", "number"),
    Column("as_of", "As of", "date"),
    Column("status", "Status", "text"),
)
LM3_COLUMNS = (
    Column("id", "Procurement", "text"),
    Column("local_area", "Local area", "text"),
    Column("round_1", "Round 1: income", "money"),
    Column("round_2", "Round 2: local spend", "money"),
    Column("round_3", "Round 3: local re-spend", "money"),
    Column("total_spend", "Total spend", "money"),
    Column("score", "LM3", "score"),
    Column("local_share", "Local share of spend", "share"),
)
COMMITMENT_COLUMNS = (
    Column("contract", "Contract", "text"),
    Column("supplier", "Supplier", "text"),
    Column("id", "Commitment", "text"),
    Column("description", "Description", "text"),
    Column("unit", "Unit", "text"),
    Column("target", "Target", "number"),
    Column("delivered", "Delivered", "number"),
    Column("as_of", "Delivered by", "date"),
    Column("expected", "Expected by then", "number"),
    Column("status", "Status", "text"),
    Column("proxy_value", "Value per unit", "money"),
    Column("value_committed", "Value committed", "money"),
    Column("value_delivered", "Value delivered", "money"),
    Column("rating", "Rating", "text"),
)


def progress_table(pack: Pack, report: ValueReport) -> Table | None:
    if not report.progress:
        return None
    titles = {
        ident: text_of(p, "title")
        for doc in pack.of_kind("pledges")
        for _, p in items(doc.data, "pledges")
        if (ident := text(p, "id")) is not None
    }
    rows = tuple(
        (
            p.pledge,
            titles.get(p.pledge, ""),
            str(scrub(p.measure)),
            str(scrub(p.unit)),
            p.baseline,
            p.target,
            as_date(p.due),
            p.actual,
            as_date(p.as_of),
            p.status,
        )
        for p in report.progress
    )
    return Table("Progress", "Pledge progress", PROGRESS_COLUMNS, rows)


def lm3_table(report: ValueReport) -> Table | None:
    if not report.lm3:
        return None
    rows = tuple(
        (
            m.id,
            str(scrub(m.local_area)),
            m.round_1,
            m.round_2,
            m.round_3,
            m.total_spend,
            m.score,
            m.local_share,
        )
        for m in report.lm3
    )
    formulas = (
        ("score", '=IF({round_1}=0,"",({round_1}+{round_2}+{round_3})/{round_1})'),
        ("local_share", '=IF({total_spend}=0,"",{round_2}/{total_spend})'),
    )
    return Table("LM3", "Local Multiplier 3", LM3_COLUMNS, rows, formulas)


def commitments_table(report: ValueReport) -> Table | None:
    """Contract commitments (spec §5.4): committed and delivered, where delivery stands
    against the straight-line trajectory, and the value at the proxy's price (undiscounted,
    as `svqm value` gives it); the two values are formulas over the row."""
    rows = tuple(
        (
            k.id,
            k.supplier,
            c.id,
            c.description,
            c.unit,
            c.target,
            c.delivered,
            as_date(c.as_of),
            c.expected,
            c.status,
            c.proxy_value,
            c.value_committed,
            c.value_delivered,
            c.rating or "",
        )
        for k in report.contracts
        for c in k.commitments
    )
    if not rows:
        return None
    formulas = (
        ("value_committed", '=IF({proxy_value}="","",{target}*{proxy_value})'),
        ("value_delivered", '=IF({proxy_value}="","",{delivered}*{proxy_value})'),
    )
    return Table("Commitments", "Contract commitments", COMMITMENT_COLUMNS, rows, formulas)
