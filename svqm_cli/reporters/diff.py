"""`svqm diff` output: Markdown for a pull request comment, text, or JSON."""

from __future__ import annotations

import json
from decimal import Decimal

from svqm_cli.checking.diff import PackDiff
from svqm_cli.reporters.commitments import STATUS_WORDS
from svqm_cli.reporters.numbers import BASIS, json_number, money, number, ratio


def _delta(old: Decimal | None, new: Decimal | None) -> str:
    if old is None or new is None:
        return ""
    change = new - old
    return f"{'+' if change >= 0 else '-'}{money(abs(change))}"


def markdown(d: PackDiff, color: bool = False) -> str:
    lines = [f"### svqm diff: `{d.base}` → `{d.head}`", ""]
    commitments = d.contracts or d.commitments or d.deliveries or d.progress
    if not (d.pledges or d.outcomes or d.maps or commitments or d.new_findings or d.fixed_findings):
        return "\n".join([*lines, "No change to pledges, outcomes, figures or findings.", ""])
    if d.maps:
        lines += [
            "| Impact map | Present value before | after | change | SROI ratio before | after |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for ident, pv0, r0, pv1, r1 in d.maps:
            lines.append(
                f"| {ident} | {money(pv0) if pv0 is not None else '-'} | "
                f"{money(pv1) if pv1 is not None else '-'} | {_delta(pv0, pv1)} | "
                f"{ratio(r0) if pv0 is not None else '-'} | "
                f"{ratio(r1) if pv1 is not None else '-'} |"
            )
        lines.append("")
    if d.progress:
        lines += [
            "| Commitment | Delivered before | after | Status before | after |",
            "| --- | ---: | ---: | --- | --- |",
        ]
        for ident, *sides in d.progress:
            totals = [number(x[0]) if x else "-" for x in sides]
            statuses = [STATUS_WORDS[x[1]] if x else "-" for x in sides]
            lines.append(f"| {ident} | {' | '.join(totals)} | {' | '.join(statuses)} |")
        lines.append("")
    for title, changes in (
        ("Pledges", d.pledges),
        ("Outcomes", d.outcomes),
        ("Contracts", d.contracts),
        ("Commitments", d.commitments),
        ("Deliveries", d.deliveries),
    ):
        if changes:
            lines.append(f"**{title}:** " + ", ".join(f"`{c.id}` {c.what}" for c in changes))
            lines.append("")
    for title, items in (("New findings", d.new_findings), ("Fixed findings", d.fixed_findings)):
        if items:
            lines.append(f"**{title} ({len(items)}):**")
            lines += [f"- {item.replace('|', '/')}" for item in items[:50]]
            if len(items) > 50:
                lines.append(f"- ... and {len(items) - 50} more")
            lines.append("")
    return "\n".join(lines)


def as_json(d: PackDiff, color: bool = False) -> str:
    data = {
        "base": d.base,
        "head": d.head,
        "pledges": [{"id": c.id, "change": c.what} for c in d.pledges],
        "outcomes": [{"id": c.id, "change": c.what} for c in d.outcomes],
        "impact_maps": [
            {
                "id": i,
                "present_value_before": json_number(pv0),
                "present_value_after": json_number(pv1),
                "sroi_ratio_before": json_number(r0, BASIS),
                "sroi_ratio_after": json_number(r1, BASIS),
            }
            for i, pv0, r0, pv1, r1 in d.maps
        ],
        "contracts": [{"id": c.id, "change": c.what} for c in d.contracts],
        "commitments": [{"id": c.id, "change": c.what} for c in d.commitments],
        "deliveries": [{"id": c.id, "change": c.what} for c in d.deliveries],
        "commitment_progress": [
            {
                "id": i,
                "delivered_before": json_number(old[0], BASIS) if old else None,
                "delivered_after": json_number(new[0], BASIS) if new else None,
                "status_before": old[1] if old else None,
                "status_after": new[1] if new else None,
            }
            for i, old, new in d.progress
        ],
        "new_findings": list(d.new_findings),
        "fixed_findings": list(d.fixed_findings),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
