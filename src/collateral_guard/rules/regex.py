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
