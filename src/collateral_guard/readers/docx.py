"""DOCX reader: every text a recipient receives, including what Word does not show on screen.

python-docx drops tracked insertions, text boxes, content controls, footnotes and
field codes, so the package parts are read directly. Elements are matched by
local name, which reads both transitional and strict OOXML.

Positions: ``line`` is the paragraph number within its part (body, a header, the
footnotes, the comments...), ``column`` the character offset in that paragraph
plus one. Derived texts (a tracked deletion, hidden text, a field code) take
the paragraph and offset where they sit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from collateral_guard.readers import ReadError
from collateral_guard.readers.package import Package
from collateral_guard.segments import (
    COMMENT,
    CUSTOM_XML,
    FIELD_CODE,
    HEADING,
    HIDDEN_TEXT,
    IMAGE_ALT,
    LINK_URL,
    LIST_ITEM,
    PARAGRAPH,
    PROPERTY,
    TABLE_CELL,
    TITLE,
    TRACKED_DELETION,
    TRACKED_INSERTION,
    Document,
    Segment,
)

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_RELATIONSHIP_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
HEADING_STYLE = re.compile(r"(?i)^(?:heading\s*\d|title|subtitle)$")
CORE_PROPERTIES = {
    "title": "Title", "subject": "Subject", "creator": "Author", "keywords": "Keywords",
    "description": "Comments", "lastModifiedBy": "Last Modified By", "category": "Category",
    "contentStatus": "Status",
}
APP_PROPERTIES = {"Company": "Company", "Manager": "Manager", "Template": "Template",
                  "HyperlinkBase": "Hyperlink Base"}


def local(element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attribute(element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (w:val, r:id...)."""
    for key, value in element.attrib.items():
        if key.rpartition("}")[2] == name:
            return value
    return None


def relationship_id(element) -> str | None:
    """r:id, in the transitional or the strict namespace."""
    return element.get(RELATIONSHIP_ID) or element.get(STRICT_RELATIONSHIP_ID)


def _text(element) -> str:
    """All text of a text element: an entity reference left in it does not hide what follows."""
    return element.text or "" if not len(element) else "".join(element.itertext())


def child(element, name: str):
    for item in element:
        if local(item) == name:
            return item
    return None


def is_on(element) -> bool:
    """A toggle property (w:vanish): on unless w:val says false."""
    return element is not None and (attribute(element, "val") or "true").lower() not in ("false", "0", "off")


@dataclass(frozen=True)
class Place:
    """Where paragraphs being read sit: their part and a location a person can find."""

    part: str  # body, header, footer, footnote, endnote, comment, text-box
    where: str = ""  # "header (default, section 1), " or "table 2, row 3, cell 2, "
    scope: str = PARAGRAPH


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

    def add(self, text: str, state: RunState) -> None:
        if not text:
            return
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


def read_docx(path: str, data: bytes) -> Document:
    return DocxReader(path, Package(data)).read()


