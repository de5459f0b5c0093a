"""JSON text made a part at a time, for the outputs that grow with the pack."""

from __future__ import annotations

import json
from types import GeneratorType
from typing import Any


def dumps_by_parts(data: dict[str, Any]) -> str:
    """json.dumps(DATA, indent=2, ensure_ascii=False), byte for byte, made one top-level
    value (and one item of a top-level list, or generator) at a time: the pure-Python
    encoder that indent needs holds every token of the whole text at once, about 6 KB
    per outcome, where this holds one impact map's."""
    parts = []
    for key, value in data.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, (list, GeneratorType)):
            items = [_nested(json.dumps(v, indent=2, ensure_ascii=False), 4) for v in value]
            text = "[\n" + ",\n".join(items) + "\n  ]" if items else "[]"
        else:
            text = _nested(json.dumps(value, indent=2, ensure_ascii=False), 2)[2:]
        parts.append(f"  {name}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}" if parts else "{}"


def _nested(text: str, depth: int) -> str:
    pad = " " * depth
    return pad + text.replace("\n", "\n" + pad)
