"""An opt-in cache of scan results (``check --cache``), so an unchanged rerun costs about the time to hash the files.

A result is reused only when everything that decides it is unchanged: the file's
bytes and path, the tool version, the configuration (customers, competitors,
glossary, rule settings), the rule packs, the vocabulary file and the rules chosen
on the command line, and the date (a comparison's verification date ages). Any change to those starts a fresh cache folder and removes
the old one, so the cache never grows past one run's worth of results.

The cache lives in the project folder (``.collateral-guard-cache/``), not in the
user's home, because it holds finding text: messages and sentences from the
documents, with secrets masked exactly as in every report. Nothing in it is a
secret in full.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from collateral_guard import __version__
from collateral_guard.findings import Finding

CACHE_FOLDER = ".collateral-guard-cache"
FORMAT = 1


def run_key(config, rule_ids: list[str], extra: tuple = ()) -> str:
    """A digest of everything besides the file itself that decides a file's result."""
    from collateral_guard.rules.registry import packs_folder

    digest = hashlib.sha256()
    today = datetime.date.today().isoformat()
    for piece in (str(FORMAT), __version__, today, repr(config), "\n".join(rule_ids), repr(extra)):
        digest.update(piece.encode("utf-8", "surrogateescape") + b"\x00")
    # **: the packs and the word lists under rules/lists/ (the competitor rules')
    sources = sorted(packs_folder().glob("**/*.yml")) + list(config.rule_packs)
    if config.vocabulary_file is not None:
        sources.append(config.vocabulary_file)
    for source in sources:
        try:
            digest.update(Path(source).read_bytes())
        except OSError:
            digest.update(b"missing:" + str(source).encode("utf-8", "surrogateescape"))
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


class ResultCache:
    """Results by (path, content digest), under one run key."""

    def __init__(self, root: Path, key: str):
        self.base = root / CACHE_FOLDER
        self.folder = self.base / key
        self._prepared = False

    def _file(self, path: str, data: bytes) -> Path:
        digest = hashlib.sha256(path.encode("utf-8", "surrogateescape") + b"\x00" + data).hexdigest()
        return self.folder / f"{digest[:40]}.json"

    def load(self, path: str, data: bytes):
        """The cached FileResult for this path and content, or None."""
        from collateral_guard.scan import FileResult, UnusedSuppression

        try:
            stored = json.loads(self._file(path, data).read_text(encoding="utf-8"))
            return FileResult(
                path=path,
                findings=[Finding(**finding) for finding in stored["findings"]],
                unused_suppressions=[UnusedSuppression(**item) for item in stored["unused_suppressions"]],
                notes=stored.get("notes", []),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, result, data: bytes) -> None:
        if result.error is not None:  # a read error may be passing (a locked file): always retry it
            return
        if result.config_error is not None:  # reported on every run until it is fixed (exit 2)
            return
        stored = {
            "findings": [dataclasses.asdict(f) for f in result.findings],
            "unused_suppressions": [dataclasses.asdict(u) for u in result.unused_suppressions],
            "notes": result.notes,  # what the reader could not read: a cached result must still say so
        }
        try:
            self._prepare()
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, delete=False,
                                             suffix=".tmp") as handle:
                json.dump(stored, handle, ensure_ascii=False)
            os.replace(handle.name, self._file(result.path, data))  # atomic: workers share the folder
        except OSError:
            pass  # a cache that cannot be written only costs speed

    def _prepare(self) -> None:
        """Create this run's folder; drop folders of other configurations or versions."""
        if self._prepared:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.base / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# collateral-guard --cache: results of earlier runs\n*\n", encoding="utf-8")
        for other in self.base.iterdir():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        self._prepared = True