class DocxReader:
    def __init__(self, path: str, package: Package):
        self.path = path
        self.package = package
        self.segments: list[Segment] = []
        self.customer: str | None = None
        self.hidden_styles: set[str] = set()
        self.heading_styles: set[str] = set()

    # -- parts ---------------------------------------------------------------------
    def read(self) -> Document:
        main = self._main_part()
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
        self._read_custom_xml()
        return Document(self.path, self.segments, self.customer,
                        "document property customer" if self.customer else None)

    def _main_part(self) -> str:
        for _, (kind, target, external) in self.package.relationships("").items():
            if kind.endswith("/officeDocument") and not external and self.package.has(target):
                return target
        if self.package.has("word/document.xml"):
            return "word/document.xml"
        raise ReadError("missing main document part (word/document.xml): not a Word document")

    def _part_relations(self, relations: dict, suffix: str) -> list[tuple[str, str]]:
        return [(rid, target) for rid, (kind, target, external) in relations.items()
                if kind.endswith("/" + suffix) and not external and self.package.has(target)]

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
        for _, target in self._part_relations(relations, "comments"):
            counter = [0]
            for comment in self.package.xml(target):
                if local(comment) != "comment":
                    continue
                author = attribute(comment, "author") or "unknown author"
                where = f"comment {attribute(comment, 'id')} by {author}, "
                self._read_container(comment, Place("comment", where, COMMENT), {}, counter)

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
                                     scope=TABLE_CELL if place.scope == PARAGRAPH else place.scope)
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
        text = ParagraphText()
        self._read_inline(paragraph, text, RunState(hidden=style in self.hidden_styles), relations)
        self._emit(text, place, scope, number)
        for box in text.text_boxes:
            self._read_container(box, Place("text-box", f"text box in {place.where}paragraph {number}, "),
                                 relations, counter=[0])

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
                    text.add(_text(item), state)
            elif name == "delText":
                text.add(_text(item), replace(state, deleted=True))
            elif name in ("instrText", "delInstrText"):
                text.add_field_code(_text(item))
            elif name == "fldChar":
                kind = attribute(item, "fldCharType")
                text.in_field_code = kind == "begin"
            elif name == "tab":
                text.add("\t", state)
            elif name in ("br", "cr"):
                text.add("\n", state)
            elif name == "noBreakHyphen":
                text.add("-", state)
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
        where = f"{place.where}paragraph {number}"
        body = "".join(text.visible)

        def add(value: str, segment_scope: str, part: str, offset: int = 0, label: str | None = None) -> None:
            if value.strip():
                self.segments.append(Segment(value, segment_scope, [(0, number, offset + 1)], part=part,
                                             location=where, label=label))

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

    def _property(self, label: str, value: str | None, scope: str = PROPERTY) -> None:
        """A property that holds a value; ``line`` numbers them in the order they are read."""
        value = (value or "").strip()
        if value:
            number = sum(1 for s in self.segments if s.part == "properties") + 1
            self.segments.append(Segment(value, scope, [(0, number, 1)], part="properties",
                                         location=f"document property {label}", label=label))

    def _read_properties(self, main: str) -> None:
        if self.package.has("docProps/core.xml"):
            for element in self.package.xml("docProps/core.xml"):
                label = CORE_PROPERTIES.get(local(element))
                if label:
                    self._property(label, element.text, TITLE if label == "Title" else PROPERTY)
        if self.package.has("docProps/app.xml"):
            for element in self.package.xml("docProps/app.xml"):
                label = APP_PROPERTIES.get(local(element))
                if label:
                    self._property(label, element.text)
        if self.package.has("docProps/custom.xml"):
            for element in self.package.xml("docProps/custom.xml"):
                name = element.get("name")
                if local(element) != "property" or not name:
                    continue
                value = " ".join(t.strip() for t in element.itertext() if t.strip())
                if name.strip().lower() == "customer":
                    self.customer = value  # the tool's own directive: which customer this is for
                    continue
                self._property(f"Custom: {name}", value)
        settings = [t for _, t in self._part_relations(self.package.relationships(main), "settings")]
        if settings:
            root = self.package.xml(settings[0])
            template = child(root, "attachedTemplate")
            relations = self.package.relationships(settings[0])
            if template is not None:
                rid = relationship_id(template)
                if rid in relations:
                    self._property("Attached Template", relations[rid][1])

    def _read_custom_xml(self) -> None:
        for name, info in sorted(self.package.members.items()):
            if re.fullmatch(r"customxml/item\d+\.xml", name):
                root = self.package.xml(info.filename)
                value = " ".join(t.strip() for t in root.itertext() if t and t.strip())
                if value:
                    self.segments.append(Segment(value, CUSTOM_XML, [(0, 1, 1)], part="custom-xml",
                                                 location=f"custom XML part {info.filename}"))

