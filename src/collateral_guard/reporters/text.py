"""Human-readable report: one line per finding, the offending text underlined, a summary."""

from __future__ import annotations

import click

from collateral_guard.findings import SEVERITIES
from collateral_guard.scan import FileResult

COLORS = {"error": "red", "warning": "yellow", "info": "blue", "note": "cyan"}


NAMED_UNCHECKED = 5  # files not checked named in the summary line; the rest are counted


def summary_line(summary) -> str:
    """`1 error, 2 warnings, 0 info in 3 files; 1 could not be checked: bad.docx`"""
    counts = [f"{summary.by_severity.get(s, 0)} {s}{'s' if s != 'info' and summary.by_severity.get(s, 0) != 1 else ''}"
              for s in SEVERITIES]
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    line = f"{', '.join(counts)} in {files}"
    if summary.unreadable:
        named = ", ".join(summary.unchecked[:NAMED_UNCHECKED])
        more = len(summary.unchecked) - NAMED_UNCHECKED
        line += f"; {summary.unreadable} could not be checked: {named}" + (f" and {more} more" if more > 0 else "")
    if summary.stale_baseline_entries:
        line += f"; {summary.stale_baseline_entries} baseline entries no longer match (regenerate the baseline)"
    return line


class TextReporter:
    def __init__(self, stream, color: bool, quiet: bool = False):
        self.stream = stream
        self.color = color
        self.quiet = quiet  # only files that could not be checked, and the summary

    def _style(self, text: str, **style) -> str:
        return click.style(text, **style) if self.color else text

    def file_done(self, result: FileResult) -> None:
        write = self.stream.write
        if result.error:
            write(f"{self._style(result.path, bold=True)}: {self._style('error', fg='red')} "
                  f"cannot scan: {result.error}\n")
        if self.quiet:
            return
        for finding in result.findings:
            where = f"{finding.path}:{finding.line}:{finding.column}"
            severity = self._style(finding.severity, fg=COLORS[finding.severity], bold=True)
            write(f"{self._style(where, bold=True)}: {severity} {finding.rule} {finding.message}\n")
            write(self._excerpt(finding.context, finding.match))
            if finding.suggestion:
                write(f"    suggestion: {self._style(finding.suggestion, fg='green')}\n")
        for unused in result.unused_suppressions:
            where = f"{result.path}:{unused.line}:{unused.column}"
            write(f"{self._style(where, bold=True)}: {self._style('note', fg=COLORS['note'])} {unused.message}\n")

    def _excerpt(self, context: str, match: str) -> str:
        at = context.find(match) if match else -1
        if at < 0:
            return f"    | {context}\n" if context else ""
        underline = " " * at + "^" + "~" * max(len(match) - 1, 0)
        return f"    | {context}\n    | {self._style(underline, fg='red')}\n"

    def finish(self, summary) -> None:
        self.stream.write(summary_line(summary) + "\n")
