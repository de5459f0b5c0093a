"""What each level and scheme needs: documents (SV301), Health Award pledges (SV302),
stakeholder engagement from Level 3 (SV303)."""

from __future__ import annotations

from collections.abc import Iterator

from svqm_cli.base.accessors import items, text
from svqm_cli.base.findings import Finding, make
from svqm_cli.base.vocabulary import level_label, required_kinds
from svqm_cli.rules import rule
from svqm_cli.rules.context import Context

HEALTH_MIN_PLEDGES = 6


@rule("SV301")
def required_documents(ctx: Context) -> Iterator[Finding]:
    """The pack has at least one document of every kind its level needs.

    Bad (level 2, no forecast)::

        award: {level: 2, ...}

    Good: add forecast.yaml with 'kind: forecast' (and stakeholders, proxies).
    """
    present = {d.declared_kind for d in ctx.pack.documents}
    for kind in required_kinds(ctx.level):
        if kind not in present:
            yield make(
                "SV301",
                f"{level_label(ctx.level)} needs a document of kind '{kind}', "
                "and the pack has none.",
                ctx.pack_file,
                "/award/level",
                hint=f"Add a YAML file that starts with 'kind: {kind}'; "
                f"'svqm schema {kind}' shows its fields.",
            )


@rule("SV302")
def health_award_pledges(ctx: Context) -> Iterator[Finding]:
    """Under the SVQM Health Award (scheme: health) the pack has at least six pledges.

    Bad::

        award: {scheme: health, ...}     # and five pledges

    Good: six or more pledges across the pack's pledges files.
    """
    if ctx.scheme != "health":
        return
    count = sum(1 for doc in ctx.docs("pledges") for _ in items(doc.data, "pledges"))
    if count < HEALTH_MIN_PLEDGES:
        yield make(
            "SV302",
            f"The SVQM Health Award asks for at least {HEALTH_MIN_PLEDGES} "
            f"pledges; the pack has {count}.",
            ctx.pack_file,
            "/award/scheme",
        )


@rule("SV303")
def engagement_recorded(ctx: Context) -> Iterator[Finding]:
    """From Level 3, stakeholders of evaluation outcomes have recorded engagement.

    Bad::

        stakeholders: [{id: tenants, name: Tenants}]

    Good::

        stakeholders:
          - id: tenants
            name: Tenants
            engagement: {method: interviews, sample_size: 14, date: 2024-02-20}
    """
    if ctx.level < 3:
        return
    used: dict[str, str] = {}
    for doc in ctx.docs("evaluation"):
        for _, outcome in items(doc.data, "outcomes"):
            ident = text(outcome, "stakeholder")
            if ident:
                used.setdefault(ident, text(outcome, "id") or "?")
    for doc in ctx.docs("stakeholders"):
        for i, group in items(doc.data, "stakeholders"):
            ident = text(group, "id")
            if ident in used and not isinstance(group.get("engagement"), dict):
                yield make(
                    "SV303",
                    f"The stakeholder '{ident}' has a measured outcome "
                    f"('{used[ident]}') but no recorded engagement.",
                    doc.path,
                    f"/stakeholders/{i}",
                )
