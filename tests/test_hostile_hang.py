"""Issue 15, hang or exhaustion: special files, backtracking globs, alias budgets and sizes
never hang svqm or exhaust the machine; each is a finding or one line, quickly."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from svqm_cli.reading.files import Unreadable, chunks, read_regular
from svqm_cli.reading.globs import MAX_PATTERN_LENGTH, glob_match
from svqm_cli.reading.pack import is_ignored
from svqm_cli.reading.yaml_io import load_bytes
from svqm_cli.render.provenance import git_commit
from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, write_pack

LEVEL_3 = next(p for p in EXAMPLES if p.name.startswith("level-3-"))

QUICK = 30  # seconds: each command here takes about one


def _fifo(path: Path) -> Path:
    try:
        os.mkfifo(path)
    except (OSError, AttributeError):
        pytest.skip("cannot make a FIFO here")
    return path


def _zero_twin(path: Path) -> Path:
    """A character device like /dev/zero, made inside the pack."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here (needs root)")
    return path


def _timed(run: Run, *args: str | Path) -> tuple[int, str, float]:
    start = time.monotonic()
    result = run(*args)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr, elapsed


# --- the safe opener ------------------------------------------------------------------------


def test_opener_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "x.yaml")
    with pytest.raises(Unreadable, match="named pipe"):
        read_regular(fifo, 100)
    with pytest.raises(Unreadable, match="named pipe"):
        next(chunks(fifo))


def test_opener_refuses_a_device(tmp_path: Path) -> None:
    device = _zero_twin(tmp_path / "zero.yaml")
    with pytest.raises(Unreadable, match="device"):
        read_regular(device, 100)


def test_opener_reads_at_most_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 1000)
    assert read_regular(big, 1000) == b"a" * 1000
    with pytest.raises(Unreadable) as caught:
        read_regular(big, 999)
    assert caught.value.too_big == 1000
    assert b"".join(chunks(big)) == b"a" * 1000


# --- special files in a pack ----------------------------------------------------------------


def test_fifo_document_is_a_finding_for_validate_fmt_and_new(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    _fifo(pack / "x.yaml")
    code, out, elapsed = _timed(run, "validate", pack)
    assert code == 1 and "SV001" in out and "named pipe" in out and elapsed < QUICK
    code, out, elapsed = _timed(run, "fmt", pack)
    assert code == 1 and "x.yaml" in out and elapsed < QUICK
    code, out, elapsed = _timed(
        run, "new", "stakeholder", pack, "--id", "a", "--file", pack / "x.yaml"
    )
    assert code == 2 and "named pipe" in out and elapsed < QUICK


def test_zero_device_twin_in_the_pack_is_a_finding(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    _zero_twin(pack / "zero.yaml")
    code, out, elapsed = _timed(run, "validate", pack)
    assert code == 1 and "SV001" in out and "device" in out and elapsed < QUICK
    code, out, elapsed = _timed(run, "fmt", "--check", pack)
    assert code == 1 and elapsed < QUICK


def test_evidence_that_is_a_fifo_or_device_is_not_hashed(run: Run, tmp_path: Path) -> None:
    pledges = MINIMAL_PACK["pledges.yaml"] + (
        "    progress:\n      - {measure: local hires, actual: 1, as_of: 2024-03-01,"
        " evidence: [evidence/pipe.csv, evidence/zero.pdf]}\n"
    )
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "pledges.yaml": pledges})
    (pack / "evidence").mkdir()
    _fifo(pack / "evidence" / "pipe.csv")
    _zero_twin(pack / "evidence" / "zero.pdf")
    code, out, elapsed = _timed(
        run, "render", pack, "--draft", "--format", "md", "--output", tmp_path / "r.md"
    )
    assert code == 0 and elapsed < QUICK, out
    assert "pipe.csv" in (tmp_path / "r.md").read_text()


