"""A baseline of accepted findings, so a gate fails only on new ones.

An entry is a finding's fingerprint: a hash of its rule, path, part, matched text
and sentence, not of its line, so editing text above a finding does not bring
it back. The matched text is stored only as the report shows it (secrets
masked), to make the file reviewable in a pull request.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from collateral_guard import __version__
from collateral_guard.errors import FatalError
from collateral_guard.scan import FileResult

BASELINE_VERSION = 1


def entry(finding) -> dict:
    return {"path": finding.path, "rule": finding.rule, "match": finding.match, "fingerprint": finding.identity}


def write_baseline(results: list[FileResult], path: Path) -> int:
    entries = sorted((entry(f) for r in results for f in r.findings),
                     key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["match"]))
    document = {"version": BASELINE_VERSION, "tool": {"name": "collateral-guard", "version": __version__},
                "entries": entries}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return len(entries)


@dataclass
class Baseline:
    remaining: Counter  # (path, fingerprint) -> how many accepted findings are left to match
    entries: dict  # (path, fingerprint) -> the entry, for reporting stale ones

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise FatalError(f"{path}: cannot read baseline: {error.strerror}") from None
        except json.JSONDecodeError as error:
            raise FatalError(f"{path}: baseline is not valid JSON: {error.msg} (line {error.lineno})") from None
        if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION \
                or not isinstance(document.get("entries"), list):
            raise FatalError(f"{path}: not a collateral-guard baseline (version {BASELINE_VERSION})")
        remaining: Counter = Counter()
        entries = {}
        for item in document["entries"]:
            if not isinstance(item, dict) or not {"path", "fingerprint"} <= set(item):
                raise FatalError(f"{path}: baseline entry without path and fingerprint: {item!r}")
            key = (item["path"], item["fingerprint"])
            remaining[key] += 1
            entries[key] = item
        return cls(remaining, entries)

    def filter(self, result: FileResult) -> FileResult:
        """The result without the findings the baseline accepts."""
        kept = []
        for finding in result.findings:
            key = (finding.path, finding.identity)
            if self.remaining[key] > 0:
                self.remaining[key] -= 1
            else:
                kept.append(finding)
        return replace(result, findings=kept)

    def stale(self, scanned: set[str]) -> list[dict]:
        """Entries for files that were scanned and that no finding matched any more."""
        return [self.entries[key] for key, left in sorted(self.remaining.items())
                for _ in range(left) if key[0] in scanned]
