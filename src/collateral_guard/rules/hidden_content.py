"""Text a recipient receives without seeing it: comments, tracked changes, hidden text, speaker notes."""

from __future__ import annotations

from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import (
    COMMENT,
    HIDDEN_TEXT,
    SPEAKER_NOTES,
    TRACKED_DELETION,
    TRACKED_INSERTION,
    TextView,
)

INFO = RuleInfo(
    id="hidden-content",
    category="hidden-content",
    severity="error",
    summary="Comment, tracked change or hidden content still in a document, deck or workbook.",
    description=(
        "Anyone who opens the file can read reviewer comments, every tracked insertion and "
        "deletion (including text that was deleted, such as a previous customer's name) and text "
        "formatted as hidden. In decks: hidden slides, shapes marked hidden or parked outside the "
        "slide, and slide comments; in workbooks: notes and comments, hidden and very hidden "
        "sheets, and hidden rows and columns that hold text. Each one is reported with its text "
        "(once per shape or cell). Accept or reject all changes, delete the comments and hidden "
        "content, and run Inspect Document (Word, PowerPoint, Excel) before sending, or write a Word "
        "copy with all of them removed and the changes accepted with `collateral-guard clean FILE "
        "--output COPY`. A comment whose text starts with `collateral-guard: ignore <rule>` is a "
        "suppression, not reviewer content."
    ),
    bad=("Our answer covers SSO.[comment by Jane Doe: reused from the Contoso bid]",
         "Prepared for [deleted: Contoso][inserted: Fabrikam].",
         "Pricing is final.[hidden: floor price 40% off]"),
    good=("Our answer covers SSO.", "Prepared for Fabrikam."),
    scopes=frozenset({COMMENT, TRACKED_INSERTION, TRACKED_DELETION, HIDDEN_TEXT}),
    example_format="docx",
)
WHAT = {
    COMMENT: "Comment still in the document",
    TRACKED_INSERTION: "Tracked insertion still in the document",
    TRACKED_DELETION: "Tracked deletion still in the document (the deleted text is in the file)",
    HIDDEN_TEXT: "Hidden text in the document",
}
# Hidden places in decks and workbooks, by part: a message names the place.
WHAT_BY_PART = {
    "hidden-slide": "Text on a hidden slide",
    "hidden-shape": "Text in a shape marked hidden",
    "off-slide": "Text in a shape outside the slide area",
    "hidden-sheet": "Cell on a hidden sheet",
    "hidden-row": "Cell in a hidden row",
    "hidden-column": "Cell in a hidden column",
    "comment": "Comment still in the document",
    "note": "Cell note still in the workbook",
}
# A shape or cell with several paragraphs is reported once, at its first.
ONCE_PER_LOCATION = frozenset(WHAT_BY_PART) - {"comment"}
QUOTED = 80


class HiddenContentRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        pass

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        reported: set[tuple] = set()
        for segment, base in zip(view.segments, view.starts, strict=True):
            if segment.part in ONCE_PER_LOCATION:
                if (segment.part, segment.location) in reported:
                    continue
                reported.add((segment.part, segment.location))
            what = WHAT_BY_PART.get(segment.part or "") or WHAT[segment.scope]
            if segment.part == "hidden-sheet" and "cell" not in (segment.place or {}):
                what = "Text on a hidden sheet"  # a text box, shape or chart drawn on it
            yield Hit(base, base + len(segment.text), f"{what}: \"{_quoted(segment.text)}\"")


SPEAKER_NOTES_INFO = RuleInfo(
    id="speaker-notes",
    category="hidden-content",
    severity="warning",
    summary="Speaker notes in a deck: they travel with the file.",
    description=(
        "Speaker notes are written for the presenter, but everyone who receives the .pptx can "
        "read them, and they often hold pricing guidance, objection handling or another "
        "customer's story. Each slide with notes is reported once, with the start of its notes. "
        "Delete them (Inspect Document > Presentation Notes) before sending the file, or send a "
        "PDF. Teams that keep notes on purpose can set `enabled = false` under "
        "[rules.speaker-notes]."
    ),
    bad=("[slide: Pricing][notes: Offer the Contoso discount if they push back on price]",),
    good=("[slide: Pricing starts at $12 per user per month]",),
    scopes=frozenset({SPEAKER_NOTES}),
    example_format="pptx",
)


class SpeakerNotesRule:
    info = SPEAKER_NOTES_INFO

    def __init__(self, config: Config, options: dict):
        pass

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        reported: set[str | None] = set()
        for segment, base in zip(view.segments, view.starts, strict=True):
            if segment.location not in reported:
                reported.add(segment.location)
                message = f"Speaker notes travel with the deck: \"{_quoted(segment.text)}\""
                yield Hit(base, base + len(segment.text), message)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"
