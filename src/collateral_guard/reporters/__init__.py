"""Reporters write findings in one output format. They know nothing of readers or rules.

Each receives file results as the scan produces them (``file_done``), then the
run's summary (``finish``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from collateral_guard.scan import FileResult


@dataclass
class Summary:
    files: int = 0
    unreadable: int = 0
    config_errors: int = 0
    by_severity: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    stale_baseline_entries: int = 0
    unchecked: list[str] = field(default_factory=list)  # files that could not be checked
    fail_on: str = "error"  # the gate's threshold, and whether the run failed it
    failed: bool = False
    not_checked: Counter = field(default_factory=Counter)  # suffix -> documents a folder scan could not read

    def not_checked_line(self) -> str | None:
        """"7 files not checked: 3 .pdf, 2 .key, 2 .xls", or None."""
        total = sum(self.not_checked.values())
        if not total:
            return None
        by_count = sorted(self.not_checked.items(), key=lambda item: (-item[1], item[0]))
        counts = ", ".join(f"{n} {suffix}" for suffix, n in by_count)
        return f"{total} file{'s' if total != 1 else ''} not checked: {counts} (formats collateral-guard cannot read)"

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.unreadable += result.error is not None
        if result.error is not None:
            self.unchecked.append(result.path)
        self.config_errors += result.config_error is not None
        for finding in result.findings:
            self.by_severity[finding.severity] += 1
            self.by_category[finding.category] += 1


FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "html")


def make_reporter(name: str, stream, rule_docs, color: bool):
    if name == "text":
        from collateral_guard.reporters.text import TextReporter

        return TextReporter(stream, color)
    if name == "json":
        from collateral_guard.reporters.json import JsonReporter

        return JsonReporter(stream)
    if name == "sarif":
        from collateral_guard.reporters.sarif import SarifReporter

        return SarifReporter(stream, rule_docs)
    if name == "github":
        from collateral_guard.reporters.github import GithubReporter

        return GithubReporter(stream)
    if name == "junit":
        from collateral_guard.reporters.junit import JunitReporter

        return JunitReporter(stream)
    if name == "html":
        from collateral_guard.reporters.html import HtmlReporter

        return HtmlReporter(stream, rule_docs)
    from collateral_guard.reporters.gitlab import GitlabReporter

    return GitlabReporter(stream)