def test_fifo_at_git_head_does_not_hang_render(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    (root / ".git" / "refs").mkdir(parents=True)
    _fifo(root / ".git" / "HEAD")
    start = time.monotonic()
    assert git_commit(root) is None
    assert time.monotonic() - start < QUICK


# --- globs ----------------------------------------------------------------------------------


def test_a_backtracking_glob_is_matched_in_linear_time() -> None:
    pattern = "**a" * 40 + "**b"
    path = "a" * 200
    start = time.monotonic()
    assert not glob_match(pattern, path)
    assert not is_ignored(path + "/x.yaml", (pattern,))
    assert time.monotonic() - start < 2


def test_globs_keep_their_meaning() -> None:
    assert glob_match("drafts/**", "drafts/a/b.yaml")
    assert glob_match("*.yaml", "deep/folder/x.yaml")  # no '/': matches at any depth
    assert not glob_match("a/*.yaml", "a/b/c.yaml")
    assert glob_match("a/**/c.yaml", "a/c.yaml") and glob_match("a/**/c.yaml", "a/b/b/c.yaml")
    assert glob_match("x?.yml", "x1.yml") and not glob_match("x?.yml", "x/.yml")
    assert not glob_match("x" * (MAX_PATTERN_LENGTH + 1), "x" * (MAX_PATTERN_LENGTH + 1))


def test_a_hostile_ignore_glob_in_svqm_yaml(run: Run, tmp_path: Path) -> None:
    config = MINIMAL_PACK["svqm.yaml"] + 'ignore: ["' + "**a" * 60 + '**b", "' + "x" * 600 + '"]\n'
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "svqm.yaml": config})
    write_pack(pack, {"a" * 100 + "/notes.yaml": "kind: pledges\npledges: []\n"})
    code, out, elapsed = _timed(run, "validate", pack)
    assert elapsed < QUICK
    assert code == 1 and "512" in out  # the over-long pattern is a schema finding


# --- budgets --------------------------------------------------------------------------------


def test_aliases_may_add_only_a_bounded_number_of_values() -> None:
    """Expanding 9 times (inside the old 'ten times what is written' allowance) is refused
    once it adds more than 200,000 values: the rules would walk all of them."""
    anchor = ", ".join(["1"] * 30_000)
    text = f"kind: pledges\nx-a: &a [{anchor}]\nx-b: [" + ", ".join(["*a"] * 8) + "]\n"
    loaded = load_bytes(text.encode(), "t.yaml")
    assert [f.code for f in loaded.findings] == ["SV006"]
    small = f"kind: pledges\nx-a: &a [{', '.join(['1'] * 1000)}]\nx-b: [*a, *a, *a]\n"
    assert load_bytes(small.encode(), "t.yaml").findings == []


@pytest.mark.parametrize(
    "template",
    [
        '{{ "x" * 10**10 }}',
        '{% set ns = namespace(s="x") %}{% for i in range(40) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        '{{ "%10000000000s"|format(1) }}',
    ],
)
def test_a_template_that_builds_a_huge_string_stops_at_its_memory_budget(
    run: Run, tmp_path: Path, template: str
) -> None:
    """A --template-dir template may grow svqm by about 1 GiB: beyond that, one line and
    exit 2 at once, instead of minutes of allocating (or the kernel killing svqm)."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "level-3.md.j2").write_text(template, encoding="utf-8")
    started = time.monotonic()
    result = run(
        "render", LEVEL_3, "--format", "md", "--template-dir", folder, "-o", tmp_path / "r.md"
    )
    assert result.returncode == 2, result.stderr
    assert "needed more than 1,024 MiB of memory" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r.md").exists()
    assert time.monotonic() - started < 60


def test_the_memory_budget_is_lifted_after_the_template() -> None:
    import resource

    from svqm_cli.render.budget import memory_budget

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), memory_budget(64 * 1024 * 1024):
        "x" * (256 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len("x" * (256 * 1024 * 1024)) == 256 * 1024 * 1024
