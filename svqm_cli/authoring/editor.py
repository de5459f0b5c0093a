"""Editor set-up written with a pack: the schemas in `.svqm/schemas/` and, at the top of each
document svqm writes, the modeline that points yaml-language-server (VS Code's YAML
extension) at its kind's schema. The path is relative to the document's own folder, which is
how the language server reads it (`../.svqm/...` from a subfolder)."""

from __future__ import annotations

import os
from pathlib import Path

from svqm_cli.base.vocabulary import KINDS
from svqm_cli.base.writing import write_atomic

SCHEMA_DIR = Path(".svqm") / "schemas"


def schema_files(level: int) -> list[tuple[str, str]]:
    """(file name, JSON text) of every kind's schema, and document.json, at LEVEL."""
    from svqm_cli.checking.schema_export import schema_text

    return [(f"{kind or 'document'}.json", schema_text(kind, level)) for kind in (None, *KINDS)]


def write_schemas(root: Path, level: int) -> list[Path]:
    written = []
    for name, text in schema_files(level):
        target = root / SCHEMA_DIR / name
        write_atomic(target, text)
        written.append(target)
    return written


def modeline(root: Path, document: Path, kind: str) -> str:
    """The yaml-language-server comment for DOCUMENT (of KIND) in the pack at ROOT."""
    schema = Path(root).resolve() / SCHEMA_DIR / f"{kind}.json"
    relative = os.path.relpath(schema, start=Path(document).resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def with_modeline(root: Path, document: Path, kind: str, text: str) -> str:
    """TEXT with the modeline on top when the pack has the schema for KIND."""
    if not (root / SCHEMA_DIR / f"{kind}.json").is_file():
        return text
    return modeline(root, document, kind) + text
