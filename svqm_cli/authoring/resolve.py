"""Matching an imported sheet's stakeholders and proxies to the pack's: by id, then by
name; what the pack does not have becomes a new entry, each with the row it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svqm_cli.base.accessors import as_number, items, text


def slug(words: str, fallback: str) -> str:
    made = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:60].strip("-")
    return made or fallback


@dataclass
class Known:
    """What the pack has already: ids, stakeholders by id and name, proxies by id."""

    ids: set[str]
    stakeholders: dict[str, str]  # id -> name
    proxies: dict[str, dict[str, Any]]
    new_stakeholders: list[dict[str, Any]] = field(default_factory=list)
    new_proxies: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)  # new item's rows, by kind

    def unique(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self.ids:
            number += 1
            candidate = f"{wanted}-{number}"
        self.ids.add(candidate)
        return candidate

    def stakeholder(self, ident: str, name: str, row: int) -> str | None:
        if ident and ident in self.stakeholders:
            return ident
        by_name = {v.casefold(): k for k, v in self.stakeholders.items()}
        if not ident and (name.casefold() in by_name or name in self.stakeholders):
            return by_name.get(name.casefold(), name)
        if not ident and not name:
            return None
        made = ident if ident and ident not in self.ids else self.unique(slug(name, "group"))
        self.ids.add(made)
        self.stakeholders[made] = name or made
        self.new_stakeholders.append({"id": made, "name": name or made})
        self.rows.setdefault("stakeholders", []).append(row)
        return made

    def proxy(self, raw: dict[str, Any], indicator: str, row: int) -> Any:
        ident, value = raw.get("proxy", ""), raw.get("proxy_value")
        about = {
            k: raw[f"proxy_{k}"] for k in ("description", "unit", "source") if raw.get(f"proxy_{k}")
        }
        known = self.proxies.get(ident)
        if known is not None:
            if value is None or as_number(known.get("value")) == value:
                return ident
            base = {k: known[k] for k in ("description", "unit", "source") if k in known}
            return {"value": value, **base, **about}  # the sheet changed the value: inline
        if value is None and not ident and not about:
            return None
        for proxy in self.new_proxies:  # rows sharing a proxy share one entry
            if ident == proxy["id"] or (
                not ident
                and proxy.get("description") == about.get("description")
                and proxy.get("value") == value
            ):
                return proxy["id"]
        made = (
            ident
            if ident and ident not in self.ids
            else self.unique(slug(about.get("description", ""), "proxy"))
        )
        self.ids.add(made)
        entry = {
            "id": made,
            "description": about.get("description", made),
            "value": value,
            "unit": about.get("unit", indicator or "unit"),
        }
        if "source" in about:
            entry["source"] = about["source"]
        self.new_proxies.append({k: v for k, v in entry.items() if v is not None})
        self.rows.setdefault("proxies", []).append(row)
        return made


def known_of(root: Path) -> Known:
    from svqm_cli.checking.scan import scan

    pack, _ = scan(root)
    ids: set[str] = set()
    stakeholders: dict[str, str] = {}
    proxies: dict[str, dict[str, Any]] = {}
    for doc in pack.documents:
        ident = text(doc.data, "id")
        if ident:
            ids.add(ident)
        for key in ("stakeholders", "proxies", "outcomes", "pledges", "inputs"):
            for _, item in items(doc.data, key):
                item_id = text(item, "id")
                if item_id is None:
                    continue
                ids.add(item_id)
                if key == "stakeholders":
                    stakeholders[item_id] = text(item, "name") or item_id
                elif key == "proxies":
                    proxies[item_id] = item
    return Known(ids, stakeholders, proxies)
