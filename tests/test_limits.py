"""Issue 16: the report's row limit (render/limits.py) and `svqm render --max-rows`."""

from __future__ import annotations

import io
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from svqm_cli.render import limits
from svqm_cli.render.limits import Row, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate


def rows(*values: str, ids: list[str] | None = None) -> list[Row]:
    names = ids or [f"o{n}" for n in range(len(values))]
    return [
        Row(id=name, stakeholder=f"s{n % 2}", theme=f"t{n % 3}", present_value=Decimal(v))
        for n, (name, v) in enumerate(zip(names, values, strict=True))
    ]


def test_at_or_under_the_limit_every_row_in_its_own_order() -> None:
    given = rows("1", "3", "2")
    for limit in (3, 10, 0):
        chosen = select(given, limit)
        assert chosen.shown == (0, 1, 2)
        assert chosen.left_out == 0 and chosen.by_stakeholder == () and chosen.by_theme == ()


def test_over_the_limit_the_largest_first_by_size() -> None:
    chosen = select(rows("1", "-50", "20", "3", "20.00"), 3)
    assert chosen.shown == (1, 2, 4)  # -50 is the largest change; the tie 20 = 20.00 by id
    assert chosen.left_out == 2
    assert chosen.left_out_value == Decimal("4")


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    given = rows("5", "5", "5", "5", ids=["d", "b", "a", "c"])
    assert [given[i].id for i in select(given, 2).shown] == ["a", "b"]
    backwards = list(reversed(given))
    assert [backwards[i].id for i in select(backwards, 2).shown] == ["a", "b"]


def test_totals_are_exact_decimals_over_every_row() -> None:
    given = rows(*["0.1"] * 10, "1E-20", "-0.3")
    chosen = select(given, 2)
    total = sum((r.present_value for r in given), Decimal(0))
    assert sum((g.present_value for g in chosen.by_stakeholder), Decimal(0)) == total
    assert sum((g.present_value for g in chosen.by_theme), Decimal(0)) == total
    assert sum(g.outcomes for g in chosen.by_theme) == 12
    shown = sum((given[i].present_value for i in chosen.shown), Decimal(0))
    assert shown + chosen.left_out_value == total  # nothing lost to floats or rounding
    assert [g.name for g in chosen.by_stakeholder] == ["s0", "s1"]  # largest first


@pytest.fixture(scope="module")
def wide_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two impact maps of 30 outcomes each."""
    root = tmp_path_factory.mktemp("wide") / "pack"
    generate(root, documents=2, outcomes=30)
    return root


def test_render_md_lists_the_largest_and_says_where_the_rest_are(
    wide_pack: Path, tmp_path: Path, run: object
) -> None:
    out = tmp_path / "r.md"
    result = run("render", wide_pack, "--format", "md", "--output", out, "--max-rows", "7")  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("The 7 largest of 30 outcomes by present value are listed") == 2
    assert text.count("23 rows are left out") == 2 and "`svqm export` has them all." in text
    assert "| All 30 outcomes by theme |" in text and "| All 30 outcomes by stakeholder |" in text
    everything = tmp_path / "all.md"
    run("render", wide_pack, "--format", "md", "--output", everything, "--max-rows", "0")  # type: ignore[operator]
    assert "rows are left out" not in everything.read_text(encoding="utf-8")
    default = tmp_path / "default.md"
    run("render", wide_pack, "--format", "md", "--output", default)  # type: ignore[operator]
    assert default.read_text(encoding="utf-8") == everything.read_text(encoding="utf-8")


def test_render_html_and_docx_show_the_line(wide_pack: Path, tmp_path: Path, run: object) -> None:
    html = tmp_path / "r.html"
    run("render", wide_pack, "--output", html, "--max-rows", "5")  # type: ignore[operator]
    page = html.read_text(encoding="utf-8")
    assert page.count("<code>svqm export</code> has them all.") == 2
    assert "All 30 outcomes by stakeholder" in page
    docx = tmp_path / "r.docx"
    result = run("render", wide_pack, "--format", "docx", "--output", docx, "--max-rows", "5")  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    body = zipfile.ZipFile(io.BytesIO(docx.read_bytes())).read("word/document.xml").decode()
    assert body.count("svqm export has them all.") == 2
    assert "Theme (all 30 outcomes)" in body


def test_a_negative_limit_is_a_usage_error(wide_pack: Path, run: object) -> None:
    result = run("render", wide_pack, "--max-rows", "-1")  # type: ignore[operator]
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_themes_follow_pledges(wide_pack: Path) -> None:
    from svqm_cli.checking.scan import scan

    pack, _ = scan(wide_pack, workers=1)
    themes = limits.themes_of(pack)
    assert themes["pledge-0"] == "Economic"  # the built-in theme's name, not its id
    assert len(themes) == 8
