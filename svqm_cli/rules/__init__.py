"""Rules beyond the schema: one module per theme, each rule registered with @rule.

A rule is a function ``(ctx) -> Iterable[Finding]``. Its docstring says what it checks and
shows a bad and a good YAML snippet; the README's table of codes uses the code table in
findings.py, and tests keep every code documented and every rule tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from svqm_cli.base.findings import CODES, Finding
from svqm_cli.rules.context import Context

RuleFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    codes: tuple[str, ...]
    fn: RuleFn
    # Looks at files beyond the pack's documents (evidence files): run every time, never
    # served from the cache of an unchanged pack's findings (checking/rule_cache.py).
    reads_files: bool = False


RULES: list[Rule] = []


def rule(*codes: str, reads_files: bool = False) -> Callable[[RuleFn], RuleFn]:
    """Register a rule that may emit the given codes; READS_FILES when it looks at anything
    but the pack's documents (their findings then are never cached)."""
    for code in codes:
        if code not in CODES:
            raise ValueError(f"{code} is not in the code table")

    def register(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(codes=codes, fn=fn, reads_files=reads_files))
        return fn

    return register


def all_rules() -> list[Rule]:
    # Importing the modules registers their rules.
    from svqm_cli.rules import (  # noqa: F401
        commitments,
        evidence,
        levels,
        measures,
        periods,
        plausibility,
        references,
        submission,
        theory,
        valuation,
    )

    return RULES


__all__ = ["RULES", "Context", "Rule", "all_rules", "rule"]
