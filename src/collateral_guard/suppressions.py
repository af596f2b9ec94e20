"""Inline suppression written as HTML comments in the document.

    <!-- collateral-guard: ignore superlative -->      the next line (or this line,
                                                       when text precedes the comment)
    <!-- collateral-guard: disable jargon, spelling --> from here ...
    <!-- collateral-guard: enable jargon, spelling -->  ... to here (or the end)

Names are rule ids or categories; none means every rule. A directive that
suppressed nothing is reported, so stale ones get cleaned up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collateral_guard.findings import Finding
from collateral_guard.segments import DIRECTIVE as DIRECTIVE_SCOPE
from collateral_guard.segments import Document

DIRECTIVE = re.compile(r"<!--\s*collateral-guard:\s*(ignore|disable|enable)\b([^>]*?)-->", re.S)


@dataclass
class Suppression:
    kind: str  # ignore (one line) or disable (a range)
    names: frozenset[str]  # empty: every rule
    line: int  # where the directive is written
    column: int
    first: int  # lines it covers
    last: int
    used: bool = False

    def covers(self, finding: Finding) -> bool:
        return (self.first <= finding.line <= self.last and finding.part is None
                and (not self.names or finding.rule in self.names or finding.category in self.names))

    def describe(self) -> str:
        what = ", ".join(sorted(self.names)) or "all rules"
        return f"unused suppression '{self.kind} {what}': nothing here matched it; remove it"


@dataclass
class Suppressed:
    findings: list[Finding]
    unused: list[Suppression] = field(default_factory=list)


def parse_suppressions(document: Document) -> list[Suppression]:
    suppressions: list[Suppression] = []
    open_ranges: list[Suppression] = []
    for segment in document.segments:
        if segment.scope != DIRECTIVE_SCOPE:
            continue
        for match in DIRECTIVE.finditer(segment.text):
            kind = match.group(1)
            names = frozenset(n for n in re.split(r"[\s,]+", match.group(2).strip()) if n)
            line, column = segment.position(match.start())
            end_line, _ = segment.position(match.end() - 1)
            if kind == "ignore":
                # A comment inside a paragraph covers its own line; one on a line of its own, the next.
                target = line if segment.label == "inline" else end_line + 1
                suppressions.append(Suppression(kind, names, line, column, target, target))
            elif kind == "disable":
                suppression = Suppression(kind, names, line, column, end_line + 1, 10**9)
                suppressions.append(suppression)
                open_ranges.append(suppression)
            else:
                for suppression in open_ranges:
                    if suppression.last == 10**9 and (not names or suppression.names == names):
                        suppression.last = line
                open_ranges = [s for s in open_ranges if s.last == 10**9]
    return suppressions


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression]) -> Suppressed:
    kept = []
    for finding in findings:
        hit = False
        for suppression in suppressions:
            if suppression.covers(finding):
                suppression.used = True
                hit = True
        if not hit:
            kept.append(finding)
    return Suppressed(kept, [s for s in suppressions if not s.used])
