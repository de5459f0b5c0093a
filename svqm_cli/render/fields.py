"""Report fields from pack data that may not have passed its schema (draft reports).

Every value comes out with the type the templates expect: text for what a report prints,
lists and mappings where it iterates, and control characters removed.
"""

from __future__ import annotations

import re
from typing import Any

STANDARD_NAMES = {
    "plan": "Plan",
    "demonstrate": "Demonstrate",
    "calculate": "Calculate",
    "report": "Report",
    "eco-system": "Eco System",
    "performance-manage": "Performance Manage",
    "trust": "Trust",
    "influence-and-leadership": "Influence and Leadership",
    "culture": "Culture",
}


def text(data: Any, key: str) -> str:
    """A field as text for a report ('' when absent or not a plain value)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def fields(data: Any, *keys: str) -> dict[str, str]:
    """These fields of a mapping, each as text ('' when absent)."""
    return {key: text(data, key) for key in keys}


def mapping(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def items_of(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def texts(data: Any, key: str) -> list[str]:
    return [str(v) for v in items_of(data, key) if not isinstance(v, (dict, list))]


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


def numbers(value: Any) -> list[int]:
    return [v for v in value if isinstance(v, int)] if isinstance(value, list) else []


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
                "statement": text(v, "statement"),
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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def scrub(value: Any) -> Any:
    """The same value with control characters removed from its text: YAML can carry them
    ("\\u0000"), and no report format can show them (Word's XML refuses them outright)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v) for v in value)
    return value
