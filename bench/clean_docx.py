"""How well and how fast `clean` works on real Word files: the docx-wild corpus in ../shared.

    python bench/clean_docx.py

For each file: the time to clean it and write the copy (in this process), and the
hidden-content and metadata findings before and after. A benchmark, not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from collateral_guard.config import Config
from collateral_guard.office.clean_docx import clean_docx
from collateral_guard.readers import ReadError
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "docx-wild"


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is not present")
    scanner = Scanner(Config(), active_rules(Config(), ("hidden-content", "metadata")))
    before, after, refused, times = Counter(), Counter(), 0, []
    files = sorted(CORPUS.rglob("*.docx"))
    with tempfile.TemporaryDirectory() as folder:
        copy = str(Path(folder) / "clean.docx")
        for path in files:
            data = path.read_bytes()
            started = time.perf_counter()
            try:
                edit, _ = clean_docx(str(path), data)
                edit.write(copy)
            except ReadError:
                refused += 1
                continue
            times.append(time.perf_counter() - started)
            before.update(f.part for f in scanner.scan(Target(str(path), str(path)), data).findings)
            after.update(f.part for f in scanner.scan(Target(copy, copy)).findings)
    print(f"{len(files)} files: {len(times)} cleaned, {refused} refused (as check refuses them)\n")
    print(f"time per file: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms, total {sum(times):.1f} s\n")
    print("| part | findings before | after |\n|---|---|---|")
    for part in sorted(before | after):
        print(f"| {part} | {before[part]} | {after[part]} |")


if __name__ == "__main__":
    main()
