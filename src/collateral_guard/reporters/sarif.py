"""SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from collateral_guard import __version__
from collateral_guard.findings import Finding
from collateral_guard.reporters.fingerprints import Fingerprints
from collateral_guard.reporters.streaming import JsonArray
from collateral_guard.scan import FileResult

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub ranks security alerts by this score (0-10); only these categories are security findings.
SECURITY_SEVERITY = {"secret": "9.0", "nda": "8.0", "internal-url": "7.0"}


def artifact_uri(path: str) -> str:
    """Relative to the working directory, forward slashes, percent-encoded."""
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            return Path(path).as_uri()
    return quote(Path(path).as_posix())


class SarifReporter:
    """Results are written as files finish; the run's tool and invocations follow them."""

    def __init__(self, stream, rule_docs):
        self.stream = stream
        self.rules = sorted(rule_docs, key=lambda info: info.id)
        self.index = {info.id: i for i, info in enumerate(self.rules)}
        self.notifications: list[dict] = []
        self.fingerprints = Fingerprints()
        stream.write('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n'
                     '  "runs": [\n    {\n      "results": [')
        self.results = JsonArray(stream, "        ")

    def file_done(self, result: FileResult) -> None:
        if result.error:
            self.notifications.append({
                "level": "error",
                "message": {"text": f"{result.path}: cannot scan: {result.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result.path)}}}],
            })
        self.fingerprints.next_file()
        for finding in result.findings:
            self.results.add(self._result(finding))

    def _result(self, finding: Finding) -> dict:
        region = {"startLine": finding.line, "startColumn": finding.column,
                  "endLine": finding.end_line, "endColumn": finding.end_column}
        result = {
            "ruleId": finding.rule,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message + (f" Suggestion: {finding.suggestion}" if finding.suggestion else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(finding.path)},
                                                "region": region}}],
            "partialFingerprints": {"collateralGuard/v1": self.fingerprints.unique(finding)},
            "properties": {"category": finding.category},
        }
        if finding.rule in self.index:
            result["ruleIndex"] = self.index[finding.rule]
        if finding.part:
            result["properties"]["part"] = finding.part
        return result

    def _rule(self, info) -> dict:
        tags = [info.category] + (["security"] if info.category in SECURITY_SEVERITY else [])
        properties = {"tags": tags, "precision": "high"}
        if info.category in SECURITY_SEVERITY:
            properties["security-severity"] = SECURITY_SEVERITY[info.category]
        examples = "\n".join([f"Flagged: {b}" for b in info.bad] + [f"Not flagged: {g}" for g in info.good])
        return {
            "id": info.id,
            "name": "".join(part.capitalize() for part in info.id.split("-")),
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": info.description},
            "help": {"text": f"{info.description}\n\n{examples}",
                     "markdown": f"{info.description}\n\n" + "\n".join(f"- {line}" for line in examples.splitlines())},
            "defaultConfiguration": {"level": LEVELS[info.severity]},
            "properties": properties,
        }

    def finish(self, summary) -> None:
        rest = {
            "tool": {"driver": {"name": "collateral-guard", "version": __version__,
                                "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/collateral-guard/",
                                "rules": [self._rule(info) for info in self.rules]}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": not self.notifications,
                             "toolExecutionNotifications": self.notifications}],
        }
        tail = json.dumps(rest, indent=2, ensure_ascii=False)[1:].replace("\n", "\n    ")
        self.stream.write(self.results.close() + "," + tail + "\n  ]\n}\n")
