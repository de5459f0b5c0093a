"""Hypothesis: no input, random or mutated, makes svqm raise instead of reporting."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svqm_cli.check import validate
from svqm_cli.findings import Severity
from svqm_cli.yaml_io import load_bytes
from tests.conftest import EXAMPLES

FUZZ = settings(
    max_examples=int(os.environ.get("SVQM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from(["2024-01-01", ".nan", "1e400", "-0", "~", "*a"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    loaded = load_bytes(raw, "t.yaml")
    assert loaded.readable or loaded.findings


YAML_CHARS = st.sampled_from(list("kind:- []{}&*!|>'\"#\n\t ,?abc01.%@`"))


@FUZZ
@given(st.lists(YAML_CHARS, max_size=200).map("".join))
def test_yaml_like_text_never_raises(text: str) -> None:
    loaded = load_bytes(text.encode(), "t.yaml")
    assert loaded.readable or loaded.findings


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    how = data.draw(st.sampled_from(["delete", "duplicate", "replace", "indent", "swap"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "indent":
        lines[i] = data.draw(st.sampled_from(["  ", "\t", ""])) + lines[i].lstrip()
    elif how == "swap":
        j = data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        key, _, _ = lines[i].partition(":")
        value = data.draw(yaml_values.map(repr))
        lines[i] = f"{key}: {value}\n"
    return "".join(lines)


@FUZZ
@given(st.data())
def test_mutated_examples_give_findings_not_exceptions(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    example = data.draw(st.sampled_from(EXAMPLES))
    pack = Path(tmp_path_factory.mktemp("pack")) / "p"
    shutil.copytree(example, pack)
    files = sorted(pack.rglob("*.yaml"))
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(files))
        target.write_text(_mutate(target.read_text(encoding="utf-8"), data), encoding="utf-8")
    report = validate(pack)
    assert report.exit_code in (0, 1)
    for finding in report.findings:
        assert finding.severity in (Severity.ERROR, Severity.WARNING)
        assert finding.location.line >= 1 and finding.message
