"""The JSON report: a stable, versioned contract other tools read (version 1)."""

from __future__ import annotations

import json

from collateral_guard import __version__
from collateral_guard.scan import FileResult

JSON_VERSION = 1


class JsonReporter:
    def __init__(self, stream):
        self.stream = stream
        self.files: list[dict] = []
        self.findings: list[dict] = []
        self.unused: list[dict] = []

    def file_done(self, result: FileResult) -> None:
        self.files.append({"path": result.path, "status": "error" if result.error else "ok",
                           "error": result.error})
        self.findings.extend(f.to_json() for f in result.findings)
        self.unused.extend({"path": result.path, "line": u.line, "column": u.column, "message": u.message}
                           for u in result.unused_suppressions)

    def finish(self, summary) -> None:
        report = {
            "version": JSON_VERSION,
            "tool": {"name": "collateral-guard", "version": __version__},
            "files": self.files,
            "findings": self.findings,
            "unused_suppressions": self.unused,
            "summary": {
                "files": summary.files,
                "findings": summary.findings,
                "by_severity": dict(sorted(summary.by_severity.items())),
                "by_category": dict(sorted(summary.by_category.items())),
            },
        }
        json.dump(report, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
