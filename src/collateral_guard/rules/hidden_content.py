"""Text a recipient receives without seeing it: comments, tracked changes, hidden text."""

from __future__ import annotations

from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import COMMENT, HIDDEN_TEXT, TRACKED_DELETION, TRACKED_INSERTION, TextView

INFO = RuleInfo(
    id="hidden-content",
    category="hidden-content",
    severity="error",
    summary="Comment, tracked change or hidden text still in a Word document.",
    description=(
        "Anyone who opens the file can read reviewer comments, every tracked insertion and "
        "deletion (including text that was deleted, such as a previous customer's name) and text "
        "formatted as hidden. Each one is reported with its text. Accept or reject all changes, "
        "delete the comments, and run Word's Inspect Document before sending, or write a copy with all of "
        "them removed and the changes accepted with `collateral-guard clean FILE --output COPY`. A comment "
        "whose text starts with `collateral-guard: ignore <rule>` is a suppression, not reviewer content."
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
QUOTED = 80


class HiddenContentRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        pass

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        for segment, base in zip(view.segments, view.starts, strict=True):
            text = " ".join(segment.text.split())
            quoted = text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"
            yield Hit(base, base + len(segment.text), f"{WHAT[segment.scope]}: \"{quoted}\"")
