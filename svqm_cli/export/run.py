"""`svqm export`: validate, compute, lay out, write the workbook (or the CSV folder)
atomically."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from svqm_cli.base.errors import OutputError, UsageError
from svqm_cli.base.writing import default_folder_stays_here, write_output
from svqm_cli.checking.check import ValidationReport, check_pack
from svqm_cli.export import EXPORTERS
from svqm_cli.reading.pack import OUTPUT_DIR

CSV_FOLDER = "values-csv"


@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # the workbook or the CSV folder; None when the pack has errors
    validation: ValidationReport
    files: int = 0


def output_path(output: Path | None, fmt: str) -> Path:
    """xlsx: a .xlsx file as named, or values.xlsx in a folder (existing, or a name without
    an extension); csv: the folder to fill.
    Without --output, both go in svqm-report/ in the current folder."""
    if fmt == "csv":
        if output is not None and (output.is_file() or output.suffix.lower() in (".csv", ".xlsx")):
            raise UsageError(
                f"--output '{output}' names a file; --format csv writes a folder of tables: "
                "name a folder"
            )
        if output is not None:
            return output
        default_folder_stays_here(Path(OUTPUT_DIR))
        return Path(OUTPUT_DIR) / CSV_FOLDER
    if output is None:
        default_folder_stays_here(Path(OUTPUT_DIR))
        return Path(OUTPUT_DIR) / "values.xlsx"
    if output.is_dir() or not output.suffix:  # a folder (typer drops a trailing '/')
        return output / "values.xlsx"
    if output.suffix.lower() != ".xlsx":
        raise UsageError(
            f"--output '{output}' does not end in .xlsx for --format xlsx; "
            "name a .xlsx file or a folder"
        )
    return output


def _replace_folder(target: Path, files: dict[str, bytes]) -> None:
    """Fill a new folder beside TARGET, then swap it in: a reader sees the old tables or the
    new ones, never a mix. Only a folder of CSV files (an earlier export) is replaced."""
    if target.is_dir() and any(p.suffix != ".csv" for p in target.iterdir()):
        raise UsageError(
            f"'{target}' holds files other than an earlier CSV export; name a new folder"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write in '{target.parent}': {exc.strerror}") from exc
    try:
        for name, data in sorted(files.items()):
            write_output(fresh / name, data)
        fresh.chmod(0o755)
        old = target.with_name(f".{target.name}.old")
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise OutputError(f"cannot write '{target}': {exc.strerror}") from exc


def export(pack_path: Path, fmt: str, output: Path | None) -> ExportResult:
    from svqm_cli.calc.report import compute
    from svqm_cli.export.tables import build

    target = output_path(output, fmt)
    pack, validation = check_pack(pack_path)
    if validation.errors:
        return ExportResult(None, validation)
    # the figures of every outcome; no sensitivity or tornado (the workbook has neither)
    files = EXPORTERS[fmt](build(pack, compute(pack, detail=lambda _: ())))
    if fmt == "csv":
        _replace_folder(target, files)
    else:
        (data,) = files.values()
        write_output(target, data)
    return ExportResult(target, validation, len(files))
