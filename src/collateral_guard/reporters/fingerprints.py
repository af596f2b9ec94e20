"""Fingerprints that stay put when lines move, and stay distinct when the same text occurs twice."""

from __future__ import annotations

from collections import Counter

from collateral_guard.findings import Finding


class Fingerprints:
    """Identities include the path, so repeats can only occur within one file: counts reset per file."""

    def __init__(self):
        self.seen: Counter = Counter()

    def next_file(self) -> None:
        self.seen.clear()

    def unique(self, finding: Finding) -> str:
        """The finding's identity, with the occurrence number appended from the second on."""
        self.seen[finding.identity] += 1
        count = self.seen[finding.identity]
        return finding.identity if count == 1 else f"{finding.identity}:{count}"
