"""DOCX reader: every text a recipient receives, including what Word does not show on screen.

python-docx drops tracked insertions, text boxes, content controls, footnotes and
field codes, so the package parts are read directly. Elements are matched by
local name, which reads both transitional and strict OOXML.

Positions: ``line`` is the paragraph number within its part (body, a header, the
footnotes, the comments...), ``column`` the character offset in that paragraph
plus one. Derived texts (a tracked deletion, hidden text, a field code) take
the paragraph and offset where they sit. Locations name what Word shows: the
nearest heading above, comments numbered from 1 in the order Word lists them,
and how to reveal deleted or hidden text.

A comment whose text starts with ``collateral-guard: ignore`` is the tool's own
directive: it is read as a suppression over the text it is anchored on, not as
reviewer content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from collateral_guard.readers import MAX_CELLS, ReadError
from collateral_guard.readers.ooxml import (
    Properties,
    attribute,
    child,
    custom_xml,
    embedded_objects,
    embedding_places,
    local,
    main_part,
    related,
    relationship_id,
)
from collateral_guard.readers.package import Package
from collateral_guard.segments import (
    COMMENT,
    DIRECTIVE,
    FIELD_CODE,
    HEADING,
    HIDDEN_TEXT,
    IMAGE_ALT,
    LINK_URL,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    TRACKED_DELETION,
    TRACKED_INSERTION,
    Document,
    Segment,
)

IGNORE_COMMENT = re.compile(r"\s*collateral-guard:\s*ignore\b", re.IGNORECASE)
REVEAL = {TRACKED_DELETION: "; shown with Review > All Markup", TRACKED_INSERTION: "; shown with Review > All Markup",
          HIDDEN_TEXT: "; shown with Home > Show/Hide ¶"}
HEADING_STYLE = re.compile(r"(?i)^(?:heading\s*\d|title|subtitle)$")


def is_on(element) -> bool:
    """A toggle property (w:vanish): on unless w:val says false."""
    return element is not None and (attribute(element, "val") or "true").lower() not in ("false", "0", "off")


@dataclass(frozen=True)
class Place:
    """Where paragraphs being read sit: their part and a location a person can find."""

    part: str  # body, header, footer, footnote, endnote, comment, text-box
    where: str = ""  # "header (default, section 1), " or "table 2, row 3, cell 2, "
    scope: str = PARAGRAPH
    info: dict = field(default_factory=dict)  # the same as data: {"table": 2, "row": 3, "cell": 2}


@dataclass
class RunState:
    deleted: bool = False
    inserted: bool = False
    hidden: bool = False


@dataclass
class ParagraphText:
    """The text of one paragraph as shown, and what was inserted, deleted, hidden or coded in it."""

    visible: list[str] = field(default_factory=list)
    length: int = 0
    insertions: list[list] = field(default_factory=list)  # [start, end]
    deletions: list[list] = field(default_factory=list)  # [offset, text]
    hidden: list[list] = field(default_factory=list)  # [offset, text]
    fields: list[list] = field(default_factory=list)  # [offset, instruction]
    links: list[tuple[int, str]] = field(default_factory=list)
    alts: list[tuple[int, str]] = field(default_factory=list)
    text_boxes: list = field(default_factory=list)
    in_field_code: bool = False
    sources: list[list] | None = None  # [offset, element] of each visible text, when asked for (annotate)

    def add(self, text: str, state: RunState, source=None) -> None:
        if not text:
            return
        if self.sources is not None and source is not None and not (state.deleted or state.hidden):
            self.sources.append([self.length, source])
        if state.deleted:
            _extend(self.deletions, self.length, text)
        elif state.hidden:
            _extend(self.hidden, self.length, text)
        else:
            if state.inserted:
                if self.insertions and self.insertions[-1][1] == self.length:
                    self.insertions[-1][1] += len(text)
                else:
                    self.insertions.append([self.length, self.length + len(text)])
            self.visible.append(text)
            self.length += len(text)

    def add_field_code(self, text: str) -> None:
        if self.fields and self.in_field_code:
            self.fields[-1][1] += text
        else:
            self.fields.append([self.length, text])
            self.in_field_code = True


def _extend(pieces: list[list], offset: int, text: str) -> None:
    """Adjacent runs (a name split by a formatting change) read as one text."""
    if pieces and pieces[-1][0] == offset:
        pieces[-1][1] += text
    else:
        pieces.append([offset, text])


def read_docx(path: str, data: bytes, max_cells: int, depth: int = 0) -> Document:
    return DocxReader(path, Package(data), max_cells=max_cells, depth=depth).read()


class DocxReader:
    def __init__(self, path: str, package: Package, keep_sources: bool = False, max_cells: int = MAX_CELLS,
                 depth: int = 0):
        self.path = path
        self.package = package
        self.max_cells = max_cells  # for workbooks embedded in the document
        self.depth = depth
        self.segments: list[Segment] = []
        self.customer: str | None = None
        self.hidden_styles: set[str] = set()
        self.heading_styles: set[str] = set()
        self.heading = ""  # the last heading read in the body
        self.current: tuple[str, int] = ("body", 0)  # the part and paragraph being read
        # Comment id -> where Word shows it: order of first appearance, heading, anchored range.
        self.comment_anchors: dict[str, dict] = {}
        # Body paragraph number -> (w:p, [offset, text element]...), kept only for annotate.
        self.sources: dict[int, tuple] | None = {} if keep_sources else None

    # -- parts ---------------------------------------------------------------------
    def read(self) -> Document:
        main = self.main_part = self._main_part()
        self._read_styles(main)
        body_xml = self.package.xml(main)
        body = child(body_xml, "body")
        if body is None:
            raise ReadError(f"{main} has no document body")
        relations = self.package.relationships(main)
        self._read_container(body, Place("body"), relations, counter=[0])
        self._read_headers_and_footers(body, relations)
        for kind in ("footnotes", "endnotes"):
            self._read_notes(main, relations, kind)
        self._read_comments(main, relations)
        self._read_properties(main)
        self.segments.extend(custom_xml(self.package))
        places: dict[str, str] = {}
        embedding_places(relations, "body", places)
        embedded, notes = embedded_objects(self.package, places, self.max_cells, self.depth)
        self.segments.extend(embedded)
        return Document(self.path, self.segments, self.customer,
                        "document property customer" if self.customer else None, notes=notes)

    def _main_part(self) -> str:
        return main_part(self.package, "word/document.xml", "document", "a Word document")

    def _part_relations(self, relations: dict, suffix: str) -> list[tuple[str, str]]:
        return related(self.package, relations, suffix)

    def _read_styles(self, main: str) -> None:
        relations = self.package.relationships(main)
        names = [t for _, t in self._part_relations(relations, "styles")] or ["word/styles.xml"]
        if not self.package.has(names[0]):
            return
        styles = {}
        for style in self.package.xml(names[0]):
            if local(style) != "style":
                continue
            style_id = attribute(style, "styleId") or ""
            name_el, based_el, rpr = child(style, "name"), child(style, "basedOn"), child(style, "rPr")
            styles[style_id] = (
                attribute(name_el, "val") if name_el is not None else style_id,
                attribute(based_el, "val") if based_el is not None else None,
                rpr is not None and is_on(child(rpr, "vanish")),
            )
        for style_id, (name, _, _) in styles.items():
            seen, current, hidden = set(), style_id, False
            while current in styles and current not in seen:  # basedOn chains may loop in broken files
                seen.add(current)
                hidden = hidden or styles[current][2]
                current = styles[current][1]
            if hidden:
                self.hidden_styles.add(style_id)
            if HEADING_STYLE.match(name or "") or HEADING_STYLE.match(style_id):
                self.heading_styles.add(style_id)

    def _read_headers_and_footers(self, body, relations: dict) -> None:
        references: dict[str, tuple[str, int]] = {}
        sections = [e for e in body.iter() if local(e) == "sectPr"]
        for number, section in enumerate(sections, start=1):
            for reference in section:
                if local(reference) in ("headerReference", "footerReference"):
                    rid = relationship_id(reference) or ""
                    references.setdefault(rid, (attribute(reference, "type") or "default", number))
        for kind in ("header", "footer"):
            for rid, target in sorted(self._part_relations(relations, kind), key=lambda r: r[1]):
                variant, section = references.get(rid, ("default", 1))
                root = self.package.xml(target)
                self._read_container(root, Place(kind, f"{kind} ({variant}, section {section}), "),
                                     self.package.relationships(target), counter=[0])

    def _read_notes(self, main: str, relations: dict, kind: str) -> None:
        for _, target in self._part_relations(relations, kind):
            counter = [0]
            note_relations = self.package.relationships(target)
            for note in self.package.xml(target):
                if local(note) not in ("footnote", "endnote") or attribute(note, "type") in (
                        "separator", "continuationSeparator", "continuationNotice"):
                    continue
                name = kind[:-1]
                self._read_container(note, Place(name, f"{name} {attribute(note, 'id')}, "), note_relations, counter)

    def _read_comments(self, main: str, relations: dict) -> None:
        unanchored = len(self.comment_anchors)  # numbered after the ones Word shows in the text
        for _, target in self._part_relations(relations, "comments"):
            counter = [0]
            for comment in self.package.xml(target):
                if local(comment) != "comment":
                    continue
                anchor = self.comment_anchors.get(attribute(comment, "id") or "")
                if anchor is None:
                    unanchored += 1
                    anchor = {"number": unanchored, "heading": ""}
                number, heading = anchor["number"], anchor["heading"]
                text = "".join(t.text or "" for t in comment.iter() if local(t) == "t")
                if IGNORE_COMMENT.match(text) and "start" in anchor:
                    self._read_directive(text, anchor)
                    continue
                author = attribute(comment, "author") or "unknown author"
                where = (f"under '{heading}', " if heading else "") + f"comment {number} by {author}, "
                info = {"comment": number, **({"heading": heading} if heading else {})}
                self._read_container(comment, Place("comment", where, COMMENT, info), {}, counter)

    def _read_directive(self, text: str, anchor: dict) -> None:
        """collateral-guard's own comment: a suppression over the range it is anchored on."""
        part, line, column = anchor["start"]
        _, end_line, end_column = anchor.get("end", anchor["start"])
        number = anchor["number"]
        self.segments.append(Segment(text.strip(), DIRECTIVE, [(0, line, column)], part="comment",
                                     location=f"comment {number}", label="word-comment",
                                     place={"comment": number, "range": [part, line, column, end_line, end_column]}))

    # -- block content ----------------------------------------------------------------
    def _read_container(self, element, place: Place, relations: dict, counter: list[int]) -> None:
        tables = 0
        for item in element:
            name = local(item)
            if name == "p":
                self._read_paragraph(item, place, relations, counter)
            elif name == "tbl":
                tables += 1
                self._read_table(item, place, relations, counter, tables)
            elif name in ("sdt", "customXml", "ins", "del", "moveTo", "moveFrom"):
                content = child(item, "sdtContent") if name == "sdt" else item
                if content is not None:
                    self._read_container(content, place, relations, counter)
            elif name == "AlternateContent":
                choice = child(item, "Choice")
                if choice is not None:
                    self._read_container(choice, place, relations, counter)
            elif name == "commentRangeStart":  # between paragraphs: from the start of the next one
                self._comment_mark(item, "start", (place.part, counter[0] + 1, 1))
            elif name == "commentRangeEnd":
                self._comment_mark(item, "end", (place.part, counter[0], 10**9))

    def _comment_mark(self, element, end: str, position: tuple[str, int, int]) -> None:
        """Record where a comment is anchored, the first time Word would list it."""
        anchor = self.comment_anchors.setdefault(attribute(element, "id") or "", {
            "number": len(self.comment_anchors) + 1, "heading": self.heading})
        anchor.setdefault(end, position)

    def _read_table(self, table, place: Place, relations: dict, counter: list[int], number: int) -> None:
        rows = [r for r in table if local(r) == "tr"]
        for row_number, row in enumerate(rows, start=1):
            cells = [c for c in row if local(c) in ("tc", "sdt")]
            for cell_number, cell in enumerate(cells, start=1):
                if local(cell) == "sdt":  # a content control around a cell
                    content = child(cell, "sdtContent")
                    cell = content if content is not None else cell
                prefix = place.where + ("nested " if "table" in place.where else "")
                cell_place = replace(place, where=f"{prefix}table {number}, row {row_number}, cell {cell_number}, ",
                                     scope=TABLE_CELL if place.scope == PARAGRAPH else place.scope,
                                     info={**place.info, "table": number, "row": row_number, "cell": cell_number})
                self._read_container(cell, cell_place, relations, counter)

    def _read_paragraph(self, paragraph, place: Place, relations: dict, counter: list[int]) -> None:
        counter[0] += 1
        number = counter[0]
        properties = child(paragraph, "pPr")
        style = None
        scope = place.scope
        if properties is not None:
            style_el = child(properties, "pStyle")
            style = attribute(style_el, "val") if style_el is not None else None
            if scope == PARAGRAPH and child(properties, "numPr") is not None:
                scope = LIST_ITEM
        if scope == PARAGRAPH and style in self.heading_styles:
            scope = HEADING
        text = ParagraphText(sources=[] if self.sources is not None and place.part == "body" else None)
        self.current = (place.part, number)
        self._read_inline(paragraph, text, RunState(hidden=style in self.hidden_styles), relations)
        self._emit(text, place, scope, number)
        if text.sources is not None:
            self.sources[number] = (paragraph, text.sources)
        if scope == HEADING and place.part == "body":
            heading = " ".join("".join(text.visible).split())
            self.heading = heading if len(heading) <= 60 else heading[:59] + "…"
        for box in text.text_boxes:
            self._read_container(box, Place("text-box", f"text box in {place.where}paragraph {number}, ",
                                            info=place.info), relations, counter=[0])

    def _read_inline(self, element, text: ParagraphText, state: RunState, relations: dict) -> None:
        for item in element:
            name = local(item)
            if name == "r":
                self._read_run(item, text, state, relations)
            elif name in ("ins", "moveTo"):
                self._read_inline(item, text, replace(state, inserted=True), relations)
            elif name in ("del", "moveFrom"):
                self._read_inline(item, text, replace(state, deleted=True), relations)
            elif name == "hyperlink":
                rid = relationship_id(item)
                if rid and rid in relations and relations[rid][2]:
                    text.links.append((text.length, relations[rid][1]))
                self._read_inline(item, text, state, relations)
            elif name == "fldSimple":
                text.add_field_code(attribute(item, "instr") or "")
                text.in_field_code = False
                self._read_inline(item, text, state, relations)
            elif name in ("smartTag", "customXml", "bdo", "dir", "sdtContent"):
                self._read_inline(item, text, state, relations)
            elif name == "sdt":
                content = child(item, "sdtContent")
                if content is not None:
                    self._read_inline(content, text, state, relations)
            elif name == "AlternateContent":
                choice = child(item, "Choice")
                if choice is not None:
                    self._read_inline(choice, text, state, relations)
            elif name in ("commentRangeStart", "commentRangeEnd"):
                self._comment_mark(item, "start" if name == "commentRangeStart" else "end",
                                   (*self.current, text.length + 1))

    def _read_run(self, run, text: ParagraphText, state: RunState, relations: dict) -> None:
        properties = child(run, "rPr")
        if properties is not None:
            style_el = child(properties, "rStyle")
            vanish = child(properties, "vanish")
            if vanish is not None:
                state = replace(state, hidden=is_on(vanish))
            elif style_el is not None and attribute(style_el, "val") in self.hidden_styles:
                state = replace(state, hidden=True)
        for item in run:
            name = local(item)
            if name == "t":
                if not text.in_field_code:
                    text.add(item.text or "", state, item)
            elif name == "delText":
                text.add(item.text or "", replace(state, deleted=True))
            elif name in ("instrText", "delInstrText"):
                text.add_field_code(item.text or "")
            elif name == "fldChar":
                kind = attribute(item, "fldCharType")
                text.in_field_code = kind == "begin"
            elif name == "tab":
                text.add("\t", state, item)
            elif name in ("br", "cr"):
                text.add("\n", state, item)
            elif name == "noBreakHyphen":
                text.add("-", state, item)
            elif name == "commentReference":  # a comment on a point, or the end of its range
                self._comment_mark(item, "start", (*self.current, text.length + 1))
                self._comment_mark(item, "end", (*self.current, text.length + 1))
            elif name in ("drawing", "pict", "object", "AlternateContent"):
                self._read_drawing(item, text)

    def _read_drawing(self, element, text: ParagraphText) -> None:
        """Alt text of pictures, and text boxes (read once: the fallback copy of a shape is skipped)."""
        stack = [element]
        while stack:
            item = stack.pop()
            name = local(item)
            if name == "Fallback":
                continue
            if name == "docPr":
                for key in ("descr", "title"):
                    value = (item.get(key) or "").strip()
                    if value:
                        text.alts.append((text.length, value))
            if name == "txbxContent":
                text.text_boxes.append(item)
                continue
            stack.extend(reversed(list(item)))

    # -- segments ------------------------------------------------------------------
    def _emit(self, text: ParagraphText, place: Place, scope: str, number: int) -> None:
        under = self.heading if place.part in ("body", "text-box") else ""
        where = (f"under '{under}', " if under else "") + f"{place.where}paragraph {number}"
        info = {**place.info, "heading": under} if under else place.info
        body = "".join(text.visible)

        def add(value: str, segment_scope: str, part: str, offset: int = 0, label: str | None = None) -> None:
            if value.strip():
                self.segments.append(Segment(value, segment_scope, [(0, number, offset + 1)], part=part,
                                             location=where + REVEAL.get(segment_scope, ""), label=label,
                                             place=info or None))

        add(body, scope, place.part)
        for start, end in text.insertions:
            add(body[start:end], TRACKED_INSERTION, "tracked-insertion", start)
        for offset, value in text.deletions:
            add(value, TRACKED_DELETION, "tracked-deletion", offset)
        for offset, value in text.hidden:
            add(value, HIDDEN_TEXT, "hidden-text", offset)
        for offset, value in text.fields:
            add(value.strip(), FIELD_CODE, "field-code", offset)
        for offset, value in text.links:
            add(value, LINK_URL, "hyperlink-target", offset)
        for offset, value in text.alts:
            add(value, IMAGE_ALT, "alt-text", offset)

    def _read_properties(self, main: str) -> None:
        properties = Properties(self.package)
        self.customer = properties.customer
        settings = [t for _, t in self._part_relations(self.package.relationships(main), "settings")]
        if settings:
            root = self.package.xml(settings[0])
            template = child(root, "attachedTemplate")
            relations = self.package.relationships(settings[0])
            if template is not None:
                rid = relationship_id(template)
                if rid in relations:
                    properties.add("Attached Template", relations[rid][1])
        self.segments.extend(properties.segments)
