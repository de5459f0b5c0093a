"""`svqm fmt` and `svqm new`: comments and order kept, idempotent, nothing else touched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL_PACK, Run, write_pack

MESSY = """kind:   stakeholders   # the kind
stakeholders:
- id: a      # first
  name:    A
-   id: b
    name: "B"
"""


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_are_already_formatted(run: Run, example: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(example, pack)
    before = digest(pack)
    assert run("fmt", pack, "--check").returncode == 0
    assert run("fmt", pack).stdout.strip() == "nothing to change"
    assert digest(pack) == before


def test_fmt_normalises_keeps_comments_and_is_idempotent(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path, {**MINIMAL_PACK, "messy.yaml": MESSY})
    check = run("fmt", pack, "--check")
    assert check.returncode == 1 and "would change messy.yaml" in check.stdout
    assert (pack / "messy.yaml").read_text() == MESSY  # --check changes nothing
    assert run("fmt", pack).returncode == 0
    text = (pack / "messy.yaml").read_text()
    assert "# the kind" in text and "# first" in text
    assert "  - id: a" in text and '    name: "B"' in text
    once = digest(pack)
    assert run("fmt", pack).stdout.strip() == "nothing to change"
    assert digest(pack) == once
    data = json.loads(run("validate", pack, "--format", "json").stdout)
    assert data["valid"]


def test_fmt_reports_unreadable_files(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path, {**MINIMAL_PACK, "broken.yaml": "a: [1\n"})
    result = run("fmt", pack)
    assert result.returncode == 1 and "cannot format broken.yaml" in result.stderr
    assert (pack / "broken.yaml").read_text() == "a: [1\n"


def test_new_adds_commented_items_and_keeps_the_file(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES[1], pack)  # the Level 2 example
    before = (pack / "pledges.yaml").read_text()
    result = run("new", "pledge", pack, "--id", "apprenticeships")
    assert result.returncode == 0, result.stderr
    after = (pack / "pledges.yaml").read_text()
    assert after.startswith(before.rstrip("\n"))  # everything before stays as written
    assert "- id: apprenticeships" in after and "# a built-in theme" in after
    assert run("new", "pledge", pack, "--id", "apprenticeships").returncode == 2
    assert run("new", "stakeholder", pack, "--id", "carers").returncode == 0
    assert run("new", "forecast", pack, "--id", "carers-forecast").returncode == 0
    forecast = pack / "forecast-carers-forecast.yaml"
    assert forecast.is_file()
    data = json.loads(run("validate", pack, "--format", "json").stdout)
    files = {f["file"] for f in data["findings"] if f["severity"] == "error"}
    assert files <= {"forecast-carers-forecast.yaml"}  # its placeholders are for filling in
    assert run("new", "forecast", pack, "--id", "carers-forecast").returncode == 2
    assert run("new", "pledge", pack, "--id", "Bad Id").returncode == 2


def test_new_commitment_starts_a_contract_then_adds_to_it(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    assert run("new", "commitment", pack, "--id", "apprentices").returncode == 0
    first = pack / "commitments-apprentices.yaml"
    assert "kind: commitments" in first.read_text(encoding="utf-8")
    assert run("new", "commitment", pack, "--id", "carbon-saved").returncode == 0
    text = first.read_text(encoding="utf-8")
    assert "- id: apprentices" in text and "- id: carbon-saved" in text
    assert run("validate", pack).returncode == 0
    second = pack / "other.yaml"
    second.write_text(
        text.replace("apprentices-contract", "other-contract")
        .replace("id: apprentices", "id: a2")
        .replace("id: carbon-saved", "id: c2"),
        encoding="utf-8",
    )
    refused = run("new", "commitment", pack, "--id", "journeys")
    assert refused.returncode == 2 and "--file" in refused.stderr
    chosen = run("new", "commitment", pack, "--id", "journeys", "--file", second)
    assert chosen.returncode == 0 and "- id: journeys" in second.read_text(encoding="utf-8")
