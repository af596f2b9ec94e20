"""Runs rules over a document and turns their hits into findings.

Each rule reads one TextView: the document's segments of the scopes it declares.
Rules that read the same scopes share the view.
"""

from __future__ import annotations

import bisect

from collateral_guard.findings import Finding, fingerprint
from collateral_guard.redact import mask, scrub
from collateral_guard.rules.base import DocumentFacts
from collateral_guard.rules.evidence import sentence_bounds
from collateral_guard.rules.registry import ActiveRule
from collateral_guard.segments import HEADING, INLINE_CODE, PROSE, Document, Segment, TextView

CONTEXT_LIMIT = 300


def check_document(document: Document, rules: list[ActiveRule], facts: DocumentFacts) -> list[Finding]:
    findings: list[Finding] = []
    secrets: set[str] = set()
    view_scopes, view = None, None
    # Rules that read the same scopes run one after another, so that only one view (a copy
    # of the document's text) is alive at a time: a large workbook's text is 10 MB and more.
    for active in sorted(rules, key=lambda a: sorted(a.rule.info.scopes)):
        scopes = active.rule.info.scopes
        reads_code = INLINE_CODE in scopes
        if scopes != view_scopes:
            view_scopes, view = scopes, None
            view = TextView([s for s in document.segments if s.scope in scopes])
        if not view.segments:
            continue
        for hit in active.rule.check(view, facts):
            located = view.segment_at(hit.start, hit.end)
            if located is None:
                continue
            segment, base = located
            start, end = hit.start - base, hit.end - base
            if not reads_code and any(s < end and start < e for s, e in segment.code_spans):
                continue
            matched = segment.text[start:end]
            context, context_start = _context(segment, start, end)
            info = active.rule.info
            line, column = segment.position(start)
            end_line, last_column = segment.position(max(end - 1, start))
            finding = Finding(
                path=document.path,
                rule=info.id,
                category=info.category,
                severity=hit.severity or active.severity,
                message=hit.message + (f" ({segment.location})" if segment.location else ""),
                line=line,
                column=column,
                end_line=end_line,
                end_column=last_column + 1,
                match=matched,
                context=context,
                suggestion=hit.suggestion,
                part=segment.part,
                location_text=segment.location,
                identity=fingerprint(info.id, document.path, segment.part, matched, context),
                location=dict(segment.place) if segment.place else {},
                context_start=context_start,
            )
            if document.source_lines and segment.part is None and 0 < line <= len(document.source_lines):
                finding.source_line = "\n".join(document.source_lines[line - 1:min(end_line, line + 2)])
            if hit.secret:
                secrets.add(matched)
                finding.match = mask(matched)
            findings.append(finding)
    section_of = _sections(document)
    for finding in findings:
        finding.section = section_of(finding)
        if secrets:  # no finding of any rule may carry a secret in full
            finding.message = scrub(finding.message, secrets)
            finding.context = scrub(finding.context, secrets)
            finding.match = scrub(finding.match, secrets)
            if finding.suggestion:
                finding.suggestion = scrub(finding.suggestion, secrets)
            finding.location = {k: scrub(v, secrets) if isinstance(v, str) else v for k, v in finding.location.items()}
            finding.location_text = finding.location_text and scrub(finding.location_text, secrets)
            finding.section = finding.section and scrub(finding.section, secrets)
            if finding.source_line:
                finding.source_line = scrub(finding.source_line, secrets)
        # Folded after scrubbing, so that a secret spanning lines is still found whole.
        if finding.context_start >= 0:  # where the match starts once the context is folded
            before = finding.context[:finding.context_start]
            folded = " ".join(before.split())
            finding.context_start = len(folded) + (1 if folded and before[-1:].isspace() else 0)
        finding.context = " ".join(finding.context.split())
    supersedes = {a.rule.info.id: a.rule.info.supersedes for a in rules if a.rule.info.supersedes}
    return _without_superseded(_unique(findings), supersedes)


def _context(segment: Segment, start: int, end: int) -> tuple[str, int]:
    """The sentence around a match in prose, the line around it elsewhere (code, URLs, fields),
    and where the match starts in it."""
    text = segment.text
    if segment.scope in PROSE:
        left, right = sentence_bounds(text, start, end)
    else:
        left = text.rfind("\n", 0, start) + 1
        right = text.find("\n", end)
        right = len(text) if right < 0 else right
    if right - left > CONTEXT_LIMIT:
        left = max(left, start - CONTEXT_LIMIT // 2)
        right = min(right, max(end, left) + CONTEXT_LIMIT // 2)
    return text[left:right], (start - left if left <= start < right else -1)


def _without_superseded(findings: list[Finding], supersedes: dict[str, frozenset[str]]) -> list[Finding]:
    """Drop a finding whose words overlap a finding of a rule that supersedes its category."""
    claims = [f for f in findings if f.rule in supersedes]
    if not claims:
        return findings

    def superseded(finding: Finding) -> bool:
        return any(finding.category in supersedes[claim.rule] and claim.part == finding.part
                   and (finding.line, finding.column) < (claim.end_line, claim.end_column)
                   and (claim.line, claim.column) < (finding.end_line, finding.end_column)
                   for claim in claims)

    return [f for f in findings if not superseded(f)]


def _sections(document: Document):
    """The nearest heading above a finding, in the same part of the document (None before the first)."""
    headings: dict[str | None, tuple[list[int], list[str]]] = {}
    for segment in document.segments:
        if segment.scope == HEADING and segment.text.strip():
            lines, texts = headings.setdefault(segment.part, ([], []))
            lines.append(segment.position(0)[0])
            texts.append(" ".join(segment.text.split()))

    def section_of(finding: Finding) -> str | None:
        lines, texts = headings.get(finding.part, ((), ()))
        at = bisect.bisect_right(lines, finding.line) - 1
        return texts[at] if at >= 0 else None

    return section_of


def _unique(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and span: a URL autolink is both prose and link target."""
    seen: set[tuple] = set()
    unique = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = (finding.rule, finding.part, finding.line, finding.column, finding.end_line, finding.end_column)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
