"""Safe reading of pack data that may not have passed its schema.

Rules run on documents that failed their schema, draft reports render them, and diff, new
and import read them: none of them may assume a type. Each accessor returns the type its
name promises (or None / an empty value) whatever the YAML held, so a wrong-typed value is a
schema finding and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any


def get(data: Any, key: str) -> Any:
    """DATA[KEY] when DATA is a mapping, else None."""
    return data.get(key) if isinstance(data, dict) else None


def mapping(data: Any, key: str) -> dict[str, Any]:
    """DATA[KEY] when it is a mapping, else {}."""
    value = get(data, key)
    return value if isinstance(value, dict) else {}


def items_of(data: Any, key: str) -> list[Any]:
    """DATA[KEY] when it is a list (of anything), else []."""
    value = get(data, key)
    return value if isinstance(value, list) else []


def items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, item) for each mapping in the list DATA[KEY]; nothing if it is not one."""
    for index, item in enumerate(items_of(data, key)):
        if isinstance(item, dict):
            yield index, item


def text(data: Any, key: str) -> str | None:
    """DATA[KEY] when it is text (an id, a name, a date as written), else None."""
    value = get(data, key)
    return value if isinstance(value, str) else None


def id_list(data: Any, key: str) -> Iterator[tuple[int, str]]:
    """(index, id) for each text in the list DATA[KEY] (references such as `stakeholders:`)."""
    for index, value in enumerate(items_of(data, key)):
        if isinstance(value, str):
            yield index, value


def shown(data: Any, key: str) -> str:
    """DATA[KEY] as a report prints it: any plain value as text, '' when absent or nested."""
    value = get(data, key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def fields(data: Any, *keys: str) -> dict[str, str]:
    """These fields of a mapping, each as a report prints it ('' when absent)."""
    return {key: shown(data, key) for key in keys}


def texts(data: Any, key: str) -> list[str]:
    """The plain values of the list DATA[KEY], each as text."""
    return [
        str(v) for v in items_of(data, key) if v is not None and not isinstance(v, (dict, list))
    ]


def whole_numbers(value: Any) -> list[int]:
    """The whole numbers of a list (SDG and Marmot numbers), skipping anything else."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


def as_date(value: Any) -> dt.date | None:
    """A real calendar date from 'YYYY-MM-DD' text (dates are kept as text at load time)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def as_number(value: Any) -> Decimal | None:
    """A finite number as Decimal; None for text, booleans and anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


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
