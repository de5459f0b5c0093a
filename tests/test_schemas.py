from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from svqm_cli.base import resources
from svqm_cli.checking.schema_export import schema_text
from svqm_cli.checking.schemas import KIND_SCHEMAS, check_document, schema_name

SCHEMA_FILES = sorted(p.name for p in resources.schemas_dir().iterdir() if p.name.endswith(".json"))


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((resources.schemas_dir() / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema.get("title") and schema.get("description")


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found += [(f"{path}/{k}", v) for k, v in value.items() if isinstance(v, dict)]
            if key != "if":  # conditions name fields, they do not define them
                found += _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += _properties(item, f"{path}/{i}")
    return found


@pytest.mark.parametrize("name", [n for n in SCHEMA_FILES if ".level-" not in n])
def test_every_property_has_title_and_description(name: str) -> None:
    schema = json.loads((resources.schemas_dir() / name).read_text(encoding="utf-8"))
    for path, prop in _properties(schema):
        assert prop.get("title") and prop.get("description"), f"{name}{path}"


@pytest.mark.parametrize("kind", KIND_SCHEMAS)
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_bundled_schema_is_self_contained(kind: str, level: int) -> None:
    schema = json.loads(schema_text(kind, level))
    Draft202012Validator.check_schema(schema)
    # Resolves with no registry: everything it refers to is embedded.
    list(Draft202012Validator(schema).iter_errors({"kind": kind}))


def test_overlays_apply_by_level() -> None:
    assert schema_name("evaluation", 1) == "evaluation.json"
    assert schema_name("evaluation", 2) == "evaluation.level-2.json"
    assert schema_name("evaluation", 4) == "evaluation.level-3.json"
    assert schema_name("framework", 3) == "framework.json"
    assert schema_name("framework", 4) == "framework.level-4.json"


OUTCOME = {
    "id": "o",
    "stakeholder": "s",
    "description": "d",
    "indicator": "i",
    "quantity": 5,
    "duration": 1,
}
EVALUATION = {
    "kind": "evaluation",
    "id": "e",
    "scope": {"name": "n", "type": "service"},
    "period": {"start": "2024-01-01", "end": "2024-12-31"},
    "inputs": [],
    "outcomes": [OUTCOME],
}


def messages(kind: str, level: int, data: Any) -> list[tuple[str, str, str]]:
    return [
        (f.code, f.location.pointer, f.message) for f in check_document(kind, level, data, "x.yaml")
    ]


def test_same_kind_is_stricter_at_higher_levels() -> None:
    assert messages("evaluation", 1, EVALUATION) == []
    assert [m[:2] for m in messages("evaluation", 2, EVALUATION)] == [("SV102", "/outcomes/0")]
    level3 = messages("evaluation", 3, EVALUATION)
    assert sorted(m[2].split("`")[1] for m in level3) == ["evidence", "method", "proxy"]


def test_plain_english_type_error() -> None:
    data = {
        "kind": "pledges",
        "pledges": [
            {
                "id": "p",
                "theme": "economic",
                "title": "t",
                "commitment": "c",
                "targets": [
                    {"measure": "m", "quantity": "eighty", "unit": "u", "due": "2024-01-01"}
                ],
            }
        ],
    }
    ((code, pointer, message),) = messages("pledges", 1, data)
    assert code == "SV101" and pointer == "/pledges/0/targets/0/quantity"
    assert message.startswith('`quantity` must be a number, got the text "eighty"')
    assert "pledge 'p'" in message


def test_unknown_key_suggests_the_nearest() -> None:
    data = dict(EVALUATION, outcomes=[dict(OUTCOME, quantiy=3)])
    ((code, pointer, message),) = messages("evaluation", 1, data)
    assert (code, pointer) == ("SV103", "/outcomes/0/quantiy")
    assert "Did you mean `quantity`?" in message


def test_x_keys_are_free() -> None:
    assert messages("evaluation", 1, dict(EVALUATION, **{"x-notes": {"any": [1]}})) == []


def test_share_above_one_hints_at_percentages() -> None:
    data = dict(EVALUATION, outcomes=[dict(OUTCOME, deadweight=Decimal(25))])
    (finding,) = check_document("evaluation", 1, data, "x.yaml")
    assert finding.code == "SV105" and "0.25" in finding.hint


def test_empty_value_says_empty() -> None:
    data = dict(EVALUATION, outcomes=[dict(OUTCOME, quantity=None)])
    ((code, _, message),) = messages("evaluation", 1, data)
    assert code == "SV101" and message.startswith("`quantity` is empty")


def test_invalid_date_and_id() -> None:
    data = dict(EVALUATION, id="Big Project", period={"start": "2024-02-30", "end": "2024-12-31"})
    found = {m[0]: m[2] for m in messages("evaluation", 1, data)}
    assert "not a real date" in found["SV106"] or "id" in found["SV106"]
    findings = check_document("evaluation", 1, data, "x.yaml")
    assert any(f.hint == "Write it as 'big-project'." for f in findings)


def test_health_scheme_needs_health_section() -> None:
    pack = {
        "kind": "pack",
        "svqm": 1,
        "organisation": {"name": "n", "type": "other"},
        "award": {
            "level": 1,
            "scheme": "health",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
        },
    }
    ((code, pointer, message),) = messages("pack", 1, pack)
    assert (code, pointer) == ("SV102", "") and "`health`" in message


def test_level_names_are_accepted() -> None:
    pack = {
        "kind": "pack",
        "svqm": 1,
        "organisation": {"name": "n", "type": "other"},
        "award": {
            "level": "gold",
            "scheme": "core",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
        },
    }
    assert messages("pack", 1, pack) == []
    pack["award"]["level"] = "Gold"
    ((code, _, message),) = messages("pack", 1, pack)
    assert code == "SV104" and "Did you mean `gold`?" in message


def test_coverage_needs_evaluation_or_reason() -> None:
    data = {"kind": "framework", "id": "f", "coverage": [{"service": "Estates"}]}
    ((code, pointer, message),) = messages("framework", 1, data)
    assert (code, pointer) == ("SV102", "/coverage/0")
    assert "`evaluation` or `reason`" in message and "Estates" in message


def test_inline_proxy_needs_a_source() -> None:
    data = dict(EVALUATION, outcomes=[dict(OUTCOME, proxy={"value": 3, "unit": "u"})])
    ((code, pointer, message),) = messages("evaluation", 1, data)
    assert (code, pointer) == ("SV102", "/outcomes/0/proxy")
    assert "`source`" in message
