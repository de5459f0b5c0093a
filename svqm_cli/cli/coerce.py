"""Option values without pydantic, for the plain types svqm's commands use.

typer (0.29 and later) converts every option's text through a pydantic TypeAdapter built
when the command runs: importing pydantic and building the adapters is about a third of
`svqm validate` on a small pack. svqm's options are text, paths, flags, numbers and
choices, which need no pydantic: this converts those directly and hands anything else,
and every value it is not sure of (a bad number, an unknown choice, a value out of range),
to typer's own conversion, so that every message stays typer's.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
# Path options with checks typer makes (existence, kind, permissions) are left to typer.
_PATH_DEFAULTS = {
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
}


def _plain(annotation: Any) -> Any:
    """X for X and Optional[X]; None for anything else."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return annotation


def _simple(info: Any) -> bool:
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None):
        return False
    return not getattr(info, "clamp", False)


def convert(target: Any, info: Any, value: Any) -> tuple[bool, Any]:
    """(True, the value) when VALUE converts to TARGET plainly; (False, None) to leave it
    to typer."""
    if not isinstance(value, str) or target is bool:  # a default, or a flag's True/False
        same = isinstance(target, type) and type(value) is target
        return same or (isinstance(target, type) and issubclass(target, enum.Enum)
                        and isinstance(value, target)), value  # fmt: skip
    if target is str:
        return True, value
    if target is Path:
        plain = all(getattr(info, k, d) == d for k, d in _PATH_DEFAULTS.items())
        return plain, Path(value) if plain else None
    if isinstance(target, type) and issubclass(target, enum.Enum):
        try:
            return True, target(value)
        except ValueError:
            return False, None
    if target in (int, float):
        if not (_INT if target is int else _FLOAT).fullmatch(value):
            return False, None
        number = target(value)
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        inside = (low is None or number >= low) and (high is None or number <= high)
        return inside, number if inside else None
    return False, None


def install() -> None:
    """Put the plain conversion in front of typer's, once; a typer without the hook
    (another version) keeps its own."""
    import typer.core

    original = getattr(typer.core, "build_runtime_param", None)
    base = getattr(typer.core, "RuntimeParam", None)
    if original is None or base is None or getattr(original, "_svqm", False):
        return
    typers: Any = original  # typer's own conversion, for everything not plain

    @dataclass(frozen=True)
    class PlainRuntimeParam(base):  # type: ignore[misc, valid-type]
        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            done, converted = convert(_plain(self.annotation), self.parameter_info, value)
            if done:
                return converted
            return typers(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def build(descriptor: Any) -> Any:
        target = _plain(descriptor.annotation)
        simple = target in (str, Path, int, float, bool) or (
            isinstance(target, type) and issubclass(target, enum.Enum)
        )
        if not simple or descriptor.file_annotation is not None:
            return typers(descriptor)
        if not _simple(descriptor.parameter_info):
            return typers(descriptor)
        return PlainRuntimeParam(
            parameter_info=descriptor.parameter_info,
            annotation=descriptor.annotation,
            descriptor=descriptor,
        )

    build._svqm = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build  # type: ignore[attr-defined]
