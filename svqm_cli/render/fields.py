"""Report fields from pack data that may not have passed its schema (draft reports).

Every value comes out with the type the templates expect: text for what a report prints,
lists and mappings where it iterates, and control characters removed.
"""

from __future__ import annotations

from typing import Any

from svqm_cli.base.accessors import fields, get, items_of, mapping, shown, texts
from svqm_cli.base.vocabulary import STANDARD_NAMES
from svqm_cli.render.words import figure, prose_date


def stakeholder(s: dict[str, Any]) -> dict[str, Any]:
    engagement = mapping(s, "engagement")
    return {
        **fields(s, "id", "name", "description"),
        "size": figure(get(s, "size")),
        "engagement": {
            "method": shown(engagement, "method"),
            "sample_size": figure(get(engagement, "sample_size")),
            "date": prose_date(get(engagement, "date")),
        }
        if engagement
        else None,
    }


WITHHELD = "Details withheld: consent to publish is not recorded"


def case_study(c: dict[str, Any], names: Any) -> dict[str, Any]:
    """A case study as a report shows it. Without `consent: true` (spec §5.3) only its title
    and the pledges it illustrates: its narrative, quotes and images never reach a report."""
    pledges = [names.of(p) for p in texts(c, "pledges")]
    consent = c.get("consent") is True
    if not consent:
        return {
            "id": shown(c, "id"),
            "title": shown(c, "title"),
            "pledges": pledges,
            "narrative": "",
            "quotes": [],
            "consent": False,
            "withheld": WITHHELD,
        }
    quotes = []
    for q in items_of(c, "quotes"):
        if isinstance(q, dict):
            quotes.append(fields(q, "text", "by"))
        elif q is not None:
            quotes.append({"text": str(q), "by": ""})
    return {
        **fields(c, "id", "title", "narrative"),
        "pledges": pledges,
        "quotes": quotes,
        "consent": True,
        "withheld": "",
    }


def health(h: dict[str, Any]) -> dict[str, Any]:
    engagement = mapping(h, "engagement")
    return {
        **fields(
            h,
            "executive_sponsor",
            "social_value_lead",
            "environmental_lead",
            "definition",
            "legacy_statement",
        ),
        "development_group": texts(h, "development_group"),
        "engagement": {
            "active_volunteers": figure(get(engagement, "active_volunteers")),
            "volunteer_hours": figure(get(engagement, "volunteer_hours")),
            "methods": texts(engagement, "methods"),
        },
    }


def framework(data: dict[str, Any], names: Any) -> dict[str, Any]:
    governance, quality = mapping(data, "governance"), mapping(data, "quality")
    policy, review = mapping(governance, "policy"), mapping(quality, "review")
    training = data.get("training")
    standards = mapping(data, "standards")
    return {
        "governance": {
            **fields(governance, "board_sponsor", "review_cycle"),
            "policy": {
                **fields(policy, "title", "approved_by"),
                "approved": prose_date(get(policy, "approved")),
            }
            if policy
            else None,
        },
        "systems": [
            fields(x, "name", "owner", "description")
            for x in items_of(mapping(data, "data"), "systems")
            if isinstance(x, dict)
        ],
        "assurance": texts(quality, "assurance"),
        "review": {**fields(review, "type", "by"), "date": prose_date(get(review, "date"))}
        if review
        else None,
        "training": {
            "description": shown(training, "description"),
            "staff_trained": figure(get(training, "staff_trained")),
        }
        if isinstance(training, dict)
        else {"description": str(training), "staff_trained": ""}
        if isinstance(training, str)
        else None,
        "standards": [
            {
                "name": STANDARD_NAMES[k],
                "statement": shown(v, "statement"),
                "evidence": texts(v, "evidence"),
            }
            for k, v in standards.items()
            if k in STANDARD_NAMES and isinstance(v, dict)
        ],
        "coverage": [
            {
                **fields(c, "service", "reason"),
                "evaluation": names.of(shown(c, "evaluation")) if shown(c, "evaluation") else "",
            }
            for c in items_of(data, "coverage")
            if isinstance(c, dict)
        ],
    }
