"""RE2, the linear-time regular expression engine every rule pattern is compiled with."""

from __future__ import annotations

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are raised (and reported by us), not written to stderr
_OPTIONS.max_mem = 256 << 20  # room for the automata of large glossaries and customer registries


def compile_re2(pattern: str):
    """Compile, or raise re2.error."""
    return re2.compile(pattern, options=_OPTIONS)


escape = re2.escape
error = re2.error


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
