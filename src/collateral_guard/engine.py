"""Runs rules over a document and turns their hits into findings.

Secrets are found and masked in the document's text first, for every run, so no
rule reads one and no finding quotes one, whole or in part; reporting them is the
secret rule's job and can be selected like any other. Each rule then reads one
TextView: the document's segments of the scopes it declares. Rules that read the
same scopes share the view.
"""

from __future__ import annotations

import bisect

from collateral_guard.findings import Finding, fingerprint
from collateral_guard.redact import MASK_CHAR, render, scrub, shown
from collateral_guard.rules.base import DocumentFacts
from collateral_guard.rules.evidence import sentence_bounds
from collateral_guard.rules.registry import ActiveRule
from collateral_guard.rules.secrets import mask_secrets
from collateral_guard.segments import HEADING, INLINE_CODE, PROSE, Document, Segment, TextView

CONTEXT_LIMIT = 300


def check_document(document: Document, rules: list[ActiveRule], facts: DocumentFacts) -> list[Finding]:
    # The masking view is the view of the rules that read every scope present (they run first) if
    # nothing was masked: a workbook's text is joined once less.
    whole: TextView | None = TextView(document.segments)
    raw_secrets = mask_secrets(document.segments, whole)
    if raw_secrets:
        whole = None
    scrubbed: dict[str, str] = {}

    def derived(text: str | None) -> str | None:
        """A text a reader derived from the document (a heading named in a location), masked by
        value; once per distinct text, so the cost does not grow with findings x secrets."""
        if not text or not raw_secrets:
            return text
        if text not in scrubbed:
            scrubbed[text] = scrub(text, raw_secrets)
        return scrubbed[text]

    source_lines = _masked_source_lines(document)
    findings: list[Finding] = []
    view_scopes, view = None, None
    full = None  # the view of every segment, kept while later views are small or can be cut from it
    # Rules that read the same scopes of this document run one after another, so that only one
    # view (a copy of the document's text) is alive at a time: a large workbook's text is 10 MB
    # and more. Scopes the document does not use do not count: a workbook's cells make one view.
    present = frozenset(s.scope for s in document.segments)
    for active, scopes in _by_view(rules, present):
        reads_code = INLINE_CODE in active.rule.info.scopes
        if scopes != view_scopes:
            view_scopes, view = scopes, None
            if scopes == present:
                view = full = whole or TextView(document.segments)
                whole = None
            else:
                whole = whole if not scopes else None  # dropped before another text is joined
                selected = [s for s in document.segments if s.scope in scopes]
                if full is not None and selected and document.segments[len(selected) - 1] is selected[-1]:
                    view, full = full.first(len(selected)), None  # the document's first segments: cut, not joined
                elif full is not None and sum(len(s.text) for s in selected) * 8 > len(full.text):
                    full = None  # a large text is joined without the whole one alive
                view = view or TextView(selected)
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
            context, context_start = _shown_context(*_context(segment, start, end))
            info = active.rule.info
            line, column = segment.position(start)
            end_line, last_column = segment.position(max(end - 1, start))
            finding = Finding(
                path=document.path,
                rule=info.id,
                category=info.category,
                severity=hit.severity or active.severity,
                message=render(hit.message) + (f" ({derived(segment.location)})" if segment.location else ""),
                line=line,
                column=column,
                end_line=end_line,
                end_column=last_column + 1,
                match=matched,
                context=context,
                suggestion=render(hit.suggestion) if hit.suggestion else None,
                part=segment.part,
                location_text=derived(segment.location),
                identity=fingerprint(info.id, document.path, segment.part, matched, context),
                location={k: derived(v) if isinstance(v, str) else v for k, v in (segment.place or {}).items()},
                context_start=context_start,
            )
            if source_lines and segment.part is None and 0 < line <= len(source_lines):
                finding.source_line = render("\n".join(source_lines[line - 1:min(end_line, line + 2)]))
            findings.append(finding)
    section_of = _sections(document)
    for finding in findings:
        finding.section = section_of(finding)
    supersedes = {a.rule.info.id: a.rule.info.supersedes for a in rules if a.rule.info.supersedes}
    return _without_superseded(_unique(findings), supersedes)


_ORDERS: dict[tuple[int, frozenset], tuple[list, list]] = {}  # (rules, scopes present) -> (rules, in view order)


def _by_view(rules: list[ActiveRule], present: frozenset[str]) -> list[tuple[ActiveRule, frozenset[str]]]:
    """(rule, the scopes it reads here), rules that read the same scopes together; worked out once per run
    for each set of scopes present (the entry holds ``rules``, so its id is not reused while cached)."""
    key = (id(rules), present)
    found = _ORDERS.get(key)
    if found is None or found[0] is not rules or len(found[1]) != len(rules):
        if len(_ORDERS) > 256:
            _ORDERS.clear()
        # Those that read every scope present first: they read the masking view.
        ordered = sorted(rules, key=lambda a: (a.rule.info.scopes & present != present,
                                               sorted(a.rule.info.scopes & present)))
        found = _ORDERS[key] = (rules, [(a, a.rule.info.scopes & present) for a in ordered])
    return found[1]


def _cuts_into_secret(segment: Segment, start: int, end: int) -> bool:
    """The span overlaps a secret without covering it whole."""
    return any(s < end and start < e and not (start <= s and e <= end) for s, e, _ in segment.secrets)


def _masked_source_lines(document: Document) -> list[str] | None:
    """The file's lines for excerpts, with every secret masked by its position, as in the segments."""
    if not document.source_lines:
        return document.source_lines
    lines = list(document.source_lines)
    for segment in document.segments:
        if segment.part is not None:
            continue
        for start, end, message in segment.secrets:
            keep = shown(end - start) if message is not None else 0
            first_line, first_column = segment.position(start + keep)
            last_line, last_column = segment.position(end - 1)
            for number in range(first_line, min(last_line, len(lines)) + 1):
                text = lines[number - 1]
                left = first_column - 1 if number == first_line else len(text) - len(text.lstrip())
                right = last_column if number == last_line else len(text)
                if left < right:
                    lines[number - 1] = text[:left] + MASK_CHAR * (min(right, len(text)) - left) + text[right:]
    return lines


def _shown_context(context: str, start: int) -> tuple[str, int]:
    """The context as reports show it, masks rendered and whitespace folded, and where the match starts in it."""
    if start >= 0:
        before = render(context[:start])
        folded = " ".join(before.split())
        start = len(folded) + (1 if folded and before[-1:].isspace() else 0)
    return " ".join(render(context).split()), start


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
            texts.append(" ".join(render(segment.text).split()))

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
