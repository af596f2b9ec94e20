"""Regular expressions compiled on first use.

A one-file check (a pre-commit hook) runs most patterns never or only on a few
candidate lines; compiling every module-level pattern at import cost it several
milliseconds of start-up.
"""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """Behaves as ``re.compile(pattern, flags)``, compiled the first time it is used."""

    def __init__(self, pattern: str, flags: int = 0):
        self._arguments = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = re.compile(*self._arguments)
        for method in _METHODS:  # later calls go straight to the compiled pattern
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
