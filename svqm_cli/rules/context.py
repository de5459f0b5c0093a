"""What every rule can see: the pack, its level and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from svqm_cli.base.accessors import as_date, items, text
from svqm_cli.base.vocabulary import BUILTIN_THEMES
from svqm_cli.reading.pack import PACK_FILE, Document, Pack


@dataclass
class Context:
    pack: Pack
    level: int
    clean: frozenset[str] = field(default_factory=frozenset)  # files without errors so far

    @property
    def config(self) -> dict[str, Any]:
        doc = self.pack.pack_document
        data = doc.data if doc is not None else None
        return data if isinstance(data, dict) else {}

    @property
    def scheme(self) -> str | None:
        award = self.config.get("award")
        return text(award, "scheme")

    def period(self) -> tuple[dt.date, dt.date] | None:
        award = self.config.get("award")
        period = award.get("period") if isinstance(award, dict) else None
        if not isinstance(period, dict):
            return None
        start, end = as_date(period.get("start")), as_date(period.get("end"))
        return (start, end) if start and end else None

    def themes(self) -> tuple[str, ...]:
        custom = [t.get("id") for _, t in items(self.config, "themes")]
        if "themes" in self.config:
            return tuple(t for t in custom if isinstance(t, str))
        return BUILTIN_THEMES

    def docs(self, *kinds: str) -> list[Document]:
        return [d for d in self.pack.documents if d.kind in kinds and d.readable]

    def line_of(self, path: str, pointer: str) -> int:
        return self.pack.locate(path, pointer)[0]

    @property
    def pack_file(self) -> str:
        return PACK_FILE
