"""The Local Multiplier 3 (nef): LM3 = (round 1 + round 2 + round 3) / round 1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from svqm_cli.calc.sroi import ZERO, decimal_of


@dataclass(frozen=True)
class LM3:
    id: str
    local_area: str
    round_1: Decimal  # income
    round_2: Decimal  # spend on local suppliers and local staff
    round_3: Decimal  # what local suppliers and staff re-spend locally
    total_spend: Decimal
    score: Decimal | None  # None when income is zero
    local_share: Decimal | None  # round 2 / total spend


def outward_code(postcode: str) -> str:
    compact = postcode.replace(" ", "").upper()
    return compact[:-3] if len(compact) > 3 else compact


def is_local(line: Mapping[str, Any], districts: set[str]) -> bool:
    if isinstance(line.get("local"), bool):
        return bool(line["local"])
    postcode = line.get("postcode")
    return isinstance(postcode, str) and outward_code(postcode) in districts


def lm3(data: Mapping[str, Any]) -> LM3:
    """LM3 of a schema-valid procurement document."""
    area = data["local_area"]
    districts = {str(p).upper() for p in area.get("postcodes", [])}
    income = decimal_of(data["income"])
    suppliers = staff = total = ZERO
    for line in data["spend"]:
        amount = decimal_of(line["amount"])
        total += amount
        if is_local(line, districts):
            if line.get("type") == "staff":
                staff += amount
            else:
                suppliers += amount
    respend = data["respend"]
    round_2 = suppliers + staff
    round_3 = suppliers * decimal_of(respend["suppliers"]) + staff * decimal_of(respend["staff"])
    return LM3(
        id=data["id"],
        local_area=area["name"],
        round_1=income,
        round_2=round_2,
        round_3=round_3,
        total_spend=total,
        score=(income + round_2 + round_3) / income if income else None,
        local_share=round_2 / total if total else None,
    )
