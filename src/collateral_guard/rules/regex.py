"""RE2, the linear-time regular expression engine every rule pattern is compiled with."""

from __future__ import annotations

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are raised (and reported by us), not written to stderr
_OPTIONS.max_mem = 256 << 20  # room for the automata of large glossaries and customer registries
_UNANCHORED, _START, _BOTH = re2._Anchor.UNANCHORED, re2._Anchor.ANCHOR_START, re2._Anchor.ANCHOR_BOTH
_NO_MATCH = (-1, -1)


def compile_re2(pattern: str):
    """Compile, or raise re2.error."""
    return Pattern(re2.compile(pattern, options=_OPTIONS))


escape = re2.escape
error = re2.error


class Pattern:
    """A compiled RE2 pattern, as ``re2.compile`` returns it, that scans an ASCII text (most of them) faster.

    pyre2 matches a str through its UTF-8 bytes and turns each match's byte offsets into character
    offsets one by one, which costs more than the match itself when a large text has thousands of
    matches (a workbook's "TBD" in every sixth answer). In an ASCII text a byte is a character: the
    same matches, with the same offsets, come straight from RE2.
    """

    __slots__ = ("_pyre2", "_regexp")

    def __init__(self, compiled):
        self._pyre2 = compiled  # pyre2's pattern: everything but the scans below is its own
        self._regexp = compiled._regexp

    def __getattr__(self, name: str):
        if name in Pattern.__slots__:  # not set yet (while unpickling): not pyre2's to answer
            raise AttributeError(name)
        return getattr(self._pyre2, name)

    def __reduce__(self):
        return compile_re2, (self._pyre2.pattern,)

    def _match(self, anchor, text: str, pos: int | None, endpos: int | None):
        if not (isinstance(text, str) and text.isascii()):  # isascii is O(1) on a str
            yield from self._pyre2._match(anchor, text, pos, endpos)
            return
        pos = 0 if pos is None else max(0, min(pos, len(text)))  # as pyre2 bounds them
        endpos = len(text) if endpos is None else max(0, min(endpos, len(text)))
        if pos > endpos:
            return
        encoded, match, compiled, make = text.encode("ascii"), self._regexp.Match, self._pyre2, _Match
        while True:
            spans = match(anchor, encoded, pos, endpos)
            first = spans[0]
            if first == _NO_MATCH:
                return
            yield make(compiled, text, pos, endpos, spans)
            if pos == endpos:
                return
            pos = pos + 1 if pos == first[1] else first[1]  # past an empty match, as pyre2 steps

    def search(self, text, pos=None, endpos=None):
        return next(self._match(_UNANCHORED, text, pos, endpos), None)

    def match(self, text, pos=None, endpos=None):
        return next(self._match(_START, text, pos, endpos), None)

    def fullmatch(self, text, pos=None, endpos=None):
        return next(self._match(_BOTH, text, pos, endpos), None)

    def finditer(self, text, pos=None, endpos=None):
        return self._match(_UNANCHORED, text, pos, endpos)


class _Match(re2._Match):
    """pyre2's match; the whole match is read without asking RE2 for the pattern's number of groups each
    time (to check the group asked for), which cost more than reading it."""

    __slots__ = ()

    def start(self, group=0):
        return self._spans[0][0] if group == 0 else super().start(group)

    def end(self, group=0):
        return self._spans[0][1] if group == 0 else super().end(group)

    def span(self, group=0):
        return self._spans[0] if group == 0 else super().span(group)

    def group(self, *groups):
        if groups:
            return super().group(*groups)
        start, end = self._spans[0]
        return self._text[start:end]


class LazyRE2:
    """``compile_re2(pattern)``, compiled the first time it is used: for a pattern already known to compile
    (a rule pack's, checked when the pack was first read), that most runs never need."""

    compiled = False

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __getattr__(self, name: str):
        compiled = compile_re2(self.pattern)
        self.compiled = True
        for method in ("search", "match", "fullmatch", "finditer", "findall"):  # later calls go straight there
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
