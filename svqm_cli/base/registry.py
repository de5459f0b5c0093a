"""A registry of output formats: name → function, each imported on first use.

Every command takes its --format choices from one registry, so `--help` lists exactly
what works, and listing the names imports nothing heavy (`svqm --help` stays fast).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any


class Registry(Mapping[str, Callable[..., Any]]):
    """A read-only mapping of format name → 'module:function', resolved when looked up."""

    def __init__(self, package: str, entries: dict[str, str]) -> None:
        self._package = package
        self._entries = dict(entries)

    def __getitem__(self, name: str) -> Callable[..., Any]:
        module, _, function = self._entries[name].partition(":")
        found: Callable[..., Any] = getattr(import_module(f"{self._package}.{module}"), function)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
