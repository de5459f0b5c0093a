"""A cache of per-file results, so an unchanged pack is checked again in a moment.

Entries live under the user's cache folder (SVQM_CACHE_DIR, else $XDG_CACHE_HOME/svqm,
else ~/.cache/svqm), never in the pack. Each is keyed by the file's bytes, its path, the
level checked against, the svqm version and a hash of svqm's own code and schemas, so any
change misses (an editable install that changes its code too). Entries are JSON, never
pickle: a tampered cache cannot run code, and a damaged entry is simply a miss.
Deleting the folder is always safe. SVQM_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from svqm_cli import __version__
from svqm_cli.base import resources

_DECIMAL = "\x00d"  # a key no YAML document can hold: NUL bytes are refused on reading


def cache_dir() -> Path | None:
    if os.environ.get("SVQM_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("SVQM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "svqm"


@cache
def code_fingerprint() -> str:
    """A hash of svqm's own code and schemas, computed once per run (about 2 ms).

    The version alone is not enough: an editable install keeps its version while its code
    changes, and stale findings from older rules would be served.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\x00")
        digest.update(path.read_bytes())
    folder = resources.schemas_dir()
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            digest.update(entry.name.encode() + b"\x00")
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def key(raw: bytes, rel: str, level: int) -> str:
    digest = hashlib.sha256()
    for part in (__version__, code_fingerprint(), str(level), rel):
        digest.update(part.encode("utf-8") + b"\x00")
    digest.update(raw)
    return digest.hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode_object(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DECIMAL in obj:
        return Decimal(obj[_DECIMAL])
    return obj


def _path(folder: Path, entry: str) -> Path:
    return folder / f"v{__version__}" / entry[:2] / f"{entry}.json"


def get(entry: str) -> dict[str, Any] | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        text = _path(folder, entry).read_text(encoding="utf-8")
        value = json.loads(text, object_hook=_decode_object)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def put(entry: str, value: dict[str, Any]) -> None:
    """Store an entry; a cache that cannot be written is skipped, never an error."""
    folder = cache_dir()
    if folder is None:
        return
    target = _path(folder, entry)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_encode(value), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        return
