"""`svqm init`: a new pack that validates at its level, from commented templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from svqm_cli.authoring.editor import SCHEMA_DIR, modeline, schema_files
from svqm_cli.base import resources
from svqm_cli.base.errors import UsageError
from svqm_cli.base.vocabulary import STANDARDS, one_year_end, required_kinds
from svqm_cli.base.writing import write_atomic

# Evidence files the templates refer to, by the level that first needs them.
EVIDENCE = {3: ("evidence/volunteering-log.csv",), 4: ("evidence/social-value-policy.md",)}


def plan(level: int) -> list[tuple[str, str]]:
    """(file to write, template) for a pack at LEVEL."""
    files = [("svqm.yaml", "svqm.yaml.j2")]
    files += [(f"{kind}.yaml", f"{kind}.yaml.j2") for kind in required_kinds(level)]
    for needed_from, paths in EVIDENCE.items():
        if level >= needed_from:
            files += [(p, Path(p).name + ".j2") for p in paths]
    return files


def create(directory: Path, level: int, today: dt.date | None = None) -> list[Path]:
    """Write the pack's files; refuse (exit 2) if any of them exists already."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    files = plan(level)
    schemas = [((SCHEMA_DIR / name).as_posix(), text) for name, text in schema_files(level)]
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"'{directory}' is a file, not a folder")
    existing = [name for name, _ in [*files, *schemas] if (directory / name).exists()]
    if existing:
        raise UsageError(
            f"'{directory}' already has {', '.join(existing)}; svqm init never "
            "overwrites files (choose an empty folder)"
        )
    start = today or dt.date.today()
    env = Environment(
        loader=FileSystemLoader(resources.templates_path() / "init"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )  # YAML and CSV, not HTML
    values = {
        "level": level,
        "start": start.isoformat(),
        "end": one_year_end(start).isoformat(),
        "year": start.year,
        "standards": STANDARDS,
    }
    written = []
    for name, template in files:
        target = directory / name
        text = env.get_template(template).render(values)
        if name.endswith(".yaml"):  # editors complete fields from the kind's schema
            kind = "pack" if name == "svqm.yaml" else name.removesuffix(".yaml")
            text = modeline(directory, target, kind) + text
        write_atomic(target, text)
        written.append(target)
    for name, text in schemas:
        write_atomic(directory / name, text)
        written.append(directory / name)
    return written
