"""`svqm diff` on a temporary git repository with two commits."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={**ENV, "HOME": str(repo)},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Commit 1: the Level 3 example under packs/trust. Commit 2: a pledge renamed (which
    breaks a reference), an outcome's quantity raised, and a pledge added elsewhere fixed."""
    repo = tmp_path / "repo"
    pack = repo / "packs" / "trust"
    shutil.copytree(next(p for p in EXAMPLES if p.name.startswith("level-3-")), pack)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    housing = pack / "evaluation-housing.yaml"
    housing.write_text(housing.read_text().replace("quantity: 1200\n", "quantity: 1300\n"))
    git(repo, "commit", "-q", "-am", "more bed days")
    pledges = pack / "pledges.yaml"
    pledges.write_text(
        pledges.read_text().replace("- id: student-nurse-placements", "- id: nurse-placements")
    )
    return repo


def test_diff_between_two_commits(run: Run, repo: Path) -> None:
    data = json.loads(
        run("diff", "HEAD~1", "HEAD", repo / "packs" / "trust", "--format", "json").stdout
    )
    assert data["pledges"] == [] and data["new_findings"] == []
    assert data["outcomes"] == [{"id": "bed-days-avoided", "change": "changed"}]
    (housing,) = [m for m in data["impact_maps"] if m["id"] == "housing-evaluation-2024"]
    assert housing["present_value_before"] == 597335.29
    assert housing["present_value_after"] > housing["present_value_before"]


def test_diff_against_the_working_tree_in_markdown(run: Run, repo: Path) -> None:
    result = run("diff", "main", repo / "packs" / "trust", "--format", "md")
    assert result.returncode == 0, result.stderr
    md = result.stdout
    assert md.startswith("### svqm diff: `main` → `working tree`")
    assert "`nurse-placements` added" in md and "`student-nurse-placements` removed" in md
    assert "**New findings (1):**" in md and "SV202" in md


def test_diff_from_inside_the_pack_and_with_no_change(run: Run, repo: Path) -> None:
    pack = repo / "packs" / "trust"
    git(repo, "stash", "-q")
    result = run("diff", "HEAD", cwd=pack)
    assert result.returncode == 0
    assert "No change to pledges, outcomes, figures or findings." in result.stdout


def test_diff_when_the_pack_is_new(run: Run, repo: Path) -> None:
    data = json.loads(
        run("diff", "main~1", "main", repo / "packs" / "trust", "--format", "json").stdout
    )
    assert data["outcomes"]  # from base to head
    new_pack = repo / "packs" / "new"
    shutil.copytree(EXAMPLES[0], new_pack)
    fresh = json.loads(run("diff", "main", new_pack, "--format", "json").stdout)
    assert {c["change"] for c in fresh["pledges"]} == {"added"}


def test_diff_usage_problems(run: Run, repo: Path, tmp_path: Path) -> None:
    bad_ref = run("diff", "no-such-ref", repo / "packs" / "trust")
    assert bad_ref.returncode == 2 and bad_ref.stderr.startswith("svqm: error: ")
    bad_format = run("diff", "main", repo / "packs" / "trust", "--format", "xml")
    assert bad_format.returncode == 2


def test_diff_shows_commitments_and_deliveries(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(next(p for p in EXAMPLES if p.name.startswith("level-4-")), repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    contract = repo / "contracts" / "patient-transport.yaml"
    text = contract.read_text(encoding="utf-8")
    text = text.replace(
        "2025-10-01, end: 2026-03-31}, quantity: 2,", "2025-10-01, end: 2026-03-31}, quantity: 8,"
    )
    text = text.replace("rating: good\n", "rating: approaching-target\n")
    contract.write_text(text, encoding="utf-8")
    data = json.loads(run("diff", "main", repo, "--format", "json").stdout)
    assert data["deliveries"] == [
        {"id": "northway-local-recruits 2025-10-01 to 2026-03-31", "change": "changed"}
    ]
    assert data["commitments"] == [{"id": "northway-electric-fleet", "change": "changed"}]
    assert data["commitment_progress"] == [
        {
            "id": "northway-local-recruits",
            "delivered_before": 9.0,
            "delivered_after": 15.0,
            "status_before": "at-risk",
            "status_after": "on-track",
        }
    ]
    md = run("diff", "main", repo, "--format", "md").stdout
    assert "| northway-local-recruits | 9 | 15 | at risk | on track |" in md
    assert "**Deliveries:** `northway-local-recruits 2025-10-01 to 2026-03-31` changed" in md
