"""The compiled RE2 pattern scans an ASCII text without pyre2's offset decoding: same matches, same offsets."""

import pickle

import pytest
import re2

from collateral_guard.rules.regex import _OPTIONS, LazyRE2, compile_re2

TEXTS = [
    "Pricing: TBD\x00Owner: TBD, TBC by Friday\x00",
    "",
    "TBD",
    "naïve TBD café TBC",  # not ASCII: pyre2's own path
    "ab cd abcd cdab ab\ncd",
]
PATTERNS = [r"\bTB[DC]\b", r"(?P<t0>\bab)|(?P<t1>cd\b)", r"x*", r"\b", r"(a)(b)?", r"(?i)tbd|caf"]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("bounds", [(None, None), (3, None), (2, 9), (-4, 400), (9, 2)])
def test_scans_match_pyre2(pattern, text, bounds):
    ours, theirs = compile_re2(pattern), re2.compile(pattern, options=_OPTIONS)

    def seen(matches):
        return [(m.span(), m.group(), m.groups(), m.lastgroup, m.start(1) if m.re.groups else None)
                for m in matches if m is not None]

    assert seen(ours.finditer(text, *bounds)) == seen(theirs.finditer(text, *bounds))
    for method in ("search", "match", "fullmatch"):
        assert seen([getattr(ours, method)(text, *bounds)]) == seen([getattr(theirs, method)(text, *bounds)])


def test_a_workbook_like_text():
    text = "\x00".join(["Yes.", "Pricing: TBD", "Team 4"] * 1000)
    matches = list(compile_re2(r"\bTBD\b").finditer(text))
    assert len(matches) == 1000
    assert matches[1].span() == (text.index("TBD", matches[0].end()), text.index("TBD", matches[0].end()) + 3)
    assert matches[1].group() == "TBD"


def test_the_rest_is_pyre2s():
    pattern = compile_re2(r"(?P<name>a+)b")
    assert pattern.pattern == r"(?P<name>a+)b"
    assert pattern.groups == 1 and pattern.groupindex == {"name": 1}
    assert pattern.findall("aab xab") == ["aa", "a"]
    assert pattern.sub("-", "aab c") == "- c"
    copy = pickle.loads(pickle.dumps(pattern))
    assert copy.search("xaab").span() == (1, 4)
    lazy = LazyRE2(r"\bTBD\b")
    assert [m.span() for m in lazy.finditer("a TBD")] == [(2, 5)]
