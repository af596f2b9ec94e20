"""Words a pattern cannot match without: a rule whose words are absent from a text is not run on it.

Most rule-pack patterns cannot match most documents: a rule about roadmap promises needs "planned",
"roadmap", "coming soon"... somewhere in the text. ``required_words`` reads a pattern once and
returns a few lower-case strings, one of which every match contains; a rule then compiles and runs
its pattern only on a text (lower-cased) that holds one of them. That skips most of the pattern
scans of a large run, and most of the pattern compiles of a one-file check. The answer is a
necessary condition only, never a guess: where the pattern is beyond this reading (a large character
class, an optional part, syntax Python's parser reads differently from RE2), the answer is None and
the rule always runs.
"""

from __future__ import annotations

import re
import re._constants as c
import re._parser as parser

MAX_EXACT = 16  # strings a part of a pattern may spell out before only its words are kept
MAX_CLASS = 10  # characters a class may hold and still spell strings: [sz] in "organi[sz]e", [0-4]
EVERYWHERE = frozenset("a an and are as at be by for from in is it of on or our the to we with you your".split())
# Syntax RE2 and Python's parser read differently: such a pattern is not read here.
FOREIGN = ("\\p", "\\P", "\\Q", "\\C", "\\z", "\\x{")
POSIX_CLASS = re.compile(r"\[:\^?[a-z]+:\]")  # [[:alpha:]]


def lowered(text: str) -> str:
    """A text as ``required_words`` compares it: lower-cased, and the long s folded to s as RE2's (?i) does
    (str.lower() leaves it alone; the Kelvin sign it lowers to k)."""
    text = text.lower()
    return text.replace("ſ", "s") if "ſ" in text else text


def required_words(pattern: str) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of ``pattern`` contains one; None when none can be said."""
    if any(sign in pattern for sign in FOREIGN) or POSIX_CLASS.search(pattern):
        return None
    if any(ch.lower() != ch.upper() for ch in pattern if ord(ch) > 127):
        return None  # a non-ASCII letter: its case folds in RE2 are not all str.lower()'s
    try:
        # Case is all one here (texts and words are lower-cased): a group's own (?i) goes, so that Python's
        # parser reads "(?:(?i)insert|add)", which RE2 accepts and Python does not.
        tree = parser.parse(pattern.replace("(?:(?i)", "(?:"))
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    exact, words = _sequence(list(tree))
    found = exact if exact is not None else words
    if not found or any(not w for w in found):
        return None
    return tuple(sorted(found))


# Each part of a pattern is read as (exact, words): ``exact``, the set of strings it matches when it
# spells them out; otherwise ``words``, strings of which every match holds one (None: no such strings).

def _sequence(items: list) -> tuple[set[str] | None, set[str] | None]:
    run: set[str] = {""}  # what the exact parts since the last inexact one spell, one after another
    best: set[str] | None = None
    whole = True  # every part exact: the sequence spells ``run``

    def keep(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and "" not in candidate and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    for op, value in items:
        part_exact, part_words = _node(op, value)
        if part_exact is not None and len(run) * len(part_exact) <= MAX_EXACT:
            run = {a + b for a in run for b in part_exact}
            continue
        whole = False
        keep(run)
        if part_exact is not None:
            run = part_exact
        else:
            keep(part_words)
            run = {""}
    if whole:
        return run, None
    keep(run)
    return None, best


def _strength(words: set[str]) -> tuple[int, int]:
    """Longer and fewer words reject more texts; words in nearly every text reject none."""
    return min(0 if w in EVERYWHERE else len(w) for w in words), -len(words)


def _node(op, value) -> tuple[set[str] | None, set[str] | None]:
    if op is c.LITERAL:
        return {lowered(chr(value))}, None
    if op is c.AT:
        return {""}, None
    if op is c.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is c.BRANCH:
        parts = [_sequence(list(branch)) for branch in value[1]]
        if all(e is not None for e, _ in parts):
            exact = set().union(*(e for e, _ in parts))
            return (exact, None) if len(exact) <= MAX_EXACT else (None, _words_of(exact))
        words: set[str] = set()
        for part_exact, part_words in parts:
            found = part_exact if part_exact is not None and "" not in part_exact else part_words
            if not found:
                return None, None  # one branch needs nothing
            words |= found
        return None, words
    if op is c.IN:
        chars = _class_chars(value)
        return ({ch for ch in chars}, None) if chars is not None else (None, None)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, item = value
        if low == 0:
            return None, None
        inner_exact, inner_words = _sequence(list(item))
        if inner_exact is not None and low == high and len(inner_exact) ** low <= MAX_EXACT:
            exact = {""}
            for _ in range(low):
                exact = {a + b for a in exact for b in inner_exact}
            return exact, None
        if inner_exact is not None:
            return None, inner_exact if "" not in inner_exact else None
        return None, inner_words
    return None, None  # any character, categories, lookarounds, back references: no words


def _words_of(exact: set[str]) -> set[str] | None:
    return exact if "" not in exact else None


def _class_chars(items) -> set[str] | None:
    chars: set[str] = set()
    for op, value in items:
        if op is c.LITERAL:
            chars.add(lowered(chr(value)))
        elif op is c.RANGE and value[1] - value[0] < MAX_CLASS:
            chars.update(lowered(chr(v)) for v in range(value[0], value[1] + 1))
        else:
            return None  # negation, categories, wide ranges
        if len(chars) > MAX_CLASS:
            return None
    return chars or None
