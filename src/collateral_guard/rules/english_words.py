"""Word lists looked up a word at a time: pyspellchecker's English frequencies and our supplement.

A one-file check asks about a few hundred of the 160,000 words (and 130,000 in the supplement), and
reading the whole tables took 40 to 200 ms of every start. The table is written once per version to the user cache as a sorted
file (a count, the line offsets, then "word<TAB>count" lines, ordered by their UTF-8 bytes); a
lookup is a binary search in the memory-mapped file, so only the pages it touches are read.
A run that asks about many words (a large scan, a two-edit correction among 100,000 candidates)
reads the whole table once instead: past LOAD_ALL searches that is the cheaper way, so neither a
single file nor a large scan pays much more than the better of the two.
"""

from __future__ import annotations

import array
import functools
import mmap
import zlib
from pathlib import Path
from typing import Callable, Iterable, Iterator

LOAD_ALL = 4_000  # binary searches cost about as much as reading the whole table once


def _english_source() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("spellchecker")  # where it is, without importing it
    return Path(spec.origin).parent / "resources" / "en.json.gz"


def _english_table() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _supplement_source() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "supplement-words.txt"


def _supplement_table() -> dict[str, int]:
    """The supplement's words, with their Zipf frequency in hundredths."""
    text = _supplement_source().read_text("utf-8")
    return {word: round(float(zipf) * 100) for word, _, zipf in
            (line.partition("\t") for line in text.splitlines() if line and not line.startswith("#"))}


def _encode(table: dict[str, int]) -> bytes:
    lines = sorted(f"{word}\t{count}\n".encode() for word, count in table.items()
                   if "\t" not in word and "\n" not in word)
    offsets, at = array.array("I"), 4 + 4 * len(lines)
    for line in lines:
        offsets.append(at)
        at += len(line)
    if offsets.itemsize != 4:
        raise ValueError("unsigned int is not 4 bytes here")
    return len(lines).to_bytes(4, "little") + offsets.tobytes() + b"".join(lines)


def _cached_file(name: str, source: Path, table: Callable[[], dict[str, int]]) -> Path | None:
    """The sorted file in the user cache, written on first use; None where the cache cannot be written."""
    from collateral_guard.cache import cache_folder, mark_used, source_stamp, write_atomically

    # The file does not hold what it was built from: two checksums of that name it (hashlib costs a
    # one-file check its start-up time).
    key = source_stamp([source]).encode()
    path = cache_folder() / f"{name}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.sorted"
    if path.is_file():
        mark_used(path)
        return path
    return path if write_atomically(path, _encode(table())) else None


class SortedWords:
    """Word -> count from a sorted word file, with the lookups of a dict (get, in, keys)."""

    def __init__(self, path: Path | None, table: Callable[[], dict[str, int]]):
        self._all: dict[str, int] | None = None if path else table()
        self._searches = 0
        self._seen: dict[str, int | None] = {}
        self._map = None
        if path:
            with open(path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            count = int.from_bytes(self._map[:4], "little")
            size = len(self._map)
            # A damaged file (cut short, or not ours) is refused here rather than read wrongly later.
            if size < 4 or 4 + 4 * count >= size or self._map[size - 1:] != b"\n":
                raise ValueError(f"{path.name}: not a complete word file")
            self._offsets = memoryview(self._map)[4:4 + 4 * count].cast("I")
            if count and (self._offsets[0] != 4 + 4 * count or self._offsets[-1] >= size):
                raise ValueError(f"{path.name}: not a complete word file")

    def get(self, word: str, default=None):
        if self._all is not None:
            return self._all.get(word, default)
        if word not in self._seen:
            self._searches += 1
            if self._searches > LOAD_ALL:
                return self.load_all().get(word, default)
            self._seen[word] = self._search(word)
        found = self._seen[word]
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def known_among(self, words: Iterable[str]) -> set[str]:
        """The words of ``words`` in the list: a set intersection once the table is read."""
        words = set(words)
        if self._all is None and self._searches + len(words) <= LOAD_ALL:
            return {w for w in words if w in self}
        return words & self.load_all().keys()

    def keys(self):
        return self.load_all().keys()

    def has_prefix(self, prefix: str) -> bool:
        """Whether some word begins with ``prefix`` (True without the sorted file: nothing is ruled out)."""
        if self._map is None:
            return True
        key = prefix.encode()
        index = self._first_at_least(key)
        return index < len(self._offsets) and self._line(index)[0].startswith(key)

    def starting_with(self, prefix: str) -> Iterator[tuple[str, int]]:
        """Every (word, count) whose word begins with ``prefix``, in byte order."""
        key = prefix.encode()
        if self._map is None:  # no cache file: the table in memory is all there is
            yield from ((w, c) for w, c in self._all.items() if w.startswith(prefix))
            return
        index = self._first_at_least(key)
        while index < len(self._offsets):
            word, count = self._line(index)
            if not word.startswith(key):
                return
            yield word.decode(), count
            index += 1

    @property
    def fully_read(self) -> bool:
        return self._all is not None

    def load_all(self) -> dict[str, int]:
        if self._all is None:
            # "word\tcount\n" lines (no word holds a tab or a line break: _encode), split in C in one go
            fields = self._map[4 + 4 * len(self._offsets):].decode().replace("\t", "\n").split("\n")
            fields.pop()  # after the last line's break
            self._all = dict(zip(fields[::2], map(int, fields[1::2])))
        return self._all

    def _line(self, index: int) -> tuple[bytes, int]:
        start = self._offsets[index]
        tab = self._map.find(b"\t", start)
        return self._map[start:tab], int(self._map[tab + 1:self._map.find(b"\n", tab)])

    def _first_at_least(self, key: bytes) -> int:
        low, high = 0, len(self._offsets)
        while low < high:
            middle = (low + high) // 2
            start = self._offsets[middle]
            if self._map[start:self._map.find(b"\t", start)] < key:
                low = middle + 1
            else:
                high = middle
        return low

    def _search(self, word: str) -> int | None:
        key = word.encode()
        index = self._first_at_least(key)
        if index < len(self._offsets):
            found, count = self._line(index)
            if found == key:
                return count
        return None


def _open(name: str, source: Path, table: Callable[[], dict[str, int]]) -> SortedWords:
    path = None
    try:
        path = _cached_file(name, source, table)
        return SortedWords(path, table)
    except (OSError, ValueError, TypeError):
        if path is not None:  # damaged: removed, so the next run writes it again
            try:
                path.unlink()
            except OSError:
                pass
        return SortedWords(None, table)


@functools.cache
def english_words() -> SortedWords:
    """pyspellchecker's English words and their occurrences."""
    return _open("english-words", _english_source(), _english_table)


@functools.cache
def supplement_words() -> SortedWords:
    """Common words pyspellchecker lacks (data/supplement-words.txt), with Zipf frequency x 100."""
    return _open("supplement-words", _supplement_source(), _supplement_table)
