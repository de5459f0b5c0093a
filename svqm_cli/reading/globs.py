"""gitignore-like globs matched in linear time: '**' crosses folders, '*' and '?' do not.

A glob is compiled to a small automaton and run over the path once, keeping the set of
states reached (Thompson's construction), so no pattern can make matching backtrack: the
work is at most the path's length times the pattern's. Patterns are bounded in length.
"""

from __future__ import annotations

from functools import lru_cache

MAX_PATTERN_LENGTH = 512

# Token kinds: a literal character, '?' (one character but '/'), '*' (any run without '/'),
# '**' (any run), '**/' (nothing, or any run that ends with '/').
LITERAL, ONE, STAR, ANY, DIRS = range(5)
Token = tuple[int, str]


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> tuple[Token, ...]:
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    tokens: list[Token] = [] if anchored else [(DIRS, "")]
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            tokens.append((DIRS, ""))
            i += 3
        elif pattern.startswith("**", i):
            tokens.append((ANY, ""))
            i += 2
        elif pattern[i] == "*":
            tokens.append((STAR, ""))
            i += 1
        elif pattern[i] == "?":
            tokens.append((ONE, ""))
            i += 1
        else:
            tokens.append((LITERAL, pattern[i]))
            i += 1
    return tuple(_squeeze(tokens))


def _squeeze(tokens: list[Token]) -> list[Token]:
    """Runs of stars mean no more than one star: fewer states, same language."""
    out: list[Token] = []
    for token in tokens:
        if out and token[0] == out[-1][0] and token[0] in (STAR, ANY):
            continue
        out.append(token)
    return out


# A state is (token index, inside): INSIDE is True within a DIRS token's run.
State = tuple[int, bool]


def _closure(tokens: tuple[Token, ...], states: set[State]) -> set[State]:
    """Add every state reachable without reading a character."""
    todo = list(states)
    while todo:
        index, inside = todo.pop()
        if inside or index >= len(tokens):
            continue
        kind = tokens[index][0]
        if kind in (STAR, ANY, DIRS):
            for nxt in (
                ((index + 1, False), (index, True)) if kind == DIRS else ((index + 1, False),)
            ):
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
    return states


def _step(tokens: tuple[Token, ...], states: set[State], char: str) -> set[State]:
    out: set[State] = set()
    for index, inside in states:
        if index >= len(tokens):
            continue
        kind, literal = tokens[index]
        if inside:  # within '**/': any character, and a '/' may end the run
            out.add((index, True))
            if char == "/":
                out.add((index + 1, False))
        elif kind == LITERAL:
            if char == literal:
                out.add((index + 1, False))
        elif kind == ONE:
            if char != "/":
                out.add((index + 1, False))
        elif kind == STAR:
            if char != "/":
                out.add((index, False))
        elif kind == ANY:
            out.add((index, False))
    return _closure(tokens, out)


def glob_match(pattern: str, path: str) -> bool:
    """True when the whole of PATH matches PATTERN (a pattern too long never matches)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return False
    tokens = compile_glob(pattern)
    states = _closure(tokens, {(0, False)})
    for char in path:
        states = _step(tokens, states, char)
        if not states:
            return False
    return (len(tokens), False) in states
