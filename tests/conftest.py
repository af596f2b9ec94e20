"""Shared helpers: scan real Markdown text through the real pipeline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from collateral_guard.config import Config, parse_config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
# ../shared beside the checkout; COLLATERAL_GUARD_SHARED points elsewhere (a worktree, a CI cache).
# A child's peak memory, in KiB, as an expression for the scripts memory tests run. VmHWM, not
# ru_maxrss: ru_maxrss survives exec, so a child forked from a large pytest process reports the
# parent's size instead of its own.
PEAK_KIB = ("(int([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]) "
            "if __import__('os').path.exists('/proc/self/status') "
            "else __import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss)")
SHARED = Path(os.environ.get("COLLATERAL_GUARD_SHARED") or ROOT.parent / "shared")


def make_config(data: dict | None = None, folder: Path | None = None) -> Config:
    return parse_config(data or {}, (folder or ROOT) / ".collateral-guard.toml")


def scan_text(text: str, name: str = "doc.md", config: Config | None = None, customer: str | None = None,
              select: tuple[str, ...] = ()):
    """Findings for one document given as text (Markdown) or bytes (DOCX)."""
    config = config or Config()
    scanner = Scanner(config, active_rules(config, select), customer)
    data = text.encode("utf-8") if isinstance(text, str) else text
    return scanner.scan(Target(name, name), data)


def where(findings, rule: str | None = None) -> list[tuple[str, int, int]]:
    """(rule, line, column) of each finding, optionally of one rule only."""
    return [(f.rule, f.line, f.column) for f in findings if rule is None or f.rule == rule]


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the checkout")
    return SHARED


def pytest_configure(config):
    os.environ.setdefault("NO_COLOR", "1")
    # Hermetic configuration: never the developer's own ~/.config file or COLLATERAL_GUARD_CONFIG, and an
    # empty user-level file, so runs without a project configuration do not print the no-configuration note
    # (tests of that note set XDG_CONFIG_HOME to an empty folder).
    os.environ.pop("COLLATERAL_GUARD_CONFIG", None)
    user = Path(tempfile.mkdtemp(prefix="collateral-guard-user-")) / "collateral-guard"
    user.mkdir()
    (user / "config.toml").write_text("# the tests' empty user-level configuration\n", encoding="utf-8")
    os.environ["XDG_CONFIG_HOME"] = str(user.parent)
