"""Answer sections left empty: a "Pending answers" or "To do" heading with nothing under it."""

from __future__ import annotations

import re
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import BLOCKQUOTE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TextView

INFO = RuleInfo(
    id="empty-answer-section",
    category="placeholder",
    severity="error",
    summary="A heading such as \"Pending answers\" or \"To do\" with nothing under it.",
    description=(
        "A section kept for answers still to be written (\"Pending answers\", \"Open questions\", "
        "\"To do\", \"Answer\", \"Our response\") that is followed directly by the next heading or the "
        "end of the document tells the customer the document is unfinished. Write the section or "
        "remove the heading. A heading with any text under it is not flagged."
    ),
    bad=("## Pending answers\n\n## Pricing\n\nPricing is per seat.",
         "## Security questionnaire\n\n### Our response\n"),
    good=("## Pending answers\n\nNone: every question in the RFP is answered.",
          "## Pricing\n\n## Annual plans\n\nAnnual plans are billed yearly."),
    scopes=frozenset({HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE}),
)
WAITING = re.compile(
    r"(?i)^\W*(?:pending answers?|answers? pending|open (?:questions|items)|to ?do|to be (?:written|answered)|"
    r"(?:our )?(?:answer|response)s?|responses? pending|outstanding (?:questions|items))\W*$")


class EmptySectionRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        pass

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        segments = view.segments
        for index, (segment, base) in enumerate(zip(segments, view.starts, strict=True)):
            if segment.scope != HEADING or not WAITING.match(segment.text):
                continue
            following = segments[index + 1] if index + 1 < len(segments) else None
            if following is None or following.scope == HEADING:
                text = segment.text.strip()
                start = base + segment.text.index(text)
                yield Hit(start, start + len(text), f"Section '{text}' is empty: write it or remove the heading.")
