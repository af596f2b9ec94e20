"""Finding registered names (customers, competitors) in text, as whole words.

Every name goes into one Aho-Corasick automaton (two: case-insensitive and
case-sensitive names), so a document is scanned once however large the
registry is. Names match with possessives, hyphenated forms, line breaks inside
a name and curly apostrophes; names that are ordinary words (Target, Shell,
Box) match only with their capitals unless the entry says otherwise.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable

# Same-length normalisation: every offset in the normalised text is the offset in the original.
SAME_LENGTH = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\u00a0": " ", "’": "'", "‘": "'"})


@dataclass(frozen=True)
class Name:
    written: str  # the name or domain as registered
    owner: object  # the registry entry it belongs to
    case_sensitive: bool
    is_domain: bool = False


@functools.cache
def _common_words() -> dict[str, int]:
    from collateral_guard.rules.spelling import english_frequencies

    return english_frequencies()


def is_common_phrase(name: str) -> bool:
    """A name made only of ordinary English words: it must match with its capitals."""
    return all(word.strip("'.,&") in _common_words() for word in name.lower().split())


def normalise(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(SAME_LENGTH)


def _key(name: str) -> str:
    return " ".join(name.split()).translate(SAME_LENGTH)


class NameMatcher:
    """Non-overlapping whole-word matches of registered names; the longest wins at each place."""

    def __init__(self, names: Iterable[Name]):
        import ahocorasick

        folded, exact = ahocorasick.Automaton(), ahocorasick.Automaton()
        for name in names:
            automaton = exact if name.case_sensitive and not name.is_domain else folded
            key = _key(name.written) if automaton is exact else normalise(_key(name.written))
            # Several entries may share a name: each key holds every entry registered under it.
            automaton.add_word(key, (*automaton.get(key, ()), name))
        self._automata = [(a, a is folded) for a in (folded, exact) if len(a)]
        for automaton, _ in self._automata:
            automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, Name]]:
        folded_text = exact_text = None
        matches: list[tuple[int, int, Name]] = []
        for automaton, folds in self._automata:
            if folds:
                folded_text = folded_text or normalise(text)
                haystack = folded_text
            else:
                exact_text = exact_text or text.translate(SAME_LENGTH)
                haystack = exact_text
            for end, names in automaton.iter(haystack):
                for name in names:
                    start = end + 1 - len(_key(name.written))
                    if _bounded(text, start, end + 1, name.is_domain):
                        matches.append((start, end + 1, name))
        found = []
        last_end = -1
        for start, end, name in sorted(matches, key=lambda m: (m[0], -(m[1] - m[0]))):
            if start >= last_end:  # the longer name at this place wins: "Contoso Pharmaceuticals"
                found.append((start, end, name))
                last_end = end
        return found


def _bounded(text: str, start: int, end: int, is_domain: bool) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after == "_":
        return False
    continues_host = after in ".-" and end + 1 < len(text) and text[end + 1].isalnum()
    if is_domain:
        # contoso.com in mail.contoso.com, jane@contoso.com, https://contoso.com/x; not in my-contoso.com
        # or contoso.com.evil.net
        return before != "-" and not continues_host
    # A name inside a hyphenated host name (my-contoso.com) is another name.
    return not (before == "-" and continues_host)
