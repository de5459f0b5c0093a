"""A cache of per-file results, so an unchanged pack is checked again in a moment.

Entries live under the user's cache folder (SVQM_CACHE_DIR, else $XDG_CACHE_HOME/svqm,
else ~/.cache/svqm), never in the pack. Each is keyed by the file's bytes, its path, the
level checked against, the svqm version and a hash of svqm's own code and schemas, so any
change misses (an editable install that changes its code too). Entries are JSON, never
pickle: a tampered cache cannot run code. Each entry is signed (HMAC) over its key and body
with a per-user key kept outside the cache folder (see ``signing_key``) and checked against
the shape scan.py expects; an entry that does not check out is simply a miss, so a cache
folder restored, shared or planted from elsewhere cannot hide a finding.
Deleting the folder is always safe. SVQM_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
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
        text = obj[_DECIMAL]
        if not isinstance(text, str):
            raise ValueError("a cached number is not text")
        try:
            number = Decimal(text)
        except ArithmeticError as exc:  # decimal.InvalidOperation: not a number at all
            raise ValueError("a cached number is damaged") from exc
        if not number.is_finite():  # the loader never lets NaN or infinity through
            raise ValueError("a cached number is not finite")
        return number
    return obj


def _refuse(text: str) -> Any:
    # YAML numbers arrive as int or Decimal; a JSON float, NaN or Infinity is tampering.
    raise ValueError(f"unexpected number {text} in a cache entry")


def _check(entry: str, body: str) -> str:
    """The signature an entry is stored with: an HMAC of its key and body under this
    user's cache key, so that an entry edited, damaged, moved to another key (another
    file's) or written by anyone without the key does not check out."""
    secret = signing_key()
    message = entry.encode("utf-8") + b"\x00" + body.encode("utf-8")
    return hmac.new(secret or b"", message, hashlib.sha256).hexdigest()


@cache
def signing_key() -> bytes | None:
    """SVQM_CACHE_KEY when set (to share a cache between machines that share the secret);
    else a random key made once per user and kept outside the cache folder
    ($XDG_CONFIG_HOME/svqm/cache-key, else ~/.config/svqm/cache-key, readable by the user
    only), so a cache folder restored or planted from elsewhere is never trusted. None
    (no caching) when there is no key and none can be made."""
    shared = os.environ.get("SVQM_CACHE_KEY", "")
    if shared:
        return shared.encode("utf-8")
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "svqm" / "cache-key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    except FileExistsError:
        pass  # another svqm made it first: use theirs
    except OSError:
        return None
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    """The key in PATH when it is a regular file of this user's, closed to others."""
    info = os.lstat(path)
    private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
    if not private or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return None
    key = path.read_bytes().strip()
    return key if len(key) >= 32 else None


def _path(folder: Path, entry: str) -> Path:
    return folder / f"v{__version__}" / entry[:2] / f"{entry}.json"


def get(entry: str) -> dict[str, Any] | None:
    """The entry stored under ENTRY, or None (a miss) when there is none or it does not
    check out: a wrong content hash, damaged JSON, or a number that is not one."""
    folder = cache_dir()
    if folder is None or signing_key() is None:
        return None
    try:
        text = _path(folder, entry).read_text(encoding="utf-8")
        check, _, body = text.partition("\n")
        if check != _check(entry, body):
            return None
        value = json.loads(
            body, object_hook=_decode_object, parse_float=_refuse, parse_constant=_refuse
        )
    except (OSError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def put(entry: str, value: dict[str, Any]) -> None:
    """Store an entry; a cache that cannot be written is skipped, never an error."""
    folder = cache_dir()
    if folder is None or signing_key() is None:
        return
    target = _path(folder, entry)
    body = json.dumps(_encode(value), ensure_ascii=False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(_check(entry, body) + "\n" + body, encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        return
