"""The rules' findings of an unchanged pack, from the cache.

The rules look across the whole pack (references, totals, chains, plausibility), so they
run on every `validate`, `value`, `render` and `export`: about half a second at 10,000
outcomes even when every file comes from the cache. Their findings depend only on the
pack's documents (path, bytes and order), the level checked against and svqm's own code,
which are exactly what the per-file cache keys cover; so the findings of every rule that
looks at nothing else are kept under a key made of the documents' keys, and an unchanged
pack gets them back at once. Rules that look at other files (the evidence rule checks that
files exist) are marked ``reads_files`` and run every time. Entries are signed like every
cache entry (cache.py), and one that does not check out is a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from svqm_cli.base.findings import Finding
from svqm_cli.checking import cache
from svqm_cli.checking.scan import finding_entry, finding_from, valid_finding
from svqm_cli.reading.pack import Pack


def pack_key(pack: Pack, level: int) -> str | None:
    """The key of the pack's documents as read; None when a document has none (it could
    not be read, so its state is not in its bytes)."""
    digest = hashlib.sha256(f"rules\x00{level}\x00".encode())
    for doc in pack.documents:
        key = pack.content_keys.get(doc.path)
        if key is None:
            return None
        digest.update(f"{doc.path}\x00{key}\x00".encode())
    return digest.hexdigest()


def get(key: str, pack: Pack) -> list[Finding] | None:
    entry = cache.get(key)
    if entry is None or set(entry) != {"findings"} or not isinstance(entry["findings"], list):
        return None
    paths = {d.path for d in pack.documents}
    out: list[Finding] = []
    for item in entry["findings"]:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            return None
        rest = {k: v for k, v in item.items() if k != "file"}
        if item["file"] not in paths or not valid_finding(rest):
            return None
        out.append(finding_from(item["file"], rest))
    return out


def put(key: str, findings: Iterable[Finding]) -> None:
    cache.put(key, {"findings": [{"file": f.location.file, **finding_entry(f)} for f in findings]})
