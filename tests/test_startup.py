"""What a one-file check loads: the pre-commit path pays for every module it imports on every commit.

Not a timing test (bench/run.py measures start-up): it pins the structure, so that a heavy import
added at module level, where only some runs need it, shows up here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

RECORD = """
import atexit, json, sys
record = sys.argv[1]
atexit.register(lambda: open(record, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["collateral-guard", *sys.argv[2:]]
from collateral_guard.cli import main
main()
"""

# Needed only by runs that ask for them: several files on several cores, Office files, other report
# formats, a baseline, --output, --cache, --fix; hashlib only to fingerprint a finding; yaml only to
# read a rule pack the cache does not hold yet; csv only for a customer registry, html only to decode a
# character reference.
NOT_FOR_ONE_CLEAN_MARKDOWN_FILE = (
    "multiprocessing", "concurrent.futures",
    "collateral_guard.readers.docx", "collateral_guard.readers.pptx", "collateral_guard.readers.xlsx",
    "collateral_guard.readers.package", "collateral_guard.office", "docx", "pptx", "openpyxl", "lxml",
    "collateral_guard.reporters.json", "collateral_guard.reporters.sarif", "collateral_guard.reporters.html",
    "collateral_guard.reporters.junit", "collateral_guard.reporters.github", "collateral_guard.reporters.gitlab",
    "collateral_guard.baseline", "collateral_guard.report_file", "collateral_guard.result_cache",
    "collateral_guard.fix", "hashlib", "yaml", "csv", "html",
)


def loaded(tmp_path: Path, *args: str) -> set[str]:
    record = tmp_path / "modules.json"
    environment = {**os.environ, "COLLATERAL_GUARD_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the per-user cache of rule packs and word lists, as any first run does
        done = subprocess.run([sys.executable, "-c", RECORD, str(record), *args], cwd=tmp_path, env=environment,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(record.read_text()))


def test_a_one_file_markdown_check_loads_only_what_it_uses(tmp_path):
    (tmp_path / "clean.md").write_text("# Install\n\nThe agent forwards 20,000 events per second on a 4 vCPU host.\n")
    modules = loaded(tmp_path, "check", "clean.md")
    assert {"collateral_guard.readers.markdown", "collateral_guard.reporters.text"} <= modules
    assert sorted(m for m in modules if m.split(".")[0] in NOT_FOR_ONE_CLEAN_MARKDOWN_FILE
                  or m in NOT_FOR_ONE_CLEAN_MARKDOWN_FILE) == []


def test_what_a_run_asks_for_is_loaded(tmp_path):
    # The same recording sees the modules a run does need: the list above is not passing by accident.
    (tmp_path / "a.md").write_text("# Brief\n\nOur market-leading platform ships next week.\n")
    (tmp_path / "b.md").write_text("# Install\n\nThe agent forwards 20,000 events per second.\n")
    modules = loaded(tmp_path, "check", "--format", "json", "--jobs", "2", "--fail-on", "never", "a.md", "b.md")
    assert {"collateral_guard.reporters.json", "multiprocessing", "hashlib"} <= modules
