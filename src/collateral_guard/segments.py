"""The unit every reader produces and every rule reads: text with its scope and source position."""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from itertools import accumulate

# Scopes: where in a document a piece of text sits. Readers assign them; rules select them.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
TABLE_CELL = "table-cell"
BLOCKQUOTE = "blockquote"
HTML = "html"  # raw HTML block, tags blanked out
TITLE = "title"  # front-matter title/description, document title property
FRONT_MATTER = "front-matter"  # any other front-matter field
CODE_BLOCK = "code-block"
INLINE_CODE = "inline-code"
LINK_URL = "link-url"
IMAGE_ALT = "image-alt"
HTML_COMMENT = "html-comment"
COMMENT = "comment"  # a reviewer comment (DOCX)
TRACKED_INSERTION = "tracked-insertion"
TRACKED_DELETION = "tracked-deletion"
HIDDEN_TEXT = "hidden-text"
FIELD_CODE = "field-code"
PROPERTY = "property"
CUSTOM_XML = "custom-xml"
MARKUP = "markup"  # template code, MDX import/export and {expressions}, component tags: read for leaks only
ATTRIBUTE = "attribute"  # words people read in a component prop or shortcode parameter (quote, caption)
DIRECTIVE = "directive"  # the tool's own comments (<!-- collateral-guard: ignore ... -->): read by no rule
SPEAKER_NOTES = "speaker-notes"  # a slide's notes (PPTX): they travel with the deck

ALL_SCOPES = frozenset(
    {
        HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE, HTML, TITLE, FRONT_MATTER,
        CODE_BLOCK, INLINE_CODE, LINK_URL, IMAGE_ALT, HTML_COMMENT, COMMENT,
        TRACKED_INSERTION, TRACKED_DELETION, HIDDEN_TEXT, FIELD_CODE, PROPERTY, CUSTOM_XML, MARKUP, ATTRIBUTE,
        DIRECTIVE, SPEAKER_NOTES,
    }
)
# Text a reader of the document sees as sentences. Tracked insertions are left out
# because their text is already part of the paragraph they were inserted into.
PROSE = frozenset(
    {
        HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE, HTML, TITLE, IMAGE_ALT,
        COMMENT, TRACKED_DELETION, HIDDEN_TEXT, PROPERTY, CUSTOM_XML, ATTRIBUTE, SPEAKER_NOTES,
    }
)
# Everything a leak can hide in, including code, link targets and HTML comments (invisible on
# the page, but they travel with the file).
EVERYTHING = ALL_SCOPES - {TRACKED_INSERTION, DIRECTIVE}
SCOPE_GROUPS = {"prose": PROSE, "everything": EVERYTHING}


@dataclass(slots=True)
class Segment:
    """A piece of text, its scope, and where each of its characters came from.

    ``anchors`` holds ``(text_index, line, column)`` triples sorted by text_index:
    text[text_index] sits at (line, column), and the characters after it advance
    the column one by one until the next anchor. Lines and columns are 1-based and
    count Unicode code points.
    """

    text: str
    scope: str
    anchors: list[tuple[int, int, int]]
    part: str | None = None  # where inside a container format (DOCX, PPTX, XLSX): body, comment, notes, cell...
    location: str | None = None  # a place a person can find: "table 2, row 3, cell 2", "sheet 'Security' cell C14"
    label: str | None = None  # front-matter key, property name
    markers: tuple[int, ...] = ()  # text indexes of links and footnote references
    code_spans: tuple[tuple[int, int], ...] = ()  # inline code inside prose: (start, end) text indexes
    # Credentials found in the text, already masked in it: (start, end, message to report; "" or None: not reported).
    secrets: tuple[tuple[int, int, str | None], ...] = ()
    place: dict | None = None  # the location as data (heading, table, row, cell, comment...): JSON `location`
    _keys: list[int] | None = field(default=None, repr=False)  # built on first use: most segments never need it

    def position(self, index: int) -> tuple[int, int]:
        if not self._keys:
            self._keys = [a[0] for a in self.anchors]
        i = bisect.bisect_right(self._keys, index) - 1
        start, line, column = self.anchors[max(i, 0)]
        return line, column + index - start


SEPARATOR = "\x00"


class TextView:
    """The segments of one document that a rule reads, joined into one string.

    Rules scan ``text`` once per document instead of once per segment; a match
    that crosses a separator is not a match (see ``segment_at``).
    """

    # weakly referenced by rules that cache per view
    __slots__ = ("text", "segments", "starts", "shared", "__weakref__")

    def __init__(self, segments: list[Segment]):
        self.segments = segments
        texts = [s.text for s in segments]
        # A machine integer each (a workbook's view holds 100,000s of segments), summed in C.
        self.starts = array("q", accumulate(map((1).__add__, map(len, texts)), initial=0))
        self.starts.pop()
        self.text = SEPARATOR.join(texts)
        self.shared: dict[str, object] = {}  # what several rules derive from the text, derived once

    def first(self, count: int) -> TextView:
        """The view of this view's first ``count`` segments (count > 0), its text cut from this one's
        rather than joined again from 100,000s of pieces."""
        view = TextView.__new__(TextView)
        view.segments = self.segments[:count]
        view.starts = self.starts[:count]
        view.text = self.text[:view.starts[-1] + len(view.segments[-1].text)]
        view.shared = {}
        return view

    def segment_at(self, start: int, end: int) -> tuple[Segment, int] | None:
        """The segment holding text[start:end] and the segment's own offset, or None if it spans two."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        base = self.starts[i]
        segment = self.segments[i]
        if end - base > len(segment.text):
            return None
        return segment, base


@dataclass(slots=True)
class Document:
    """What a reader hands to the rules: the segments of one file."""

    path: str
    segments: list[Segment]
    declared_customer: str | None = None  # front matter `customer:`, DOCX property `customer`
    declared_customer_where: str | None = None
    source_lines: list[str] | None = None  # the file's lines as written, for excerpts (text formats only)
    notes: list[str] = field(default_factory=list)  # what was not read, and why: "stopped at 200,000 cells"
