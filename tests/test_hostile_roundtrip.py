"""Issue 15, round trip without loss: fmt and new keep every value, comment, directive, mode,
line ending, BOM and link as the user wrote them, or leave the file alone and say why."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, write_pack

STAKEHOLDERS = (
    "kind: stakeholders\nstakeholders:\n  - id: residents\n    name: Local residents\n"
    "    x-share: 14433.123456789012345678901234\n    x-when: 2024-02-30\n"
)


def _pack(tmp_path: Path, extra: dict[str, str | bytes]) -> Path:
    return write_pack(tmp_path / "pack", {**MINIMAL_PACK, **extra})


def _one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("svqm: error: ")


def test_numbers_and_dates_are_kept_exactly(run: Run, tmp_path: Path) -> None:
    messy = STAKEHOLDERS.replace("  - id: residents", "  -   id: residents").replace(
        "    name", "      name", 1
    )
    pack = _pack(tmp_path, {"stakeholders.yaml": messy.replace("    x-", "      x-")})
    assert run("fmt", pack).returncode == 0
    assert (pack / "stakeholders.yaml").read_text() == STAKEHOLDERS
    result = run("new", "stakeholder", pack, "--id", "staff")
    assert result.returncode == 0, result.stderr
    text = (pack / "stakeholders.yaml").read_text()
    assert "x-share: 14433.123456789012345678901234\n" in text
    assert "x-when: 2024-02-30\n" in text and "id: staff" in text


def test_a_yaml_1_1_directive_does_not_change_values(run: Run, tmp_path: Path) -> None:
    text = (
        "%YAML 1.1\n---\nkind: pledges\npledges:\n  - id: local-jobs\n    theme: economic\n"
        "    title: Yes\n    commitment: Hire locally.\n    x-ratio: 1:20\n    targets:\n"
        "      - {measure: local hires, quantity: 10, unit: person, due: 2024-06-30}\n"
    )
    pack = _pack(tmp_path, {"pledges.yaml": text.replace("    title", "    title ", 1)})
    before = run("validate", pack)
    assert run("fmt", pack).returncode == 0
    assert (pack / "pledges.yaml").read_text() == text
    assert run("new", "pledge", pack, "--id", "second").returncode == 0
    after = (pack / "pledges.yaml").read_text()
    assert after.startswith("%YAML 1.1\n---\n")
    assert "    title: Yes\n" in after and "    x-ratio: 1:20\n" in after
    assert before.returncode == 0 and run("validate", pack).returncode == 0


@pytest.mark.parametrize(
    "text",
    [
        "kind: pledges\npledges: []\nx-list: [1, # one\n  2]\n",
        "kind: pledges\npledges: []\nx-map: {a: 1, # the a\n  b: 2}\n",
        "kind: pledges\npledges: []\nx-note:\n  # why\n  text\n",
        "kind: pledges\npledges: []\nx-tagged: !!str # why\n  text\n",
        "kind: pledges\npledges: []\n? x-key # why\n: text\n",
    ],
    ids=["in-a-flow-list", "in-a-flow-mapping", "above-a-value", "after-a-tag", "complex-key"],
)
def test_a_comment_that_would_be_lost_leaves_the_file_alone(
    run: Run, tmp_path: Path, text: str
) -> None:
    pack = _pack(tmp_path, {"pledges.yaml": text})
    result = run("fmt", pack)
    assert result.returncode == 1 and "cannot format pledges.yaml" in result.stderr
    assert (pack / "pledges.yaml").read_text() == text
    _one_line_error(run("new", "pledge", pack, "--id", "another"))
    assert (pack / "pledges.yaml").read_text() == text


def test_a_comment_between_key_and_value_is_kept(run: Run, tmp_path: Path) -> None:
    pack = _pack(
        tmp_path, {"pledges.yaml": "kind: pledges\npledges: []\nx-note:   # why\n  text\n"}
    )
    assert run("fmt", pack).returncode == 0
    assert (pack / "pledges.yaml").read_text().endswith("x-note: text # why\n")


def test_mode_crlf_and_bom_are_kept(run: Run, tmp_path: Path) -> None:
    raw = ("\ufeff" + STAKEHOLDERS.replace("    name", "    name ")).replace("\n", "\r\n")
    pack = _pack(tmp_path, {"stakeholders.yaml": raw.encode("utf-8")})
    target = pack / "stakeholders.yaml"
    target.chmod(0o600)
    assert run("fmt", pack).returncode == 0
    assert target.read_bytes() == ("\ufeff" + STAKEHOLDERS).replace("\n", "\r\n").encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert run("new", "stakeholder", pack, "--id", "staff").returncode == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfkind:") and b"id: staff\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_link_inside_the_pack_is_written_through(run: Run, tmp_path: Path) -> None:
    pack = _pack(tmp_path, {"data/real.yaml": STAKEHOLDERS.replace("    name", "    name ")})
    (pack / "stakeholders.yaml").symlink_to("data/real.yaml")
    result = run("fmt", pack)
    assert result.returncode == 0 and result.stdout.count("formatted") == 1
    assert (pack / "stakeholders.yaml").is_symlink()
    assert (pack / "data" / "real.yaml").read_text() == STAKEHOLDERS


def test_fmt_checks_every_file_before_writing_any(run: Run, tmp_path: Path) -> None:
    pack = _pack(
        tmp_path,
        {
            "a.yaml": "kind: stakeholders\nstakeholders: []\nx-d: 2024-02-30\nx-pad:    1\n",
            "b.yaml": "kind: proxies\nproxies: []\nx: [1, # kept\n  2]\n",
        },
    )
    result = run("fmt", pack)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "b.yaml" in result.stderr
    assert (pack / "a.yaml").read_text().endswith("x-d: 2024-02-30\nx-pad: 1\n")


@pytest.mark.parametrize(
    "content",
    [
        b"kind: pledges\npledges: []\npledges: []\n",  # duplicate keys
        b"kind: pledges\npledges: [\n",  # broken YAML
        b"kind: pledges\npledges: []\nx-name: caf\xe9\n",  # latin-1
        b"kind: pledges\npledges: []\n---\nkind: pledges\n",  # a second document
        b"kind: pledges\npledges: 5\n",  # no list to add to
    ],
    ids=["duplicate-keys", "broken", "latin-1", "second-document", "not-a-list"],
)
def test_new_on_a_file_it_cannot_rewrite_is_one_line(
    run: Run, tmp_path: Path, content: bytes
) -> None:
    pack = _pack(tmp_path, {"pledges.yaml": content})
    _one_line_error(run("new", "pledge", pack, "--id", "another"))
    assert (pack / "pledges.yaml").read_bytes() == content


def test_new_refuses_ids_that_cannot_be(run: Run, tmp_path: Path) -> None:
    pack = _pack(tmp_path, {})
    _one_line_error(run("new", "evaluation", pack, "--id", "a" * 81))
    _one_line_error(run("new", "evaluation", pack, "--id", "a" * 300))
    _one_line_error(run("new", "pledge", pack, "--id", "x", "--file", pack))
    assert sorted(p.name for p in pack.iterdir()) == ["pledges.yaml", "svqm.yaml"]


def test_new_refuses_an_id_an_outcome_uses(run: Run, tmp_path: Path) -> None:
    example = next(p for p in EXAMPLES if p.name.startswith("level-3-"))
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(example, pack)
    outcome = next(
        line.split("id:", 1)[1].strip()
        for path in sorted(pack.glob("evaluation*.yaml"))
        for line in path.read_text().splitlines()
        if line.strip().startswith("- id:") and "outcomes" in path.read_text()
    )
    _one_line_error(run("new", "pledge", pack, "--id", outcome))


def test_new_forecast_whose_outcome_id_is_taken(run: Run, tmp_path: Path) -> None:
    """new forecast --id X also writes an outcome X-outcome: that id must be free too."""
    pack = _pack(tmp_path, {})
    assert run("new", "pledge", pack, "--id", "outreach-outcome").returncode == 0
    _one_line_error(run("new", "forecast", pack, "--id", "outreach"))
    assert not (pack / "forecast-outreach.yaml").exists()


# --- fmt and new never follow a document out of the pack (escape) ----------------------------


def test_fmt_and_new_leave_a_document_linked_outside_alone(run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    text = "kind: stakeholders\nstakeholders:\n  -   id: secret\n      name: Kept out\n"
    outside.write_text(text)
    pack = _pack(tmp_path, {})
    (pack / "stakeholders.yaml").symlink_to(outside)
    fmt = run("fmt", pack)
    assert fmt.returncode == 1 and "outside the pack" in fmt.stderr
    new = run("new", "stakeholder", pack, "--id", "someone", "--file", pack / "stakeholders.yaml")
    _one_line_error(new)
    assert outside.read_text() == text
    assert (pack / "stakeholders.yaml").is_symlink()


def test_new_file_outside_the_pack_is_refused(run: Run, tmp_path: Path) -> None:
    pack = _pack(tmp_path, {})
    _one_line_error(run("new", "pledge", pack, "--id", "x", "--file", tmp_path / "o.yaml"))
    assert not (tmp_path / "o.yaml").exists()


def test_fmt_refuses_a_file_over_the_size_limit(run: Run, tmp_path: Path) -> None:
    from svqm_cli.reading.yaml_io import MAX_FILE_BYTES

    pack = _pack(tmp_path, {})
    line = "# " + "x" * 1021 + "\n"
    with (pack / "big.yaml").open("w") as handle:
        handle.write("kind: pledges\npledges: []\n")
        for _ in range(MAX_FILE_BYTES // len(line) + 2):
            handle.write(line)
    result = run("fmt", "--check", pack)
    assert result.returncode == 1 and "big.yaml" in result.stderr and "MiB" in result.stderr
