"""Human-readable report: one line per finding, the offending text underlined, a summary."""

from __future__ import annotations

import click

from collateral_guard.findings import SEVERITIES
from collateral_guard.printable import printable
from collateral_guard.scan import FileResult

COLORS = {"error": "red", "warning": "yellow", "info": "blue", "note": "cyan"}


class TextReporter:
    def __init__(self, stream, color: bool):
        self.stream = stream
        self.color = color

    def _style(self, text: str, **style) -> str:
        return click.style(text, **style) if self.color else text

    def file_done(self, result: FileResult) -> None:
        write = self.stream.write
        # Document text and file names may hold escape sequences: shown escaped, never sent to the terminal.
        path = printable(result.path)
        if result.error:
            write(f"{self._style(path, bold=True)}: {self._style('error', fg='red')} "
                  f"cannot scan: {printable(result.error)}\n")
        for finding in result.findings:
            where = f"{path}:{finding.line}:{finding.column}"
            severity = self._style(finding.severity, fg=COLORS[finding.severity], bold=True)
            write(f"{self._style(where, bold=True)}: {severity} {finding.rule} {printable(finding.message)}\n")
            write(self._excerpt(printable(finding.context), printable(finding.match)))
            if finding.suggestion:
                write(f"    suggestion: {self._style(printable(finding.suggestion), fg='green')}\n")
        for unused in result.unused_suppressions:
            where = f"{path}:{unused.line}:{unused.column}"
            write(f"{self._style(where, bold=True)}: {self._style('note', fg=COLORS['note'])} "
                  f"{printable(unused.message)}\n")

    def _excerpt(self, context: str, match: str) -> str:
        at = context.find(match) if match else -1
        if at < 0:
            return f"    | {context}\n" if context else ""
        underline = " " * at + "^" + "~" * max(len(match) - 1, 0)
        return f"    | {context}\n    | {self._style(underline, fg='red')}\n"

    def finish(self, summary) -> None:
        counts = [f"{summary.by_severity.get(s, 0)} {s}{'s' if s != 'info' and summary.by_severity.get(s, 0) != 1 else ''}"
                  for s in SEVERITIES]
        files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
        line = f"{', '.join(counts)} in {files}"
        if summary.unreadable:
            line += f"; {summary.unreadable} could not be scanned"
        if summary.stale_baseline_entries:
            line += f"; {summary.stale_baseline_entries} baseline entries no longer match (regenerate the baseline)"
        self.stream.write(line + "\n")
