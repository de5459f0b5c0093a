"""Hypothesis: no input, random or mutated, makes svqm raise instead of reporting."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svqm_cli.reading.yaml_io import load_bytes

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
