"""PPTX reader: every text a deck carries, including what the audience never sees on screen.

Slides (titles, bodies, text boxes, tables, groups, SmartArt, charts), speaker
notes, hidden slides, shapes marked hidden or parked outside the slide, comments
(legacy and threaded) with their authors, alt text, hyperlink and click-action
targets, text on masters and layouts that shows on slides, document properties,
custom XML parts and embedded Office files.

Positions: ``line`` is the slide number (the master or layout number for their
text), ``column`` the character offset in the shape's text plus one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from collateral_guard.readers.ooxml import (
    Properties,
    attribute,
    child,
    custom_xml,
    embedded_objects,
    embedding_places,
    graphic_texts,
    local,
    main_part,
    related,
    relationship_id,
    text_of,
)
from collateral_guard.readers.package import Package
from collateral_guard.segments import (
    COMMENT,
    HEADING,
    HIDDEN_TEXT,
    IMAGE_ALT,
    LINK_URL,
    PARAGRAPH,
    SPEAKER_NOTES,
    TABLE_CELL,
    Document,
    Segment,
)

TITLE_PLACEHOLDERS = ("title", "ctrTitle")
# Placeholders on masters and layouts hold prompts ("Click to edit Master title style") that never
# reach a slide; footers do.
MASTER_PLACEHOLDERS_SHOWN = ("ftr", "hdr")
NOTES_PLACEHOLDERS_READ = ("body",)
SHAPES = ("sp", "cxnSp", "pic", "graphicFrame", "grpSp", "contentPart")


@dataclass(frozen=True)
class Place:
    """Where shapes being read sit."""

    part: str  # slide, hidden-slide, notes, master
    where: str  # "slide 4 (hidden)"
    line: int
    scope: str = PARAGRAPH  # the scope of ordinary text here
    hidden: bool = False  # inside a hidden or off-slide group
    info: dict = field(default_factory=dict)  # the place as data, for JSON `location`: {"slide": 4, "shape": ...}


def read_pptx(path: str, data: bytes, max_cells: int, depth: int = 0) -> Document:
    return DeckReader(path, Package(data, "PPTX"), max_cells, depth).read()


class DeckReader:
    def __init__(self, path: str, package: Package, max_cells: int, depth: int):
        self.path = path
        self.package = package
        self.max_cells = max_cells  # for workbooks embedded in the deck
        self.depth = depth
        self.segments: list[Segment] = []
        self.authors: dict[str, str] = {}
        self.size: tuple[int, int] | None = None
        self.places: dict[str, str] = {}  # embedded part -> where it sits

    def read(self) -> Document:
        main = main_part(self.package, "ppt/presentation.xml", "presentation", "a PowerPoint presentation")
        root = self.package.xml(main)
        relations = self.package.relationships(main)
        size = child(root, "sldSz")
        if size is not None and (size.get("cx") or "").isdigit() and (size.get("cy") or "").isdigit():
            self.size = (int(size.get("cx")), int(size.get("cy")))
        for kind in ("commentAuthors", "authors"):
            for _, target in related(self.package, relations, kind):
                for author in self.package.xml(target):
                    if local(author) in ("cmAuthor", "author") and author.get("id") is not None:
                        self.authors[author.get("id")] = author.get("name") or "unknown author"
        slides = child(root, "sldIdLst")
        number = 0
        for slide_id in slides if slides is not None else ():
            rid = relationship_id(slide_id)
            if local(slide_id) == "sldId" and rid in relations and self.package.has(relations[rid][1]):
                number += 1
                self._read_slide(number, relations[rid][1])
        self._read_masters(relations)
        properties = Properties(self.package)
        self.segments.extend(properties.segments)
        self.segments.extend(custom_xml(self.package))
        embedded, notes = embedded_objects(self.package, self.places, self.max_cells, self.depth)
        self.segments.extend(embedded)
        return Document(self.path, self.segments, properties.customer,
                        "document property customer" if properties.customer else None, notes=notes)

    # -- slides, notes, comments, masters --------------------------------------------
    def _read_slide(self, number: int, part: str) -> None:
        root = self.package.xml(part)
        relations = self.package.relationships(part)
        hidden = (root.get("show") or "1").lower() in ("0", "false")
        where = f"slide {number} (hidden)" if hidden else f"slide {number}"
        info = {"slide": number, **({"hidden": True} if hidden else {})}
        place = Place("hidden-slide" if hidden else "slide", where, number, HIDDEN_TEXT if hidden else PARAGRAPH,
                      info=info)
        self._read_tree(root, place, relations, top_level=True)
        for _, target in related(self.package, relations, "notesSlide"):
            self._read_tree(self.package.xml(target), Place("notes", f"notes of {where}", number, SPEAKER_NOTES,
                                                                  info={**info, "notes": True}),
                            self.package.relationships(target), top_level=False)
        for _, target in related(self.package, relations, "comments"):
            self._read_comments(target, number, where, info)
        embedding_places(relations, where, self.places)

    def _read_comments(self, part: str, number: int, where: str, info: dict) -> None:
        """Legacy comments (p:cm with p:text) and threaded ones (p188:cm and replies with a txBody)."""
        for comment in self.package.xml(part).iter():
            if local(comment) not in ("cm", "reply"):
                continue
            body = child(comment, "text")  # legacy
            if body is not None:
                text = body.text or ""
            else:
                body = child(comment, "txBody")
                text = "\n".join(text_of(p) for p in body if local(p) == "p") if body is not None else ""
            author = self.authors.get(attribute(comment, "authorId") or "", "unknown author")
            self._add(text, COMMENT, "comment", number, 0, f"comment on {where} by {author}",
                      {**info, "comment": author})

    def _read_masters(self, relations: dict) -> None:
        layouts = []
        for number, (_, master) in enumerate(related(self.package, relations, "slideMaster"), start=1):
            master_relations = self.package.relationships(master)
            self._read_tree(self.package.xml(master), Place("master", f"slide master {number}", number,
                                                                         info={"master": number}),
                            master_relations, top_level=True)
            layouts.extend(t for _, t in related(self.package, master_relations, "slideLayout") if t not in layouts)
        for number, layout in enumerate(layouts, start=1):
            root = self.package.xml(layout)
            name = attribute(child(root, "cSld") if child(root, "cSld") is not None else root, "name")
            where = f"layout '{name}'" if name else f"layout {number}"
            self._read_tree(root, Place("master", where, number, info={"layout": name or number}),
                            self.package.relationships(layout), top_level=True)

    def _read_tree(self, root, place: Place, relations: dict, top_level: bool) -> None:
        common = child(root, "cSld")
        tree = child(common, "spTree") if common is not None else None
        if tree is not None:
            self._read_shapes(tree, place, relations, top_level)

    # -- shapes ------------------------------------------------------------------------
    def _read_shapes(self, container, place: Place, relations: dict, top_level: bool) -> None:
        for item in container:
            name = local(item)
            if name == "AlternateContent":
                choice = child(item, "Choice")
                if choice is not None:
                    self._read_shapes(choice, place, relations, top_level)
            elif name in SHAPES:
                self._read_shape(item, place, relations, top_level)

    def _read_shape(self, shape, place: Place, relations: dict, top_level: bool) -> None:
        kind = local(shape)
        properties = next((c for c in shape if local(c).startswith("nv")), None)
        info = child(properties, "cNvPr") if properties is not None else None
        name = (info.get("name") if info is not None else None) or kind
        placeholder = _placeholder(properties)
        if place.part == "master" and placeholder is not None and placeholder not in MASTER_PLACEHOLDERS_SHOWN:
            return
        if place.part == "notes" and placeholder is not None and placeholder not in NOTES_PLACEHOLDERS_READ:
            return
        label = "group" if kind == "grpSp" else "shape"
        where = f"{place.where}, {label} '{name}'"
        place = replace(place, info={**place.info, label: name})
        if place.part in ("slide", "master") and not place.hidden:
            if info is not None and (info.get("hidden") or "").lower() in ("1", "true"):
                place = replace(place, part="hidden-shape", scope=HIDDEN_TEXT, hidden=True)
                where += " (hidden)"
            elif top_level and self._off_slide(shape):
                place = replace(place, part="off-slide", scope=HIDDEN_TEXT, hidden=True)
                where += " (outside the slide)"
        if info is not None:
            for key in ("descr", "title"):
                self._add(info.get(key) or "", IMAGE_ALT, "alt-text", place.line, 0, f"{where}, alt text", place.info)
            for action in info:
                self._link(action, relations, place, where)
        if kind == "grpSp":
            self._read_shapes(shape, replace(place, where=where), relations, top_level=False)
        elif kind == "graphicFrame":
            self._read_frame(shape, place, relations, where, name)
        else:
            body = child(shape, "txBody")
            if body is not None:
                scope = HEADING if placeholder in TITLE_PLACEHOLDERS and place.scope == PARAGRAPH else place.scope
                self._read_text(body, place, scope, where, relations)

    def _off_slide(self, shape) -> bool:
        """Entirely outside the slide: a shape parked beside it, out of the audience's sight."""
        if self.size is None:
            return False
        frame = child(shape, "xfrm")
        if frame is None:
            shape_properties = next((c for c in shape if local(c) in ("spPr", "grpSpPr")), None)
            frame = child(shape_properties, "xfrm") if shape_properties is not None else None
        offset = child(frame, "off") if frame is not None else None
        extent = child(frame, "ext") if frame is not None else None
        try:
            x, y = int(offset.get("x")), int(offset.get("y"))
            width, height = (int(extent.get("cx")), int(extent.get("cy"))) if extent is not None else (0, 0)
        except (AttributeError, TypeError, ValueError):
            return False  # no position of its own: it sits where its layout puts it
        return x >= self.size[0] or y >= self.size[1] or x + width <= 0 or y + height <= 0

    def _read_frame(self, frame, place: Place, relations: dict, where: str, name: str) -> None:
        """A table, chart, SmartArt diagram or embedded object."""
        graphic = child(frame, "graphic")
        data = child(graphic, "graphicData") if graphic is not None else None
        if data is None:
            return
        for item in data:
            kind = local(item)
            if kind == "tbl":
                rows = [r for r in item if local(r) == "tr"]
                for row_number, row in enumerate(rows, start=1):
                    cells = [c for c in row if local(c) == "tc"]
                    for cell_number, cell in enumerate(cells, start=1):
                        body = child(cell, "txBody")
                        scope = TABLE_CELL if place.scope == PARAGRAPH else place.scope
                        cell_place = replace(place, info={**place.info, "table": name, "row": row_number,
                                                          "cell": cell_number})
                        cell_where = f"{place.where}, table '{name}', row {row_number}, cell {cell_number}"
                        if body is not None:
                            self._read_text(body, cell_place, scope, cell_where, relations)
            elif kind == "chart":
                self._read_graphic_part(attribute(item, "id"), relations,
                                        replace(place, info={**place.info, "chart": name}),
                                        f"{place.where}, chart '{name}'")
            elif kind == "relIds":  # SmartArt: the data part holds its text
                self._read_graphic_part(attribute(item, "dm"), relations,
                                        replace(place, info={**place.info, "smartart": name}),
                                        f"{place.where}, SmartArt '{name}'")

    def _read_graphic_part(self, rid: str | None, relations: dict, place: Place, where: str) -> None:
        """The text of a chart or a SmartArt diagram, kept in a part of its own."""
        if rid in relations and not relations[rid][2] and self.package.has(relations[rid][1]):
            offset = 0
            for text in graphic_texts(self.package.xml(relations[rid][1])):
                self._add(text, place.scope, place.part, place.line, offset, where, place.info)
                offset += len(text) + 1

    # -- text --------------------------------------------------------------------------
    def _read_text(self, body, place: Place, scope: str, where: str, relations: dict) -> None:
        """Each paragraph of a text body is a segment; columns count from the start of the body."""
        offset = 0
        for paragraph in body:
            if local(paragraph) != "p":
                continue
            pieces = []
            for run in paragraph.iter():
                name = local(run)
                if name == "t":
                    pieces.append(run.text or "")
                elif name == "br":
                    pieces.append("\n")
                elif name in ("hlinkClick", "hlinkMouseOver"):
                    self._link(run, relations, place, where, offset + sum(len(p) for p in pieces))
            text = "".join(pieces)
            self._add(text, scope, place.part, place.line, offset, where, place.info)
            offset += len(text) + 1

    def _link(self, action, relations: dict, place: Place, where: str, offset: int = 0) -> None:
        """A hyperlink or click action whose target is outside the deck (a URL, a file, a program)."""
        if local(action) not in ("hlinkClick", "hlinkHover", "hlinkMouseOver"):
            return
        rid = relationship_id(action)
        if rid in relations and relations[rid][2]:
            self._add(relations[rid][1], LINK_URL, "link", place.line, offset, f"{where}, link", place.info)

    def _add(self, text: str, scope: str, part: str, line: int, offset: int, location: str, info: dict) -> None:
        if text.strip():
            self.segments.append(Segment(text, scope, [(0, line, offset + 1)], part=part, location=location,
                                         place=info))


def _placeholder(properties) -> str | None:
    """The placeholder type of a shape ("body" when the type is left out), or None for a free shape."""
    application = child(properties, "nvPr") if properties is not None else None
    placeholder = child(application, "ph") if application is not None else None
    if placeholder is None:
        return None
    return placeholder.get("type") or "body"

