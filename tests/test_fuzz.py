"""Hypothesis: no input, random or mutated, makes svqm raise instead of reporting."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svqm_cli.authoring.roundtrip import (
    Refused,
    Source,
    checked,
    dump,
    load,
    original_data,
)
from svqm_cli.reading.globs import glob_match
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
    # wrong-typed and YAML 1.1 look-alike values
    st.sampled_from(
        ["Yes", "1:20", "0x10", "0o17", "2024-02-30", "14433.123456789012345678901234"]
    ),
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


YAML_LINES = [
    "kind: pledges",
    "a: 1",
    "b: [1, # in a list\n  2]",
    "c: {d: 1, # in a mapping\n  e: 2}",
    "f:   # after a key\n  g",
    "h:\n  # above a value\n  i",
    "- x",
    "  y: Yes",
    "# alone",
    "j: 1:20 # ratio",
    "k: 14433.123456789012345678901234",
    "l: 2024-02-30",
    "m: !!str 5",
    "n: &a [1, 2]",
    "o: *a",
    "p: |\n  block # not a comment\n",
    "q: 'it''s'",
    "%YAML 1.1\n---",
    "r:\n  - 0x10\n  - ~",
]
YAML_TEXT = st.lists(st.sampled_from(YAML_LINES), max_size=12).map("\n".join)


@FUZZ
@given(YAML_TEXT)
def test_fmt_round_trip_keeps_values_or_refuses(text: str) -> None:
    """fmt's round trip on text validate reads cleanly: the same data and every comment
    back, or Refused (the file is left alone); never any other exception."""
    loaded = load_bytes(text.encode(), "t.yaml")
    if not loaded.readable or loaded.findings:
        return
    source = Source(path=None, rel="t.yaml", text=text, bom=False, crlf=False)  # type: ignore[arg-type]
    try:
        new = checked(source, dump(load(source), source), original_data(source))
    except Refused:
        return
    assert load_bytes(new.encode(), "t.yaml").data == loaded.data


def _reference_glob(pattern: str) -> re.Pattern[str]:
    """The regex translation svqm used before its linear matcher (it could backtrack)."""
    out, i = [], 0
    pattern = pattern.strip()
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    while i < len(pattern):
        for token, regex in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
            if pattern.startswith(token, i):
                out.append(regex)
                i += len(token)
                break
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    return re.compile(body if anchored else f"(?:.*/)?{body}")


@FUZZ
@given(
    st.text(alphabet="ab/*?.", max_size=10),
    st.text(alphabet="ab/.", max_size=10),
)
def test_linear_globs_mean_what_the_regex_meant(pattern: str, path: str) -> None:
    assert glob_match(pattern, path) == bool(_reference_glob(pattern).fullmatch(path))
