"""`svqm render`: validate, compute, build the context, write one file atomically."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from svqm_cli.base.errors import UsageError
from svqm_cli.base.writing import default_folder_stays_here, write_output
from svqm_cli.checking.check import ValidationReport, check_pack
from svqm_cli.reading.pack import OUTPUT_DIR
from svqm_cli.render import EXTENSIONS, WRITERS, limits
from svqm_cli.render.limits import DEFAULT_MAX_MAPS, DEFAULT_MAX_ROWS

Step = Callable[[str], None]


@dataclass(frozen=True)
class RenderResult:
    path: Path | None  # None when the pack has errors and no --draft
    validation: ValidationReport


def output_path(output: str | None, fmt: str) -> Path:
    """A file: as named; a folder (existing, or written with a trailing '/'): report.EXT in
    it; nothing: svqm-report/report.EXT in the current folder.

    OUTPUT is the text as typed: a Path would drop the trailing '/' that says "a folder".
    """
    name = f"report{EXTENSIONS[fmt]}"
    if output is None:
        default_folder_stays_here(Path(OUTPUT_DIR))
        return Path(OUTPUT_DIR) / name
    if not output.strip():
        raise UsageError("--output is empty; name a file, or a folder ending in '/'")
    folder = Path(output)
    if folder.is_dir() or output.endswith(("/", "\\")):
        return folder / name
    if _is_stream(folder):
        return folder  # --output /dev/stdout, or a pipe: written straight into
    if folder.suffix.lower() != EXTENSIONS[fmt]:
        raise UsageError(
            f"--output '{output}' does not end in {EXTENSIONS[fmt]} for "
            f"--format {fmt}; name a {EXTENSIONS[fmt]} file, or a folder ending in '/'"
        )
    return folder


def _is_stream(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def render(
    pack_path: Path,
    fmt: str,
    output: str | None,
    template_dir: Path | None,
    draft: bool,
    step: Step = lambda _: None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_maps: int = DEFAULT_MAX_MAPS,
) -> RenderResult:
    """Check, compute and write the report; MAX_ROWS outcome rows per impact map at most
    (0: all of them), the largest by present value, and a detailed section for MAX_MAPS
    impact maps at most (0: all of them), the largest by present value (render/limits.py)."""
    from svqm_cli.calc.report import compute
    from svqm_cli.render.context import build

    target = output_path(output, fmt)
    step("Checking the pack")
    pack, validation = check_pack(pack_path)
    if validation.errors and not draft:
        return RenderResult(None, validation)
    step("Calculating the figures")
    # with the Monte Carlo range of each ratio when any outcome gives a range; sensitivity,
    # tornado and range only for the maps that get a detailed section (the rest show none)
    value = (
        compute(pack, uncertainty=None, detail=lambda f: limits.detailed_maps(f, max_maps))
        if not validation.errors
        else None
    )
    with limits.applied(limits.Limit(max_rows, max_maps, limits.themes_of(pack))):
        context = build(pack, validation, value, draft=bool(validation.errors) or draft)
        step(f"Writing {fmt.upper()}")
        content = WRITERS[fmt](context, template_dir)
    write_output(target, content)
    return RenderResult(target, validation)
