"""Report fields from pack data that may not have passed its schema (draft reports).

Every value comes out with the type the templates expect: text for what a report prints,
lists and mappings where it iterates, and control characters removed.
"""

from __future__ import annotations

from typing import Any

from svqm_cli.base.accessors import fields, items_of, mapping, shown, texts
from svqm_cli.base.vocabulary import STANDARD_NAMES


def stakeholder(s: dict[str, Any]) -> dict[str, Any]:
    engagement = mapping(s, "engagement")
    return {
        **fields(s, "id", "name", "description", "size"),
        "engagement": fields(engagement, "method", "sample_size", "date") if engagement else None,
    }


def case_study(c: dict[str, Any]) -> dict[str, Any]:
    quotes = []
    for q in items_of(c, "quotes"):
        if isinstance(q, dict):
            quotes.append(fields(q, "text", "by"))
        elif q is not None:
            quotes.append({"text": str(q), "by": ""})
    return {
        **fields(c, "id", "title", "narrative"),
        "quotes": quotes,
        "consent": c.get("consent") is True,
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
            **fields(engagement, "active_volunteers", "volunteer_hours"),
            "methods": texts(engagement, "methods"),
        },
    }


def framework(data: dict[str, Any]) -> dict[str, Any]:
    governance, quality = mapping(data, "governance"), mapping(data, "quality")
    policy, review = mapping(governance, "policy"), mapping(quality, "review")
    training = data.get("training")
    standards = mapping(data, "standards")
    return {
        "governance": {
            **fields(governance, "board_sponsor", "review_cycle"),
            "policy": fields(policy, "title", "approved", "approved_by") if policy else None,
        },
        "systems": [
            fields(x, "name", "owner", "description")
            for x in items_of(mapping(data, "data"), "systems")
            if isinstance(x, dict)
        ],
        "assurance": texts(quality, "assurance"),
        "review": fields(review, "type", "by", "date") if review else None,
        "training": fields(training, "description", "staff_trained")
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
            fields(c, "service", "evaluation", "reason")
            for c in items_of(data, "coverage")
            if isinstance(c, dict)
        ],
    }
