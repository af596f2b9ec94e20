"""Parallel scanning: the same results in the same order as a serial run, and a crashed worker
becomes an error for its file, not a hang."""

from __future__ import annotations

import os

from collateral_guard.config import Config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, discover, scan_all


def collateral(folder, count: int = 40):
    for number in range(count):
        text = f"# Brief {number}\n\nOur market-leading platform. Pricing: TBD.\n" if number % 3 else "Clean text.\n"
        (folder / f"doc-{number:03d}.md").write_text(text)


def summary(results):
    return [(r.path, r.error, [(f.rule, f.line, f.column) for f in r.findings]) for r in results]


def test_parallel_results_equal_serial(tmp_path):
    collateral(tmp_path)
    config = Config()
    scanner = Scanner(config, active_rules(config))
    serial = summary(scan_all(scanner, discover([str(tmp_path)], config), jobs=1))
    parallel = summary(scan_all(scanner, discover([str(tmp_path)], config), jobs=2))
    assert parallel == serial
    assert [path for path, _, _ in serial] == sorted(path for path, _, _ in serial)
    assert len(serial) == 40 and serial[1][2] == [("unsourced-superlative", 3, 5), ("draft-marker", 3, 39)]


class CrashingScanner(Scanner):
    """Kills the worker process on one file, as a crash in a C library would."""

    def scan(self, target, data=None):
        if target.path.endswith("doc-007.md") and os.getpid() != self.parent:
            os._exit(70)
        return super().scan(target, data)


def test_a_worker_crash_is_an_error_for_that_file_only(tmp_path):
    collateral(tmp_path, 30)
    config = Config()
    scanner = CrashingScanner(config, active_rules(config))
    scanner.parent = os.getpid()
    results = list(scan_all(scanner, discover([str(tmp_path)], config), jobs=2))
    assert len(results) == 30
    failed = [(r.path.rsplit("/", 1)[-1], r.error) for r in results if r.error]
    assert failed == [("doc-007.md", "the scanner crashed on this file (out of memory or a parser fault)")]
    assert results[8].findings and not results[8].error  # files after the crash are still scanned
