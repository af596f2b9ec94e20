"""GitLab Code Quality report: a JSON array of issues."""

from __future__ import annotations

import json

from collateral_guard.reporters.fingerprints import Fingerprints
from collateral_guard.scan import FileResult

SECURITY = {"secret", "nda", "internal-url"}


def severity(finding) -> str:
    if finding.severity == "error":
        return "critical" if finding.category in SECURITY else "major"
    return "minor" if finding.severity == "warning" else "info"


class GitlabReporter:
    def __init__(self, stream):
        self.stream = stream
        self.issues: list[dict] = []
        self.fingerprints = Fingerprints()

    def file_done(self, result: FileResult) -> None:
        for f in result.findings:
            self.issues.append({
                "type": "issue",
                "description": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else ""),
                "check_name": f.rule,
                "categories": ["Security" if f.category in SECURITY else "Style"],
                "fingerprint": self.fingerprints.unique(f),
                "severity": severity(f),
                "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
            })

    def finish(self, summary) -> None:
        json.dump(self.issues, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
