"""Python's cycle collector, paused while one document is read and checked.

A large workbook becomes 100,000s of segments that live until its findings are
made. The collector runs after every few hundred allocations and now and then walks
every live object, so with those segments alive it cost about a third of a
50,000-row workbook's scan (1.3 s of 3.4 s, bench/office.py). Reference counting
still frees everything that is not in a cycle at once; the few cycles made while
one document is checked are collected when the collector resumes after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():  # paused already (a nested call, or by the caller)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
