"""The JSON report: a stable, versioned contract other tools read (version 1).

Findings are written as files finish, so memory does not grow with them; the
keys of the report object therefore come in the order version, tool,
findings, files, unused_suppressions, summary.
"""

from __future__ import annotations

import json

from collateral_guard import __version__
from collateral_guard.reporters.streaming import JsonArray
from collateral_guard.scan import FileResult

JSON_VERSION = 1


class JsonReporter:
    def __init__(self, stream):
        self.stream = stream
        self.files: list[dict] = []
        self.unused: list[dict] = []
        tool = json.dumps({"name": "collateral-guard", "version": __version__})
        stream.write(f'{{\n  "version": {JSON_VERSION},\n  "tool": {tool},\n  "findings": [')
        self.findings = JsonArray(stream, "    ")

    def file_done(self, result: FileResult) -> None:
        self.files.append({"path": result.path, "status": "error" if result.error else "ok", "error": result.error})
        for finding in result.findings:
            self.findings.add(finding.to_json())
        self.unused.extend({"path": result.path, "line": u.line, "column": u.column, "message": u.message}
                           for u in result.unused_suppressions)

    def finish(self, summary) -> None:
        rest = {
            "files": self.files,
            "unused_suppressions": self.unused,
            "summary": {
                "files": summary.files,
                "findings": summary.findings,
                "by_severity": dict(sorted(summary.by_severity.items())),
                "by_category": dict(sorted(summary.by_category.items())),
            },
        }
        tail = json.dumps(rest, indent=2, ensure_ascii=False)[1:]  # without its opening brace
        self.stream.write(self.findings.close() + "," + tail + "\n")
