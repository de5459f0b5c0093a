"""Issue 16: the impact-map limit (render/limits.py) and `svqm render --max-maps`."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from svqm_cli.render import limits
from svqm_cli.render.limits import MapFigures, map_note, select_maps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate

MAPS = 8  # the generated pack's impact maps: forecasts and evaluations, 3 outcomes each


def figures(*values: str, ids: list[str] | None = None, kind: str = "forecast") -> list[MapFigures]:
    names = ids or [f"m{n}" for n in range(len(values))]
    return [
        MapFigures(id=name, name=f"Map {name}", kind=kind, present_value=Decimal(v))
        for name, v in zip(names, values, strict=True)
    ]


def test_at_or_under_the_limit_every_map_is_detailed() -> None:
    given = figures("1", "3", "2")
    for limit in (3, 10, 0):
        chosen = select_maps(given, limit)
        assert chosen.detailed == frozenset({0, 1, 2}) and chosen.left_out == ()
        assert map_note(given, chosen, "GBP") is None


def test_over_the_limit_the_largest_by_size_in_their_own_order() -> None:
    chosen = select_maps(figures("1", "-50", "20", "3", "20.00"), 3)
    assert chosen.detailed == frozenset({1, 2, 4})  # -50 is the largest; 20 = 20.00 by id
    assert chosen.left_out == (0, 3)  # in the report's order


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    given = figures("5", "5", "5", "5", ids=["d", "b", "a", "c"])
    assert {given[i].id for i in select_maps(given, 2).detailed} == {"a", "b"}
    backwards = list(reversed(given))
    assert {backwards[i].id for i in select_maps(backwards, 2).detailed} == {"a", "b"}


def test_the_note_counts_the_maps_left_out_and_their_value_by_kind() -> None:
    given = [
        *figures("1000", "0.4", "0.2", kind="forecast"),
        *figures("0.1", "0.2", ids=["e0", "e1"], kind="evaluation"),
    ]
    note = map_note(given, select_maps(given, 1), "GBP")
    assert note is not None
    assert (note["shown"], note["left_out"], note["total"]) == ("1", "4", "5")
    # exact sums, whole pounds for forecasts and pence for evaluations, never added together
    assert note["held"] == "£1 of forecasts and £0.30 of evaluations"
    assert "Only the 1 largest of the 5 impact maps by present value" in note["line"]
    assert note["line"].endswith("svqm export has every impact map outcome by outcome.")


@pytest.fixture(scope="module")
def many_maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many") / "pack"
    generate(root, documents=MAPS, outcomes=3)
    return root


@pytest.fixture(scope="module")
def largest(many_maps: Path) -> list[str]:
    """The scope names of the impact maps, largest present value first (ties by id)."""
    from svqm_cli.calc.report import compute
    from svqm_cli.checking.scan import scan

    pack, _ = scan(many_maps, workers=1)
    maps = compute(pack).maps
    ordered = sorted(maps, key=lambda m: (-abs(m.figures.present_value), m.figures.id))
    return [m.figures.scope or m.figures.id for m in ordered]


def _md(run: object, pack: Path, out: Path, *args: str) -> str:
    result = run("render", pack, "--format", "md", "--output", out, *args)  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def _detailed(text: str) -> list[str]:
    """The scope names of the detailed sections of a Markdown report, in order."""
    outcomes = text.split("## Outcomes and valuation", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^### (.+?) \((?:forecast|evaluation), ", outcomes, flags=re.M)


def test_only_the_largest_maps_have_a_detailed_section(
    many_maps: Path, largest: list[str], tmp_path: Path, run: object
) -> None:
    text = _md(run, many_maps, tmp_path / "r.md", "--max-maps", "3")
    assert sorted(_detailed(text)) == sorted(largest[:3])
    line = (
        f"Only the 3 largest of the {MAPS} impact maps by present value have a detailed "
        f"section in this report"
    )
    # in full near the overview and where the outcomes start; short in the other detailed
    # sections
    assert text.count(line) == 2
    assert text.count(f"The other {MAPS - 3} impact maps, with a present value of £") == 2
    short = f"only the 3 largest of the {MAPS} impact maps by present value are shown"
    for heading in ("Inputs", "Sensitivity analysis", "Forecast against actual"):
        section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert short in section, heading
        assert "`svqm export` has every impact map outcome by outcome." in section
    # every map keeps its row in the overview tables (the scope table lists each one)
    scope = text.split("## Scope and stakeholders", 1)[1].split("\n## ", 1)[0]
    for name in largest:
        assert f"| {name} (service) |" in scope
    assert f"| Impact maps | {MAPS} |" in text  # counted, not just the detailed ones


def test_no_limit_and_a_large_limit_show_every_map(
    many_maps: Path, largest: list[str], tmp_path: Path, run: object
) -> None:
    everything = _md(run, many_maps, tmp_path / "all.md", "--max-maps", "0")
    assert sorted(_detailed(everything)) == sorted(largest)
    assert "have a detailed section" not in everything
    default = _md(run, many_maps, tmp_path / "default.md")  # 8 maps: under the default
    assert default == everything


def test_html_says_it_in_each_place_and_is_the_same_twice(
    many_maps: Path, tmp_path: Path, run: object
) -> None:
    pages = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        result = run("render", many_maps, "--output", out, "--max-maps", "2")  # type: ignore[operator]
        assert result.returncode == 0, result.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
    page = pages[0].decode("utf-8")
    notes = page.count("<code>svqm export</code> has every impact map outcome by outcome.")
    assert notes == len(
        re.findall(
            r'<section id="(?:summary|inputs|outcomes|sensitivity|'
            r'forecast-actual|materiality|theory-of-change)"',
            page,
        )
    )
    assert page.count("have a detailed section in this report") == 2
    assert page.count('<article class="impact-map"') == 2


@pytest.mark.parametrize("value", ["-1", "many", "2.5", ""])
def test_a_bad_limit_is_a_usage_error(many_maps: Path, run: object, value: str) -> None:
    result = run("render", many_maps, "--max-maps", value)  # type: ignore[operator]
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--max-maps" in result.stderr


def test_the_context_gives_every_writer_the_note_and_the_detailed_maps(many_maps: Path) -> None:
    from svqm_cli.calc.report import compute
    from svqm_cli.checking.check import check_pack
    from svqm_cli.render.context import build

    pack, validation = check_pack(many_maps)
    value = compute(pack)
    with limits.applied(limits.Limit(max_maps=3)):
        data = build(pack, validation, value, draft=False).data
    assert len(data["maps"]) == 3 and data["map_count"] == MAPS
    assert data["map_limit"]["line"].startswith("Only the 3 largest of the 8 impact maps")
    # totals stay over every map: the headline totals are the ValueReport's own
    from svqm_cli.reporters.numbers import money

    forecasts = money(value.totals["forecast"].present_value, "GBP", False)
    assert any(t["present_value"] == forecasts for t in data["headline_totals"])
    with limits.applied(limits.Limit(max_maps=0)):
        assert build(pack, validation, value, draft=False).data["map_limit"] is None


def test_a_file_cited_by_hundreds_of_documents_names_ten_and_counts_the_rest() -> None:
    from svqm_cli.render.provenance import Evidence

    few = Evidence("evidence/a.csv", "0" * 64, 1, ("a.yaml", "b.yaml"))
    assert few.cited_text == "a.yaml, b.yaml"
    many = Evidence("evidence/a.csv", "0" * 64, 1, tuple(f"m{n:03}.yaml" for n in range(250)))
    assert many.cited_text == ", ".join(f"m{n:03}.yaml" for n in range(10)) + (
        " and 240 more documents"
    )


def test_by_default_a_pack_of_more_than_50_maps_is_cut_to_50(tmp_path: Path, run: object) -> None:
    pack = tmp_path / "pack"
    generate(pack, documents=limits.DEFAULT_MAX_MAPS + 2, outcomes=2)
    text = _md(run, pack, tmp_path / "r.md")
    assert len(_detailed(text)) == limits.DEFAULT_MAX_MAPS == 50
    assert "Only the 50 largest of the 52 impact maps by present value" in text
    assert "The other 2 impact maps, with a present value of £" in text


def test_word_says_it_where_the_html_does(many_maps: Path, tmp_path: Path, run: object) -> None:
    """The Word report gives the full line in the executive summary and the outcomes, the
    short one in the other detailed sections, and one sentence per detailed map only."""
    from docx import Document

    out = tmp_path / "r.docx"
    result = run("render", many_maps, "--format", "docx", "--output", out, "--max-maps", "3")  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in Document(str(out)).paragraphs]
    full = [t for t in texts if t.startswith(f"Only the 3 largest of the {MAPS} impact maps")]
    assert len(full) == 2
    assert all(t.endswith("svqm export has every impact map outcome by outcome.") for t in full)
    short = [t for t in texts if f"only the 3 largest of the {MAPS} impact maps" in t]
    assert len(short) >= 3  # inputs, sensitivity, forecast against actual (and more)
    sentences = [t for t in texts if t.startswith("For every £1")]
    text = _md(run, many_maps, tmp_path / "r.md", "--max-maps", "3")
    assert sentences == re.findall(r"^- (For every £1.+)$", text, flags=re.M)
    everything = tmp_path / "all.docx"
    result = run("render", many_maps, "--format", "docx", "--output", everything)  # type: ignore[operator]
    assert result.returncode == 0, result.stderr
    all_texts = [p.text for p in Document(str(everything)).paragraphs]
    assert len([t for t in all_texts if t.startswith("For every £1")]) > len(sentences)
