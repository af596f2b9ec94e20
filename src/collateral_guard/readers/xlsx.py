"""XLSX reader: every text a workbook carries, including what Excel does not show.

Cell values (shared and inline strings, formula results) and formulas, notes and
threaded comments with their authors, hidden and very hidden sheets, hidden rows
and columns, defined names, headers and footers, data-validation prompts and
lists, hyperlink targets, text boxes, shapes, charts and SmartArt drawn on a
sheet and their alt text, document properties, custom XML parts and embedded
Office files.

Worksheets are streamed (iterparse, each row dropped once read), so memory
follows the number of cells with text, and reading stops at ``max_cells`` cells
with a note that says where.

Positions: ``line`` is the row number, ``column`` the character offset in the
cell's text plus one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

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
    FIELD_CODE,
    HIDDEN_TEXT,
    IMAGE_ALT,
    LINK_URL,
    PARAGRAPH,
    TABLE_CELL,
    Document,
    Segment,
)

CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")
RANGE_START = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)")
# Worksheet elements, in the transitional and the strict namespace: matched by tag, as they come per cell.
NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
              "http://purl.oclc.org/ooxml/spreadsheetml/main")
CELL, VALUE, FORMULA, INLINE_STRING, TEXT = (frozenset(f"{{{n}}}{name}" for n in NAMESPACES)
                                             for name in ("c", "v", "f", "is", "t"))
HEADERS_FOOTERS = {
    "oddHeader": ("header", "header"), "oddFooter": ("footer", "footer"),
    "evenHeader": ("header", "even-page header"), "evenFooter": ("footer", "even-page footer"),
    "firstHeader": ("header", "first-page header"), "firstFooter": ("footer", "first-page footer"),
}
# Header and footer codes: &"font,style", &12 (size), &KFF0000 (colour), &L &C &R (sections),
# &P &N &D &T &F &A &Z &G (fields), &B &I &U &E &S &X &Y &O &H (formatting).
HEADER_CODES = re.compile(r'&"[^"]*"|&\d+|&K[0-9A-Fa-f]{6}|&K\d\d[+-]\d{3}|&[LCRPNDTFAZGBIUESXYOH]')
THREADED_NOTE = "[Threaded comment]"  # the legacy note Excel writes beside a threaded comment
SHEET_TAGS = ("col", "row", "hyperlink", "dataValidation", *HEADERS_FOOTERS)
# Text read from one workbook's cells, whatever max-cells says: a 1 MB shared string
# referenced by a million cells must not become a terabyte of text.
MAX_TEXT_CHARS = 16_000_000
ROWS_DROPPED_TOGETHER = 1024  # emptied rows (a few hundred bytes each) are removed from the tree in batches
# What a person calls the objects drawn on a sheet (xdr:sp with txBox="1" is a text box).
DRAWN_OBJECTS = {"sp": "shape", "grpSp": "group", "pic": "picture", "graphicFrame": "chart", "cxnSp": "connector"}


def read_xlsx(path: str, data: bytes, max_cells: int, depth: int = 0) -> Document:
    return WorkbookReader(path, Package(data, "XLSX"), max_cells, depth).read()


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class CellPlace(Mapping):
    """{"sheet": name, "cell": "C14"} for JSON `location`, in a fifth of a dict's memory: one per cell.

    ``grid`` gives the cell's row and column numbers, so that a rule reading a sheet as a
    table never parses references itself.
    """

    __slots__ = ("sheet", "cell")

    def __init__(self, sheet: str, cell: str):
        self.sheet, self.cell = sheet, cell

    def __getitem__(self, key: str) -> str:
        if key == "sheet":
            return self.sheet
        if key == "cell":
            return self.cell
        raise KeyError(key)

    # Rules ask every cell's place what it holds: answered here, not by Mapping's try/except.
    def __contains__(self, key) -> bool:
        return key == "sheet" or key == "cell"

    def get(self, key, default=None):
        if key == "sheet":
            return self.sheet
        return self.cell if key == "cell" else default

    def __iter__(self):
        return iter(("sheet", "cell"))

    @property
    def grid(self) -> tuple[int, int] | None:
        """(row, column) from the reference, "C14" -> (14, 3); None when it is not a cell reference."""
        match = CELL_REFERENCE.fullmatch(self.cell)
        if match is None:
            return None
        letters = match.group(1)
        column = _COLUMNS.get(letters)
        if column is None:
            column = _COLUMNS[letters] = column_number(letters)  # at most 18,278 distinct letters
        return int(match.group(2)), column

    def __len__(self) -> int:
        return 2


@dataclass
class Sheet:
    name: str
    part: str
    hidden: str | None  # None, "hidden" or "very hidden"
    hidden_columns: set[int] = field(default_factory=set)
    label: str = ""  # "sheet 'Costs' (hidden)"

    def __post_init__(self):
        self.label = f"sheet '{self.name}'" + (f" ({self.hidden})" if self.hidden else "")


class WorkbookReader:
    def __init__(self, path: str, package: Package, max_cells: int, depth: int):
        self.path = path
        self.package = package
        self.max_cells = max_cells
        self.depth = depth
        self.cells = 0  # cells with text read so far, against max_cells
        self.chars = 0  # their characters, against MAX_TEXT_CHARS
        self.stopped: tuple[Sheet, str] | None = None  # the sheet and cell where reading stopped at the limit
        self.segments: list[Segment] = []
        self.notes: list[str] = []
        self.shared: list[str] = []
        self.persons: dict[str, str] = {}
        self.places: dict[str, str] = {}

    def read(self) -> Document:
        main = main_part(self.package, "xl/workbook.xml", "workbook", "an Excel workbook")
        root = self.package.xml(main)
        relations = self.package.relationships(main)
        for _, target in related(self.package, relations, "sharedStrings"):
            self._read_shared_strings(target)
        for _, target in related(self.package, relations, "person"):
            for person in self.package.xml(target):
                if local(person) == "person":
                    self.persons[person.get("id") or ""] = person.get("displayName") or "unknown author"
        sheets = []
        listing = child(root, "sheets")
        for item in listing if listing is not None else ():
            rid = relationship_id(item)
            if local(item) == "sheet" and rid in relations and self.package.has(relations[rid][1]):
                state = (item.get("state") or "visible").lower()
                hidden = {"hidden": "hidden", "veryhidden": "very hidden"}.get(state)
                sheets.append(Sheet(item.get("name") or relations[rid][1], relations[rid][1], hidden))
        for sheet in sheets:
            self._read_sheet(sheet)
        if self.stopped:
            sheet, cell = self.stopped
            rest = [s.label for s in sheets[sheets.index(sheet) + 1:]]
            limit = (f"the cell limit ({self.max_cells:,} cells with text, max-cells in the configuration)"
                     if self.cells >= self.max_cells else f"the text limit ({MAX_TEXT_CHARS:,} characters)")
            self.notes.insert(0, f"stopped reading at {limit}: {sheet.label} from cell {cell}"
                                 + (f" and {', '.join(rest)}" if rest else "") + " not checked")
        self._read_defined_names(root)
        properties = Properties(self.package)
        self.segments.extend(properties.segments)
        self.segments.extend(custom_xml(self.package))
        embedded, notes = embedded_objects(self.package, self.places, self.max_cells, self.depth)
        self.segments.extend(embedded)
        return Document(self.path, self.segments, properties.customer,
                        "document property customer" if properties.customer else None, notes=self.notes + notes)

    def _read_shared_strings(self, part: str) -> None:
        for item in self.package.iterparse(part, ("si",)):
            self.shared.append(_string(item))
            _drop_read(item)

    # -- worksheets ---------------------------------------------------------------------
    def _read_sheet(self, sheet: Sheet) -> None:
        relations = self.package.relationships(sheet.part)
        embedding_places(relations, sheet.label, self.places)
        threaded = self._read_threaded_comments(sheet, relations)
        self._read_notes(sheet, relations, threaded)
        for _, target in related(self.package, relations, "drawing"):
            self._read_drawing(sheet, target)
        if self.stopped:
            return
        row_number = rows = 0
        for element in self.package.iterparse(sheet.part, SHEET_TAGS):
            name = _local(element.tag)
            if name == "row":  # read whole: a row holds at most 16,384 cells
                row_number = _int(element.get("r"), row_number + 1)
                stopped_at = self._read_row(sheet, element, row_number)
                element.clear()  # its cells
                rows += 1
                if rows % ROWS_DROPPED_TOGETHER == 0:  # and the emptied rows, in one step
                    parent = element.getparent()
                    del parent[:parent.index(element)]
                if stopped_at:
                    self.stopped = (sheet, stopped_at)
                    return
            elif name == "col" and (element.get("hidden") or "").lower() in ("1", "true"):
                first, last = _int(element.get("min"), 0), _int(element.get("max"), 0)
                sheet.hidden_columns.update(range(first, min(last, 16384) + 1))
            elif name in HEADERS_FOOTERS:
                self._read_header_footer(sheet, name, element.text or "")
            elif name == "dataValidation":
                self._read_validation(sheet, element)
            elif name == "hyperlink":
                self._read_hyperlink(sheet, element, relations)

    def _read_row(self, sheet: Sheet, row, number: int) -> str | None:
        """Reads a row's cells; the first cell left unread at the limit, if it was reached.

        Runs for every cell of a workbook, so it is written for speed: element tags are
        compared as strings, and a cell's own reference is trusted when it is short.
        """
        if sheet.hidden:
            row_part = ("hidden-sheet", HIDDEN_TEXT, "")
        elif (row.get("hidden") or "").lower() in ("1", "true"):
            row_part = ("hidden-row", HIDDEN_TEXT, " (hidden row)")
        else:
            row_part = ("cell", TABLE_CELL, "")
        anchors = [(0, number, 1)]  # shared by the row's segments: each cell's text starts its own column 1
        shared, count = self.shared, len(self.shared)
        label, hidden_columns, append = f"{sheet.label} cell ", sheet.hidden_columns, self.segments.append
        sheet_name, row_part_name, row_scope, row_suffix = sheet.name, *row_part
        # A cell may leave out its reference: it is then the one after the previous cell (whose column is
        # worked out only then: -1 means "known by its reference, `previous`").
        column, previous = 0, ""
        cells, chars, max_cells = self.cells, self.chars, self.max_cells  # locals: this loop runs per cell
        for cell in row:  # a row holds cells (and perhaps an extLst): cheaper than iterchildren's filter
            if cell.tag not in CELL:
                continue
            reference = cell.get("r") or ""
            if not hidden_columns and 0 < len(reference) <= 10 and reference.isalnum():
                column, previous = -1, reference
            else:
                if column < 0:
                    match = CELL_REFERENCE.fullmatch(previous)
                    column = column_number(match.group(1)) if match else 0
                match = CELL_REFERENCE.fullmatch(reference)
                column = column_number(match.group(1)) if match else column + 1
                reference = reference if match else f"{column_letters(column)}{number}"
            kind = cell.get("t")
            text, formula = "", None
            for item in (cell[0],) if len(cell) == 1 else cell:  # indexing is cheaper than an iterator
                tag = item.tag
                if tag in VALUE:
                    if kind == "s":
                        value = item.text
                        if value and value.isdigit():
                            index = int(value)
                            if index < count:
                                text = shared[index]
                    elif kind == "str":
                        text = item.text or ""
                elif tag in INLINE_STRING:
                    # One run, as Excel and most writers save it: its text, without _string's general walk.
                    first = item[0] if len(item) == 1 else None
                    text = first.text or "" if first is not None and first.tag in TEXT else _string(item)
                elif tag in FORMULA and item.text:
                    formula = item.text
            if not formula and (not text or text.isspace()):
                continue  # numbers, dates, booleans, empty cells
            if cells >= max_cells or chars >= MAX_TEXT_CHARS:
                self.cells, self.chars = cells, chars
                return reference
            cells += 1
            part, scope, suffix = row_part_name, row_scope, row_suffix
            if formula:
                chars += len(text) + len(formula)
                if hidden_columns and part == "cell" and column in hidden_columns:
                    part, scope, suffix = "hidden-column", HIDDEN_TEXT, " (hidden column)"
                where = label + reference + suffix
                if text and not text.isspace():
                    append(Segment(text, scope, anchors, part, where, None, (), (), (),
                                   CellPlace(sheet_name, reference)))
                append(Segment("=" + formula, FIELD_CODE, anchors, part, where + ", formula", None, (), (), (),
                               {"sheet": sheet_name, "cell": reference, "formula": True}))
                continue
            chars += len(text)
            if hidden_columns and part == "cell" and column in hidden_columns:
                part, scope, suffix = "hidden-column", HIDDEN_TEXT, " (hidden column)"
            # Positional: a keyword argument costs a third of building the segment.
            append(Segment(text, scope, anchors, part, label + reference + suffix, None, (), (), (),
                           CellPlace(sheet_name, reference)))
        self.cells, self.chars = cells, chars
        return None

    def _read_header_footer(self, sheet: Sheet, name: str, raw: str) -> None:
        part, what = HEADERS_FOOTERS[name]
        text = " ".join(HEADER_CODES.sub(" ", raw.replace("&&", "\x01")).replace("\x01", "&").split())
        self._add(text, PARAGRAPH, part, 1, f"{sheet.label} {what}", {"sheet": sheet.name, part: what})

    def _read_validation(self, sheet: Sheet, validation) -> None:
        cells = (validation.get("sqref") or "").split()
        match = RANGE_START.match(cells[0]) if cells else None
        row = int(match.group(2)) if match else 1
        where = f"{sheet.label} cells {' '.join(cells) or '?'}, data validation"
        info = {"sheet": sheet.name, "cells": " ".join(cells), "data-validation": True}
        for key, what in (("promptTitle", "prompt title"), ("prompt", "prompt"), ("errorTitle", "error title"),
                          ("error", "error message")):
            self._add(validation.get(key) or "", PARAGRAPH, "cell", row, f"{where} {what}", info)
        for item in validation:
            if local(item) == "formula1" and (item.text or "").startswith('"'):  # a list of allowed values
                self._add(item.text.strip('"'), TABLE_CELL, "cell", row, f"{where} list", info)

    def _read_hyperlink(self, sheet: Sheet, link, relations: dict) -> None:
        reference = link.get("ref") or ""
        match = RANGE_START.match(reference)
        row = int(match.group(2)) if match else 1
        where = f"{sheet.label} cell {reference}"
        info = {"sheet": sheet.name, "cell": reference}
        rid = relationship_id(link)
        if rid in relations and relations[rid][2]:
            self._add(relations[rid][1], LINK_URL, "link", row, f"{where}, link", info)
        self._add(link.get("tooltip") or "", PARAGRAPH, "link", row, f"{where}, link tooltip", info)

    # -- notes and comments -------------------------------------------------------------
    def _read_threaded_comments(self, sheet: Sheet, relations: dict) -> set[str]:
        cells = set()
        for _, target in related(self.package, relations, "threadedComment"):
            for comment in self.package.xml(target):
                if local(comment) != "threadedComment":
                    continue
                reference = comment.get("ref") or ""
                cells.add(reference.upper())
                author = self.persons.get(comment.get("personId") or "", "unknown author")
                body = child(comment, "text")
                self._add(body.text or "" if body is not None else "", COMMENT, "comment", _row(reference),
                          f"comment on {sheet.label} cell {reference} by {author}",
                          {"sheet": sheet.name, "cell": reference, "comment": author})
        return cells

    def _read_notes(self, sheet: Sheet, relations: dict, threaded: set[str]) -> None:
        for _, target in related(self.package, relations, "comments"):
            root = self.package.xml(target)
            authors_list = child(root, "authors")
            authors = [a.text or "unknown author" for a in authors_list] if authors_list is not None else []
            notes = child(root, "commentList")
            for note in notes if notes is not None else ():
                reference = note.get("ref") or ""
                body = child(note, "text")
                text = text_of(body) if body is not None else ""
                if reference.upper() in threaded and text.lstrip().startswith(THREADED_NOTE):
                    continue  # the copy of a threaded comment, already read
                author_id = _int(attribute(note, "authorId"), -1)
                author = authors[author_id] if 0 <= author_id < len(authors) else "unknown author"
                self._add(text, COMMENT, "note", _row(reference),
                          f"note on {sheet.label} cell {reference} by {author}",
                          {"sheet": sheet.name, "cell": reference, "note": author})

    # -- drawings: text boxes, shapes, pictures and charts placed on a sheet --------------------
    def _read_drawing(self, sheet: Sheet, part: str) -> None:
        relations = self.package.relationships(part)
        embedding_places(relations, sheet.label, self.places)
        for anchor in self.package.xml(part):
            start = child(anchor, "from")
            row, column = (_int(child(start, name).text if child(start, name) is not None else None, 0)
                           for name in ("row", "col")) if start is not None else (0, 0)
            cell = f"{column_letters(column + 1)}{row + 1}" if start is not None else ""
            for item in anchor:
                if local(item) == "AlternateContent":  # a newer shape, with a fallback copy: the first choice
                    choice = child(item, "Choice")
                    item = next((c for c in choice if local(c) in DRAWN_OBJECTS), None) if choice is not None \
                        else None
                if item is not None and local(item) in DRAWN_OBJECTS:
                    self._read_drawn(sheet, item, row + 1, cell, relations, hidden=False)

    def _read_drawn(self, sheet: Sheet, item, line: int, cell: str, relations: dict, hidden: bool) -> None:
        """One object; the text of a shape is a segment per paragraph, columns counted from its start."""
        kind = local(item)
        properties = next((c for c in item if local(c).startswith("nv")), None)
        info = child(properties, "cNvPr") if properties is not None else None
        name = (info.get("name") if info is not None else None) or DRAWN_OBJECTS[kind]
        text_box = properties is not None and any((c.get("txBox") or "") in ("1", "true") for c in properties)
        # A graphic frame holds a chart or a SmartArt diagram (dgm:relIds, its text in the diagram's data part).
        diagrams = list(item.iter("{*}relIds")) if kind == "graphicFrame" else []
        what = "text box" if text_box else "SmartArt" if diagrams else DRAWN_OBJECTS[kind]
        hidden = hidden or (info is not None and (info.get("hidden") or "").lower() in ("1", "true"))
        where = f"{sheet.label} {what} '{name}'" + (f" at {cell}" if cell else "") + \
            (" (hidden)" if hidden and not sheet.hidden else "")
        part, scope = ("hidden-sheet", HIDDEN_TEXT) if sheet.hidden else \
            ("hidden-shape", HIDDEN_TEXT) if hidden else ("drawing", PARAGRAPH)
        place = {"sheet": sheet.name, what.lower().replace(" ", "-"): name, **({"anchor": cell} if cell else {})}
        for key in ("descr", "title") if info is not None else ():
            self._add(info.get(key) or "", IMAGE_ALT, "alt-text", line, f"{where}, alt text", place)
        # Click actions on the object, and on runs of its text (a group's members have their own).
        links = item.iter() if kind != "grpSp" else info if info is not None else ()
        for link in links:
            rid = relationship_id(link) if local(link) in ("hlinkClick", "hlinkHover") else None
            if rid in relations and relations[rid][2]:
                self._add(relations[rid][1], LINK_URL, "link", line, f"{where}, link", place)
        if kind == "grpSp":
            for member in item:
                if local(member) in DRAWN_OBJECTS:
                    self._read_drawn(sheet, member, line, cell, relations, hidden)
            return
        if kind == "graphicFrame":
            for rid in [relationship_id(chart) for chart in item.iter("{*}chart")] + \
                       [attribute(diagram, "dm") for diagram in diagrams]:
                if rid in relations and not relations[rid][2] and self.package.has(relations[rid][1]):
                    self._add_texts(graphic_texts(self.package.xml(relations[rid][1])), scope, part, line, where,
                                    place)
            return
        body = child(item, "txBody")
        if body is not None:
            self._add_texts([text_of(p) for p in body if local(p) == "p"], scope, part, line, where, place)

    def _add_texts(self, texts: list[str], scope: str, part: str, line: int, location: str, info: dict) -> None:
        offset = 0
        for text in texts:
            if text.strip():
                self.segments.append(Segment(text, scope, [(0, line, offset + 1)], part=part, location=location,
                                             place=info))
            offset += len(text) + 1

    def _read_defined_names(self, root) -> None:
        names = child(root, "definedNames")
        for number, item in enumerate(names if names is not None else (), start=1):
            name = item.get("name") or ""
            if local(item) != "definedName" or name.startswith("_xlnm."):  # print areas, filters: ranges only
                continue
            where = f"defined name '{name}'" + (" (hidden)" if (item.get("hidden") or "") in ("1", "true") else "")
            info = {"defined-name": name}
            self._add(f"{name} = {item.text or ''}", FIELD_CODE, "defined-name", number, where, info)
            self._add(item.get("comment") or "", PARAGRAPH, "defined-name", number, f"{where}, comment", info)

    def _add(self, text: str, scope: str, part: str, line: int, location: str, info: dict) -> None:
        if text.strip():
            self.segments.append(Segment(text, scope, [(0, line, 1)], part=part, location=location, place=info))


_LOCAL_NAMES: dict[str, str] = {}
_COLUMNS: dict[str, int] = {}  # column letters -> number, for CellPlace.grid


def _local(tag) -> str:
    """``local`` for the few tags of a worksheet, cached: it runs for every cell."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2] if isinstance(tag, str) else ""
    return name


def _string(item) -> str:
    """The text of a shared or inline string; phonetic guides (rPh) repeat it in another script."""
    if len(item) == 1:
        first = item[0]
        if first.tag in TEXT:
            return first.text or ""
    return "".join(t.text or "" for t in item.iter() if _local(t.tag) == "t" and _local(t.getparent().tag) != "rPh")


def _drop_read(element) -> None:
    """Frees an element once read (a row, a shared string), and the emptied ones before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _row(reference: str) -> int:
    match = RANGE_START.match(reference)
    return int(match.group(2)) if match else 1
