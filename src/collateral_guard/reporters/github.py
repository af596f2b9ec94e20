"""GitHub Actions workflow commands: annotations on the pull request's files."""

from __future__ import annotations

from collateral_guard.scan import FileResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def __init__(self, stream):
        self.stream = stream

    def file_done(self, result: FileResult) -> None:
        if result.error:
            self.stream.write(f"::error file={escape_property(result.path)},title=cannot scan::"
                              f"{escape_data(result.error)}\n")
        for f in result.findings:
            properties = ",".join([
                f"file={escape_property(f.path)}", f"line={f.line}", f"col={f.column}",
                f"endLine={f.end_line}", f"endColumn={f.end_column}",
                f"title={escape_property(f'{f.rule} ({f.category})')}",
            ])
            message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            self.stream.write(f"::{COMMANDS[f.severity]} {properties}::{escape_data(message)}\n")

    def finish(self, summary) -> None:
        pass
