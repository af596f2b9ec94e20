"""The pipeline for one file, and for many: read → segments → rules → findings → suppressions.

Files are scanned in worker processes when ``jobs`` > 1. Results come back in
the order the files were given, as soon as each is ready, so output streams and
memory does not grow with the number of files.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import signal
import stat
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from collateral_guard.collector import collector_paused
from collateral_guard.config import Config
from collateral_guard.engine import check_document
from collateral_guard.errors import FatalError
from collateral_guard.findings import Finding
from collateral_guard.printable import displayed_path
from collateral_guard.readers import SUPPORTED_SUFFIXES, UNSUPPORTED, ReadError, read_document
from collateral_guard.rules.base import DocumentFacts, document_links
from collateral_guard.rules.registry import ActiveRule
from collateral_guard.suppressions import apply_suppressions, parse_suppressions

MAX_FILE_BYTES = 64 * 1024 * 1024
STDIN = "-"


@dataclass
class UnusedSuppression:
    line: int
    column: int
    message: str


@dataclass
class FileResult:
    path: str
    error: str | None = None
    config_error: str | None = None  # the file was scanned, but a setting in it is wrong (exit 2)
    findings: list[Finding] = field(default_factory=list)
    unused_suppressions: list[UnusedSuppression] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)  # accepted by suppression comments
    notes: list[str] = field(default_factory=list)  # what the reader could not read: "stopped at the cell limit"


@dataclass(frozen=True)
class Target:
    path: str  # as shown in reports
    source: str  # where to read it: a file system path, or "-" for stdin
    refused: str | None = None  # why it is not read (a link out of the tree, a FIFO): its error


class Scanner:
    """Everything needed to scan one file, built once per run (and inherited by workers)."""

    def __init__(self, config: Config, rules: list[ActiveRule], customer: str | None = None, cache=None):
        self.config = config
        self.rules = rules
        self.customer = customer
        self.cache = cache  # a ResultCache (check --cache), or None
        # Suppressions naming only rules that are not running (--select) are not stale.
        self.active_names = frozenset(n for a in rules for n in (a.rule.info.id, a.rule.info.category))

    def warm_up(self) -> None:
        """Load what the active rules need (dictionaries, automata) once, before workers fork from here."""
        for active in self.rules:
            warm_up = getattr(active.rule, "warm_up", None)
            if warm_up:
                warm_up()

    def scan(self, target: Target, data: bytes | None = None) -> FileResult:
        if target.refused:
            return FileResult(target.path, error=target.refused)
        if self.cache is None or target.source == STDIN:
            return self._scan(target, data)
        try:
            data = _read_bytes(target.source) if data is None else data
        except ReadError as error:
            return FileResult(target.path, error=str(error))
        result = self.cache.load(target.path, data)
        if result is None:
            result = self._scan(target, data)
            self.cache.store(result, data)
        return result

    def _scan(self, target: Target, data: bytes | None) -> FileResult:
        with collector_paused():
            return self._read_and_check(target, data)

    def _read_and_check(self, target: Target, data: bytes | None) -> FileResult:
        try:
            if data is None:
                data = _read_bytes(target.source)
            document = read_document(target.path, data, self.config.max_cells)
            config_error = None
            try:
                customer = self._target_customer(target, document)
            except FatalError as error:  # the document is still scanned, without a target customer
                customer, config_error = None, f"{error}; scanned without a target customer"
            facts = DocumentFacts(target_customer=customer,
                                  vendor_names=self.config.vendor.names, vendor_domains=self.config.vendor.domains,
                                  links=document_links(document.segments))
        except (ReadError, FatalError) as error:
            return FileResult(target.path, error=str(error))
        except RecursionError:
            return FileResult(target.path, error="document nests too deeply to scan")
        except MemoryError:
            return FileResult(target.path, error="document too large to scan in memory")
        except Exception as error:  # a reader's bug or a parser's surprise: this file's error, not the run's
            return FileResult(target.path, error=f"internal error reading the file: {type(error).__name__}: "
                                                 f"{_one_line(error)}")
        try:
            findings = check_document(document, self.rules, facts)
        except Exception as error:  # a rule's bug must not stop the other files
            return FileResult(target.path,
                              error=f"internal error in a rule: {type(error).__name__}: {_one_line(error)}")
        suppressed = apply_suppressions(findings, parse_suppressions(document))
        unused = [UnusedSuppression(s.line, s.column, s.describe()) for s in suppressed.unused
                  if not s.names or s.names & self.active_names]
        return FileResult(target.path, findings=suppressed.findings, unused_suppressions=unused,
                          config_error=config_error, suppressed=suppressed.accepted, notes=document.notes)

    def _target_customer(self, target: Target, document) -> str | None:
        if self.customer:
            return self.customer
        if document.declared_customer:
            self.config.check_customer(document.declared_customer, document.declared_customer_where)
            return document.declared_customer
        if target.source != STDIN:
            return self.config.customer_for_path(target.source)
        return None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def _read_bytes(source: str) -> bytes:
    try:
        if source == STDIN:
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            # Non-blocking, so that opening a FIFO cannot hang; then only regular files are read.
            descriptor = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(descriptor, "rb") as handle:
                status = os.fstat(descriptor)
                if stat.S_ISDIR(status.st_mode):
                    raise ReadError("is a directory")
                if not stat.S_ISREG(status.st_mode):
                    raise ReadError("not a regular file (a FIFO, socket or device): not read")
                # Sized to the file: a read sized to the limit allocates 64 MB for every file. A file
                # that grew since is read on, to the limit.
                wanted = min(status.st_size, MAX_FILE_BYTES) + 1
                data = handle.read(wanted)
                if len(data) == wanted:
                    data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, not scanned")
    return data


def changed_since(revision: str) -> set[str]:
    """Real paths of the files changed between a git revision and the working tree (untracked included)."""
    import subprocess

    def git(*args: str) -> list[str]:
        try:
            done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        except FileNotFoundError:
            raise FatalError("--since needs git, which is not installed") from None
        except subprocess.CalledProcessError as error:
            detail = (error.stderr.strip().splitlines() or ["git failed"])[-1]
            raise FatalError(f"--since {revision}: {detail}") from None
        return [line for line in done.stdout.splitlines() if line]

    top = git("rev-parse", "--show-toplevel")[0]
    names = git("diff", "--name-only", "--diff-filter=ACMR", revision, "--")
    names += git("ls-files", "--others", "--exclude-standard", "--full-name", ":/")
    return {os.path.realpath(os.path.join(top, name)) for name in names}


def discover(paths: Iterable[str], config: Config, not_checked: list[str] | None = None) -> Iterator[Target]:
    """Files to scan: files as given, directories walked for supported suffixes, minus excludes.

    A walk stays inside the folder it was given: a symbolic link that leads out of it,
    a FIFO or device, and a folder that cannot be read are each reported as an error.
    Documents in a walked folder that no reader supports (.pdf, .key, .xls...) are
    added to ``not_checked``, so that the report can say they were not checked.
    """
    for given in paths:
        if given == STDIN:
            yield Target(STDIN, STDIN)
            continue
        if not os.path.isdir(given):
            if not _excluded(given, config):
                yield Target(displayed_path(os.path.normpath(given)), given)
            continue
        found = []
        root = os.path.realpath(given)

        def refuse(full: str, reason: str) -> None:
            found.append(Target(displayed_path(os.path.normpath(full)), full, refused=reason))

        def unreadable(error: OSError) -> None:
            refuse(error.filename, f"cannot read folder: {error.strerror}")

        for folder, folders, files in os.walk(given, onerror=unreadable):
            folders[:] = [d for d in folders if not d.startswith(".") and d != "node_modules"]
            for name in folders:
                full = os.path.join(folder, name)
                if os.path.islink(full) and not _inside(os.path.realpath(full), root):
                    if not _excluded(full, config):
                        refuse(full, f"symbolic link to a folder outside {given}: not followed")
            for name in files:
                # ~$name.docx: Word's lock file beside an open document
                if name.startswith("~$"):
                    continue
                full = os.path.join(folder, name)
                if name.lower().endswith(SUPPORTED_SUFFIXES):
                    if not _excluded(full, config):
                        found.append(_walked_file(full, root, given))
                elif not_checked is not None and Path(name).suffix.lower() in UNSUPPORTED \
                        and not _excluded(full, config):
                    not_checked.append(displayed_path(full))
        yield from sorted(found, key=lambda t: Path(t.path).parts)


def _walked_file(full: str, root: str, given: str) -> Target:
    shown = displayed_path(os.path.normpath(full))
    if os.path.islink(full) and not _inside(os.path.realpath(full), root):
        return Target(shown, full, refused=f"symbolic link to a file outside {given}: not followed")
    try:
        mode = os.stat(full).st_mode
    except OSError as error:
        return Target(shown, full, refused=f"cannot read: {error.strerror}")
    if not stat.S_ISREG(mode):
        return Target(shown, full, refused="not a regular file (a FIFO, socket or device): not read")
    return Target(shown, full)


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _excluded(path: str, config: Config) -> bool:
    if not config.exclude:
        return False
    candidates = {Path(path).as_posix()}
    try:
        candidates.add(Path(path).resolve().relative_to(config.root.resolve()).as_posix())
    except ValueError:
        pass
    return any(fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c, pattern.rstrip("/") + "/*")
               for c in candidates for pattern in config.exclude)


# -- many files ----------------------------------------------------------------

_worker_scanner: Scanner | None = None  # each worker process's own copy


def _install(scanner: Scanner) -> None:
    global _worker_scanner
    _worker_scanner = scanner
    # Ctrl-C reaches the whole process group: the main process stops the workers, which
    # must not each print a KeyboardInterrupt traceback. SIGTERM ends a worker at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _scan_in_worker(targets: list[Target]) -> list[FileResult]:
    return [_worker_scanner.scan(target) for target in targets]


def scan_all(scanner: Scanner, targets: Iterable[Target], jobs: int) -> Iterator[FileResult]:
    """Results in the order of ``targets``, each as soon as it and those before it are done."""
    targets = iter(targets)
    first = list(itertools.islice(targets, 2))
    if jobs <= 1 or len(first) < 2 or not _can_fork():
        for target in itertools.chain(first, targets):
            yield scanner.scan(target)
        return
    scanner.warm_up()
    yield from _scan_parallel(scanner, itertools.chain(first, targets), jobs)


def _can_fork() -> bool:
    import multiprocessing  # only here: a one-file or one-job run (a pre-commit hook) never needs it

    return "fork" in multiprocessing.get_all_start_methods()


CHUNK = 8  # files per task: fewer round trips between processes


def _scan_parallel(scanner: Scanner, targets: Iterator[Target], jobs: int) -> Iterator[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    window = jobs * 4
    pending: deque = deque()  # (chunk of targets, Future or results), in the order given
    pool = _pool(scanner, jobs)

    def submit(chunk: list[Target]) -> None:
        nonlocal pool
        try:
            pending.append((chunk, pool.submit(_scan_in_worker, chunk)))
        except BrokenProcessPool:
            _close(pool, finished=False)
            pool = _pool(scanner, jobs)
            pending.append((chunk, pool.submit(_scan_in_worker, chunk)))

    finished = False
    try:
        chunk: list[Target] = []
        for target in targets:
            if target.source == STDIN:  # stdin belongs to this process
                if chunk:
                    submit(chunk)
                    chunk = []
                pending.append(([target], [scanner.scan(target)]))
                continue
            chunk.append(target)
            if len(chunk) == CHUNK:
                submit(chunk)
                chunk = []
            while len(pending) >= window or (pending and _ready(pending[0][1])):
                yield from _results(*pending.popleft(), scanner)
        if chunk:
            submit(chunk)
        while pending:
            yield from _results(*pending.popleft(), scanner)
        finished = True
    finally:
        _close(pool, finished)


def _pool(scanner: Scanner, jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers inherit the compiled rules and loaded dictionaries instead of rebuilding them.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_install, initargs=(scanner,))


def _ready(entry) -> bool:
    return isinstance(entry, list) or entry.done()


def _results(chunk: list[Target], entry, scanner: Scanner) -> list[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(entry, list):
        return entry
    try:
        return entry.result()
    except BrokenProcessPool:
        # A worker died (out of memory, a crash in a C library) and took the pool with
        # it. Scan each file that was in flight alone, so only the culprit is reported.
        return [_scan_isolated(scanner, target) for target in chunk]


def _scan_isolated(scanner: Scanner, target: Target) -> FileResult:
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(scanner, 1)
    finished = False
    try:
        result = pool.submit(_scan_in_worker, [target]).result()[0]
        finished = True
        return result
    except BrokenProcessPool:
        finished = True
        return FileResult(target.path, error="the scanner crashed on this file (out of memory or a parser fault)")
    finally:
        _close(pool, finished)


def _close(pool, finished: bool) -> None:
    """Shut the pool down and wait for it: a pool left to close at interpreter exit fails on
    closed pipes ("Bad file descriptor"). Interrupted, stop the workers first, so that
    nothing is left running and the wait is short."""
    if not finished:
        # The executor has no public way to stop busy workers before Python 3.14.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
