"""Inline suppression written as HTML comments in the document.

    <!-- collateral-guard: ignore superlative -->      the next line (or this line,
                                                       when text precedes the comment)
    <!-- collateral-guard: disable jargon, spelling --> from here ...
    <!-- collateral-guard: enable jargon, spelling -->  ... to here (or the end)

In a Word document, a comment whose text starts with
``collateral-guard: ignore unsourced-superlative`` suppresses those rules on the
text the comment is anchored on; a reason may follow after " - " or a colon.

Names are rule ids or categories; none means every rule. A directive that
suppressed nothing is reported, so stale ones get cleaned up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collateral_guard.findings import Finding
from collateral_guard.lazy_re import LazyPattern
from collateral_guard.segments import DIRECTIVE as DIRECTIVE_SCOPE
from collateral_guard.segments import Document

DIRECTIVE = LazyPattern(r"<!--\s*collateral-guard:\s*(ignore|disable|enable)\b([^>]*?)-->", re.S)
WORD_DIRECTIVE = LazyPattern(r"\s*collateral-guard:\s*ignore\b([^\n]*)", re.I)
WORD_REASON = LazyPattern(r"\s[-–—]\s|[:;(]")
# Texts read at the positions of the body they sit in: a Word comment's range covers them too.
DERIVED_PARTS = frozenset({"tracked-insertion", "tracked-deletion", "hidden-text", "field-code", "hyperlink-target",
                           "alt-text"})


@dataclass
class Suppression:
    kind: str  # ignore (one line) or disable (a range)
    names: frozenset[str]  # empty: every rule
    line: int  # where the directive is written
    column: int
    first: int  # lines it covers
    last: int
    used: bool = False
    # A Word comment's range instead of lines: (part, (line, column), (end line, end column)), its number.
    span: tuple | None = None
    comment: int | None = None

    def covers(self, finding: Finding) -> bool:
        if self.names and finding.rule not in self.names and finding.category not in self.names:
            return False
        if self.span is None:
            return self.first <= finding.line <= self.last and finding.part is None
        part, start, end = self.span
        if finding.part != part and finding.part not in DERIVED_PARTS:
            return False
        found, found_end = (finding.line, finding.column), (finding.end_line, finding.end_column)
        if start == end:  # a comment on a point: the finding around it
            return found <= start <= found_end
        return found < end and start < found_end

    def describe(self) -> str:
        what = ", ".join(sorted(self.names)) or "all rules"
        where = f" (Word comment {self.comment})" if self.comment else ""
        return f"unused suppression '{self.kind} {what}'{where}: nothing here matched it; remove it"


@dataclass
class Suppressed:
    findings: list[Finding]
    unused: list[Suppression] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)  # the findings suppressed


def parse_suppressions(document: Document) -> list[Suppression]:
    suppressions: list[Suppression] = []
    open_ranges: list[Suppression] = []
    for segment in document.segments:
        if segment.scope != DIRECTIVE_SCOPE:
            continue
        if segment.label == "word-comment":
            suppressions.extend(_word_comment(segment))
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


def _word_comment(segment) -> list[Suppression]:
    match = WORD_DIRECTIVE.match(segment.text)
    if not match:
        return []
    names = frozenset(n for n in re.split(r"[\s,]+", WORD_REASON.split(match.group(1), 1)[0].strip()) if n)
    part, line, column, end_line, end_column = segment.place["range"]
    return [Suppression("ignore", names, line, column, line, end_line,
                        span=(part, (line, column), (end_line, end_column)), comment=segment.place["comment"])]


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression]) -> Suppressed:
    kept, accepted = [], []
    for finding in findings:
        hit = False
        for suppression in suppressions:
            if suppression.covers(finding):
                suppression.used = True
                hit = True
        (accepted if hit else kept).append(finding)
    return Suppressed(kept, [s for s in suppressions if not s.used], accepted)
