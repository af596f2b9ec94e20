"""GitLab Code Quality report: a JSON array of issues."""

from __future__ import annotations

from collateral_guard.reporters.fingerprints import Fingerprints
from collateral_guard.reporters.streaming import JsonArray
from collateral_guard.scan import FileResult

SECURITY = {"secret", "nda", "internal-url"}


def severity(finding) -> str:
    if finding.severity == "error":
        return "critical" if finding.category in SECURITY else "major"
    return "minor" if finding.severity == "warning" else "info"


class GitlabReporter:
    def __init__(self, stream):
        self.stream = stream
        self.fingerprints = Fingerprints()
        stream.write("[")
        self.issues = JsonArray(stream, "  ")

    def file_done(self, result: FileResult) -> None:
        self.fingerprints.next_file()
        for f in result.findings:
            self.issues.add({
                "type": "issue",
                "description": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else ""),
                "check_name": f.rule,
                "categories": ["Security" if f.category in SECURITY else "Style"],
                "fingerprint": self.fingerprints.unique(f),
                "severity": severity(f),
                "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
            })

    def finish(self, summary) -> None:
        self.stream.write(self.issues.close() + "\n")
