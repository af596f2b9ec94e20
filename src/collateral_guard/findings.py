"""Findings: what rules report, in the shape every reporter reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

SEVERITIES = ("error", "warning", "info")  # most severe first
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info=0 .. error=2
CATEGORIES = (
    "secret", "internal-url", "nda", "placeholder", "internal-marker", "superlative",
    "vague-claim", "commitment", "jargon", "spelling", "readability", "hidden-content", "metadata",
    "competitor",
)


@dataclass(slots=True)
class Finding:
    path: str
    rule: str
    category: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive: the column just after the offending text
    match: str
    context: str
    suggestion: str | None = None
    part: str | None = None
    # For the reports people read, never serialised: the reader's location in words (also in the message),
    # and the heading above the finding.
    location_text: str | None = None
    section: str | None = None
    # A fingerprint of rule, path, matched text and its context, not of the position, so
    # that editing text above a finding does not change it. Hashed: it never holds a secret.
    identity: str = ""
    # Where a person finds it, as data: heading, table, row, cell, comment... as they apply.
    location: dict = field(default_factory=dict)
    # For the text report only, never serialised: the source lines the finding spans (at most
    # three, secrets scrubbed), or where the match sits in ``context`` when there are none (Word).
    source_line: str | None = None
    context_start: int = -1

    def sort_key(self) -> tuple:
        return (self.path, self.part or "", self.line, self.column, self.rule, self.end_line, self.end_column)

    def to_json(self) -> dict:
        # Built field by field, not with asdict's deep copy: a workbook can report thousands of findings.
        data = {name: getattr(self, name) for name in _PUBLIC_FIELDS}
        data["location"] = dict(self.location)
        return data


_PUBLIC_FIELDS = tuple(f.name for f in fields(Finding)
                       if f.name not in ("identity", "source_line", "context_start", "location_text", "section"))


def fingerprint(rule: str, path: str, part: str | None, match: str, context: str) -> str:
    normalised = " ".join(context.split())
    text = "\x1f".join((rule, path, part or "", match, normalised))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def at_or_above(severity: str, threshold: str) -> bool:
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
