"""Issue 15, tracebacks: what the machine or a careless pack does to a command is one line
(exit 2, or 130 for an interrupt) or a finding (exit 1), never a traceback."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, svqm_command, write_pack

LEVEL_3 = next(p for p in EXAMPLES if p.name.startswith("level-3-"))


def _one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("svqm: ")


def _shell(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = " ".join(f"'{part}'" for part in svqm_command())
    return subprocess.run(
        ["sh", "-c", command.replace("SVQM", full)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=120,
    )


# --- the boundary in main() -----------------------------------------------------------------


def test_output_the_terminal_cannot_encode(run: Run) -> None:
    result = run("value", LEVEL_3, env={"PYTHONIOENCODING": "ascii"})
    _one_line_error(result)
    assert "PYTHONIOENCODING=utf-8" in result.stderr


def test_closed_stdout() -> None:
    _one_line_error(_shell(f"SVQM validate '{LEVEL_3}' >&-"))


def test_full_disk() -> None:
    if not os.path.exists("/dev/full") or not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("no /dev/full character device here")
    result = _shell(f"SVQM value '{LEVEL_3}' > /dev/full")
    _one_line_error(result)
    assert "No space left" in result.stderr


def test_a_path_too_long(run: Run) -> None:
    result = run("validate", "a" * 5000)
    _one_line_error(result)
    assert "too long" in result.stderr and len(result.stderr) < 300


def test_interrupt_while_starting(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C while the command modules load (simulated where typer builds the command)."""
    import typer

    from svqm_cli.cli import main

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.main, "get_command", interrupted)
    with pytest.raises(SystemExit) as caught:
        main(["validate", str(LEVEL_3)])
    assert caught.value.code == 130
    assert capsys.readouterr().err == "svqm: interrupted\n"


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        b"{{ 1 / 0 }}",
        b"{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        b"{{ 10.0 ** 100000 }}",
        b"\xff\xfe{{ 1 }}",
    ],
    ids=["ZeroDivisionError", "RecursionError", "OverflowError", "bad-bytes"],
)
def test_template_failures_of_any_kind(run: Run, tmp_path: Path, template: bytes) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "level-3.md.j2").write_bytes(template)
    result = run(
        "render", LEVEL_3, "--format", "md", "--template-dir", folder, "-o", tmp_path / "r.md"
    )
    _one_line_error(result)
    assert "template" in result.stderr
    assert not (tmp_path / "r.md").exists()


# --- careless packs -------------------------------------------------------------------------


def test_a_negative_discount_rate_is_a_finding(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(LEVEL_3, pack)
    config = pack / "svqm.yaml"
    lines = config.read_text().splitlines(keepends=True)
    lines = [
        line.split(":")[0] + ": -1\n" if line.strip().startswith("discount_rate:") else line
        for line in lines
    ]
    config.write_text("".join(lines))
    assert "discount_rate: -1" in config.read_text()
    for command in ("validate", "value"):
        result = run(command, pack)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "discount_rate" in run("validate", pack).stdout


def test_a_nul_in_an_evidence_path_is_a_finding(run: Run, tmp_path: Path) -> None:
    pledges = MINIMAL_PACK["pledges.yaml"] + (
        "    progress:\n      - {measure: local hires, actual: 1, as_of: 2024-03-01,"
        ' evidence: ["evidence/a\\0b.pdf"]}\n'
    )
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "pledges.yaml": pledges})
    result = run("validate", pack)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "SV203" in result.stdout and "NUL" in result.stdout
    draft = run("render", pack, "--draft", "--format", "md", "-o", tmp_path / "r.md")
    assert draft.returncode == 0 and "Traceback" not in draft.stderr, draft.stderr


def test_an_organisation_name_too_long_for_word(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("docx")
    config = MINIMAL_PACK["svqm.yaml"].replace("Test Organisation", "A" * 300)
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "svqm.yaml": config})
    result = run("render", pack, "--format", "docx", "-o", tmp_path / "r.docx")
    assert result.returncode == 0, result.stderr
    import docx

    document = docx.Document(str(tmp_path / "r.docx"))
    assert len(document.core_properties.author) <= 255
    assert any("A" * 300 in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    "document",
    ["pledges.yaml:kind: pledges\npledges:\n", "f.yaml:kind: forecast\nid: f\noutcomes:\n"],
    ids=["empty-pledges", "empty-outcomes"],
)
def test_diff_with_an_empty_list(run: Run, tmp_path: Path, document: str) -> None:
    from tests.test_diff import git

    repo = write_pack(tmp_path / "repo", MINIMAL_PACK)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    name, text = document.split(":", 1)
    (repo / name).write_text(text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "empty")
    result = run("diff", "HEAD~1", "HEAD", repo)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "SV101" in result.stdout


def test_a_number_too_big_for_28_digits_is_written_out(run: Run, tmp_path: Path) -> None:
    """A contract value of 1e400 (found by the draft-report fuzzer) is written out in every
    format instead of failing to round."""
    from decimal import Decimal

    from svqm_cli.reporters.numbers import money

    assert money(Decimal("1E+400"), pence=False) == "£10" + ",000" * 133  # 401 digits
    pack = tmp_path / "pack"
    shutil.copytree(next(p for p in EXAMPLES if p.name.startswith("level-4-")), pack)
    contract = pack / "contracts" / "community-equipment.yaml"
    contract.write_text(
        contract.read_text(encoding="utf-8").replace("value: 4200000", "value: 1e400", 1),
        encoding="utf-8",
    )
    for fmt in ("md", "html", "docx"):
        result = run("render", pack, "--draft", "--format", fmt, "-o", tmp_path / f"r.{fmt}")
        assert "Traceback" not in result.stderr, result.stderr
        assert (tmp_path / f"r.{fmt}").is_file()
