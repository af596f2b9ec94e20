"""Answers left unwritten: a "Pending answers" or "To do" heading with nothing under it, and an answer
that says only "Coming soon" ("**Short answer**: Coming soon", a section whose whole text is "Coming soon.")."""

from __future__ import annotations

import bisect
import re
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.regex import LazyRE2
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


MISSING_INFO = RuleInfo(
    id="missing-answer",
    category="placeholder",
    severity="error",
    summary="An answer that says only \"Coming soon\" or \"XX\": the answer is missing.",
    description=(
        "\"Coming soon\" written as the whole answer of a question or the whole text of a section "
        "(\"**Short answer**: Coming soon\", \"**Context video**: Coming soon\", a heading or a question "
        "followed by \"Coming soon.\" and nothing else, the answer cell of a question in a table or "
        "questionnaire) is a placeholder left in the document, not a roadmap date: the "
        "reader gets no answer. So is \"XX\" as the whole of an answer or a table cell (a number never "
        "filled in). Write the answer or remove the entry. The roadmap-promise rule skips these, "
        "and still reports \"coming soon\" said of a feature (\"SSO: coming soon\", \"Audit logs (coming soon)\")."
    ),
    bad=("### Does it run on ARM?\n\n- **Short answer**: Coming soon\n",
         "## Mobile app\n\nComing soon.\n",
         "| Question | Answer |\n|---|---|\n| How many regions do you run? | XX |\n"),
    good=("### Does it run on ARM?\n\n- **Short answer**: Yes, on Graviton and Ampere hosts.\n",
          "- Single sign-on: coming soon\n"),
    scopes=frozenset({HEADING, PARAGRAPH, LIST_ITEM, BLOCKQUOTE, TABLE_CELL}),  # headings: to see what an answer follows
)
ANSWER_SCOPES = frozenset({PARAGRAPH, LIST_ITEM, BLOCKQUOTE, TABLE_CELL})
_STAND_IN = r"(coming soon|to follow|to come|more to come|xx\b)[.!…]*\W*$"
# the label of a part of an answer, not the name of a feature ("SSO: coming soon" is a roadmap item)
LABELLED_STAND_IN = re.compile(
    r"(?i)^\W*(?:(?:short|long|full|detailed|our) )?(?:answers?|responses?|reply|a|details?|description|"
    r"(?:[\w-]+ )?videos?|demo|documentation|docs|examples?|screenshots?|summary|overview|notes?|"
    r"more (?:info(?:rmation)?|details)|learn more|content|text)\s*[:\-–—]\s*" + _STAND_IN)
_ANY_STAND_IN = re.compile(r"(?i)coming soon|to follow|to come|\bxx\b")
# The same look with RE2 in an ASCII text, where its case folding is Python's: a workbook's text is
# 10 MB, and Python's engine tries the pattern at every character of it.
_ANY_STAND_IN_ASCII = LazyRE2(_ANY_STAND_IN.pattern)
# "XX" as the whole of an answer or a cell is a number or a word never filled in, whatever asked for it
BLANK = re.compile(r"^\W*\b(XX|xx)\b\W*$")
BARE_STAND_IN = re.compile(r"(?i)^\W*" + _STAND_IN)
# the question and its stand-in in one paragraph: "**Q8. Do you support SCIM?**\nComing soon."
ASKED_THEN_STAND_IN = re.compile(r"(?i)\?[*_\"'”’]*\s+" + _STAND_IN)


def stand_in_answer(view: TextView, index: int) -> tuple[int, int] | None:
    """Where "Coming soon" stands in for the whole answer in segment ``index`` of ``view`` (offsets in the
    segment's text), or None: after a label naming a part of an answer, or alone in a section's first
    paragraph or an answer to a question."""
    segment = view.segments[index]
    if segment.scope not in ANSWER_SCOPES:
        return None
    match = BLANK.match(segment.text) or LABELLED_STAND_IN.match(segment.text)
    if match is None:
        match = BARE_STAND_IN.match(segment.text)
        previous = view.segments[index - 1] if index else None
        # a cell answers the cell before it in its row only when that one asks ("| Offline mode | Coming
        # soon |" is a status, "| Do you support SCIM? | Coming soon |" a missing answer)
        follows = previous is not None and (previous.text.rstrip(" *_\"'”’").endswith("?") or (
            previous.scope == HEADING and segment.scope != TABLE_CELL))
        if match is None or not follows:
            match = ASKED_THEN_STAND_IN.search(segment.text) if segment.scope != TABLE_CELL else None
            if match is None:
                return None
    return match.start(1), match.end(1)


def stands_in_at(view: TextView, start: int) -> bool:
    """Whether view.text[start] is the start of a "Coming soon" standing in for an answer."""
    index = bisect.bisect_right(view.starts, start) - 1
    span = stand_in_answer(view, index) if index >= 0 else None
    return span is not None and view.starts[index] + span[0] == start


class MissingAnswerRule:
    info = MISSING_INFO

    def __init__(self, config: Config, options: dict):
        pass

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        if not (_ANY_STAND_IN_ASCII if view.text.isascii() else _ANY_STAND_IN).search(view.text):
            return
        for index, base in enumerate(view.starts):
            span = stand_in_answer(view, index)
            if span is not None:
                text = view.segments[index].text[span[0]:span[1]]
                yield Hit(base + span[0], base + span[1],
                          f"Answer missing: '{text}' stands in for the answer; write it or remove the entry.")
