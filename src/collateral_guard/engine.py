"""Runs rules over a document and turns their hits into findings.

Secrets are found and masked in the document's text first, for every run, so no
rule reads one and no finding quotes one; reporting them is the secret rule's
job and can be selected like any other. Each rule then reads one TextView: the
document's segments of the scopes it declares. Rules that read the same scopes
share the view.
"""

from __future__ import annotations

from collateral_guard.findings import Finding, fingerprint
from collateral_guard.redact import render
from collateral_guard.rules.base import DocumentFacts
from collateral_guard.rules.evidence import sentence_bounds
from collateral_guard.rules.registry import ActiveRule
from collateral_guard.rules.secrets import mask_secrets
from collateral_guard.segments import INLINE_CODE, PROSE, Document, Segment, TextView

CONTEXT_LIMIT = 300


def check_document(document: Document, rules: list[ActiveRule], facts: DocumentFacts) -> list[Finding]:
    mask_secrets(document.segments)
    views: dict[frozenset[str], TextView] = {}
    findings: list[Finding] = []
    for active in rules:
        scopes = active.rule.info.scopes
        reads_code = INLINE_CODE in scopes
        view = views.get(scopes)
        if view is None:
            view = views[scopes] = TextView([s for s in document.segments if s.scope in scopes])
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
            if not hit.secret and _cuts_into_secret(segment, start, end):
                continue  # a "misspelling" or a name inside a password: reporting it would show a piece
            matched = render(segment.text[start:end])
            context = " ".join(render(_context(segment, start, end)).split())
            info = active.rule.info
            line, column = segment.position(start)
            end_line, last_column = segment.position(max(end - 1, start))
            findings.append(Finding(
                path=document.path,
                rule=info.id,
                category=info.category,
                severity=hit.severity or active.severity,
                message=render(hit.message) + (f" ({segment.location})" if segment.location else ""),
                line=line,
                column=column,
                end_line=end_line,
                end_column=last_column + 1,
                match=matched,
                context=context,
                suggestion=render(hit.suggestion) if hit.suggestion else None,
                part=segment.part,
                identity=fingerprint(info.id, document.path, segment.part, matched, context),
            ))
    return _unique(findings)


def _cuts_into_secret(segment: Segment, start: int, end: int) -> bool:
    """The span overlaps a secret without covering it whole."""
    return any(s < end and start < e and not (start <= s and e <= end) for s, e, _ in segment.secrets)


def _context(segment: Segment, start: int, end: int) -> str:
    """The sentence around a match in prose; the line around it elsewhere (code, URLs, fields)."""
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
    return text[left:right]


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
