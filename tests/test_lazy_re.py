import re

import pytest

from collateral_guard.lazy_re import LazyPattern


def test_lazy_pattern_answers_as_the_compiled_pattern():
    lazy = LazyPattern(r"(?i)pass(word)?\s*=\s*(\S+)")
    eager = re.compile(r"(?i)pass(word)?\s*=\s*(\S+)")
    line = "PASSWORD = Winter2024! and pass=x1"
    assert [m.span(2) for m in lazy.finditer(line)] == [m.span(2) for m in eager.finditer(line)] == [(11, 22), (32, 34)]
    assert lazy.search(line).group(2) == "Winter2024!"
    assert lazy.match("nothing") is None
    assert lazy.sub("<>", "pass=1") == "<>"
    assert lazy.pattern == eager.pattern and lazy.groups == 2


def test_a_bad_pattern_fails_when_first_used():
    lazy = LazyPattern(r"(unclosed")
    with pytest.raises(re.error):
        lazy.search("text")
