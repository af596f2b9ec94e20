"""A per-user cache for data derived from installed packages (word lists, syllable counts).

Building these takes 0.1 to 0.4 s per run; reading them back takes about 20 ms,
which matters for a tool that runs on every commit. The cache holds nothing from
the documents scanned. Where it cannot be read or written, the data is simply
built again. A file is named by a CRC of what it was built from and holds that
text in full, checked on reading: exact, without loading hashlib (OpenSSL) or
tempfile on the start-up path of a one-file check. Every upgrade, virtual
environment or edited word list makes new files (several MB each), so a file
no run has read for UNUSED_DAYS is removed when a new one is written.
"""

from __future__ import annotations

import marshal
import os
import re
import zlib
from pathlib import Path
from typing import Callable

from collateral_guard import __version__

UNUSED_DAYS = 30


def cache_folder() -> Path:
    configured = os.environ.get("COLLATERAL_GUARD_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "collateral-guard"


def source_stamp(sources: list[Path]) -> str:
    """What a cache file is built from: this version and each source file's path, time and size (OSError
    when a source is missing)."""
    return "\n".join([__version__, *(f"{p.resolve()}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in sources)])


def write_atomically(path: Path, data: bytes) -> bool:
    """Writes a cache file whole or not at all (parallel workers never read half a file); False where the
    cache cannot be written. Each write also removes the files no run has read for UNUSED_DAYS."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=WRITING, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
        remove_unused(path.parent)
    except OSError:
        return False
    return True


def cached(name: str, sources: list[Path], build: Callable[[], dict]) -> dict:
    """``build()``, or its result from an earlier run of this version on the same ``sources`` files."""
    try:
        source = source_stamp(sources)
    except OSError:
        return build()
    path = cache_folder() / f"{name}-{zlib.crc32(source.encode()):08x}.marshal"
    try:
        stored = marshal.loads(path.read_bytes())
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == source and isinstance(stored[1], dict):
            mark_used(path)
            return stored[1]
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = build()
    try:
        write_atomically(path, marshal.dumps((source, data)))
    except ValueError:  # a value marshal cannot store: the data serves this run only
        pass
    return data


def mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache still serves
        pass


WRITING = "collateral-guard-writing-"  # the prefix of a file being written (left behind if interrupted)
OWN_FILE = re.compile(r"[a-z][a-z-]*-[0-9a-f]{8,16}\.(?:marshal|sorted)")


def remove_unused(folder: Path) -> None:
    """Cache files (and the temporary files of interrupted writes) no run has touched for UNUSED_DAYS."""
    import time

    oldest = time.time() - UNUSED_DAYS * 86400
    for entry in os.scandir(folder):
        # Only this tool's own files: the folder may be shared (COLLATERAL_GUARD_CACHE_DIR=/tmp).
        if OWN_FILE.fullmatch(entry.name) or entry.name.startswith(WRITING):
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < oldest:
                    os.unlink(entry.path)
            except OSError:
                pass
