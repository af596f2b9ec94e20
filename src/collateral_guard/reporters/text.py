"""Human-readable report: one line per finding, the offending text underlined, a summary."""

from __future__ import annotations

import unicodedata

import click

from collateral_guard.findings import SEVERITIES
from collateral_guard.scan import FileResult

COLORS = {"error": "red", "warning": "yellow", "info": "blue", "note": "cyan"}
WIDTH = 120  # characters of a long source line shown around a match


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


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
    if summary.config_errors:
        line += f"; {summary.config_errors} with a configuration error"
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
        if result.config_error:
            write(f"{self._style(result.path, bold=True)}: {self._style('error', fg='red')} "
                  f"configuration: {result.config_error}\n")
        for note in result.notes:  # parts of the file left unread: a partial check is worth saying even when quiet
            write(f"{self._style(result.path, bold=True)}: {self._style('note', fg=COLORS['note'])} {note}\n")
        if self.quiet:
            return
        for finding in result.findings:
            where = f"{finding.path}:{finding.line}:{finding.column}"
            severity = self._style(finding.severity, fg=COLORS[finding.severity], bold=True)
            message = " ".join(finding.message.split())  # one line, even when the match spans a break
            write(f"{self._style(where, bold=True)}: {severity} {finding.rule} {message}\n")
            write(self._excerpt(finding))
            if finding.suggestion:
                write(f"    suggestion: {self._style(finding.suggestion, fg='green')}\n")
        for unused in result.unused_suppressions:
            where = f"{result.path}:{unused.line}:{unused.column}"
            write(f"{self._style(where, bold=True)}: {self._style('note', fg=COLORS['note'])} {unused.message}\n")

    def _excerpt(self, finding) -> str:
        """The source lines with a line-number gutter and the match underlined where it is, as ruff shows
        it; without source lines (Word), the sentence around the match."""
        if finding.source_line is None:
            context = finding.context
            start = finding.context_start
            if start < 0 or not context.startswith(finding.match, start):
                start = context.find(finding.match) if finding.match else -1
            if start < 0:
                return f"    | {context}\n" if context else ""
            return self._underlined("    ", "   ", context, start, start + len(finding.match))
        lines = finding.source_line.split("\n")
        width = len(str(finding.line + len(lines) - 1))
        out = [" " * width + " |\n"]
        for k, line in enumerate(lines):
            start = finding.column - 1 if k == 0 else len(line) - len(line.lstrip())
            end = finding.end_column - 1 if finding.line + k == finding.end_line else len(line)
            if k == 0 and finding.match and line.startswith(finding.match, start):
                end = start + len(finding.match)  # a masked secret is shorter than the columns it spans
            out.append(self._underlined(f"{finding.line + k:>{width}} ", " " * width, line, start, end))
        return "".join(out)

    def _underlined(self, gutter: str, blank: str, line: str, start: int, end: int) -> str:
        line = line.replace("\t", " ")
        end = max(min(end, len(line)), start + 1)
        if len(line) > WIDTH:  # one-line HTML, minified data: a window around the match
            left = max(0, min(start - WIDTH // 3, len(line) - WIDTH))
            right = min(len(line), max(left + WIDTH, end))
            shift = left - (1 if left else 0)
            line = ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")
            start, end = start - shift, end - shift
        underline = " " * display_width(line[:start]) + "^" + "~" * max(display_width(line[start:end]) - 1, 0)
        return f"{self._style(gutter, bold=True)}| {line}\n{blank} | {self._style(underline, fg='red')}\n"

    def finish(self, summary) -> None:
        self.stream.write(summary_line(summary) + "\n")
        if summary.not_checked_line():
            self.stream.write(summary.not_checked_line() + "\n")
