"""The one place that finds schemas/ and templates/.

In a wheel they are package data under svqm_cli/_data/; in a source checkout (editable
install, tests) they are the top-level folders beside svqm_cli/.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable


@cache
def _data_dir(name: str) -> Traversable:
    packaged = files("svqm_cli") / "_data" / name
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"svqm is installed without its {name}/ folder")


def schemas_dir() -> Traversable:
    return _data_dir("schemas")


def templates_dir() -> Traversable:
    return _data_dir("templates")


def read_schema_text(filename: str) -> str:
    return (schemas_dir() / filename).read_text(encoding="utf-8")


def templates_path() -> Path:
    """A real folder path for Jinja2's FileSystemLoader."""
    return Path(str(templates_dir()))
