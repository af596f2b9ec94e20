"""Findings: what rules report, in the shape every reporter reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
        data = asdict(self)
        for private in ("identity", "source_line", "context_start", "location_text", "section"):
            del data[private]
        return data


def fingerprint(rule: str, path: str, part: str | None, match: str, context: str) -> str:
    normalised = " ".join(context.split())
    text = "\x1f".join((rule, path, part or "", match, normalised))
    import hashlib  # here: a clean file (a pre-commit run) needs no fingerprint, and OpenSSL costs start-up

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def at_or_above(severity: str, threshold: str) -> bool:
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
