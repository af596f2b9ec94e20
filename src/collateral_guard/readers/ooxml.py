"""What Word, PowerPoint and Excel packages share: element helpers, document properties, custom XML
parts and embedded objects.

Elements are matched by local name, which reads both transitional and strict OOXML.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter

from collateral_guard.readers import ReadError
from collateral_guard.readers.package import Package
from collateral_guard.segments import CUSTOM_XML, PROPERTY, TITLE, Segment

RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_RELATIONSHIP_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
CORE_PROPERTIES = {
    "title": "Title", "subject": "Subject", "creator": "Author", "keywords": "Keywords",
    "description": "Comments", "lastModifiedBy": "Last Modified By", "category": "Category",
    "contentStatus": "Status",
}
APP_PROPERTIES = {"Company": "Company", "Manager": "Manager", "Template": "Template",
                  "HyperlinkBase": "Hyperlink Base"}
# Embedded Office files read with their own reader, and what a person calls them.
EMBEDDED_KINDS = {
    ".docx": "document", ".docm": "document", ".pptx": "presentation", ".pptm": "presentation",
    ".xlsx": "workbook", ".xlsm": "workbook",
}
MAX_EMBEDDING_DEPTH = 3  # a workbook in a deck in a document; deeper nesting is only counted


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


def child(element, name: str):
    for item in element:
        if local(item) == name:
            return item
    return None


def text_of(element) -> str:
    """The text of every DrawingML/SpreadsheetML text element (a:t, t) under ``element``."""
    return "".join(item.text or "" for item in element.iter() if local(item) == "t")


def graphic_texts(root) -> list[str]:
    """The texts of a chart or SmartArt part, in order: rich-text paragraphs (a chart or axis title,
    a SmartArt node), then as they come, the cached series names and category labels."""
    texts = []
    for element in root.iter():
        name = local(element)
        if name == "p":
            texts.append(text_of(element))
        elif name == "v" and element.getparent() is not None and local(element.getparent()) == "pt" \
                and _in_string_cache(element):
            texts.append(element.text or "")
    return texts


def _in_string_cache(element) -> bool:
    ancestor = element.getparent()
    while ancestor is not None:
        if local(ancestor) == "strCache":
            return True
        ancestor = ancestor.getparent()
    return False


def main_part(package: Package, fallback: str, noun: str, what: str) -> str:
    """The package's main part, found through its root relationships."""
    for kind, target, external in package.relationships("").values():
        if kind.endswith("/officeDocument") and not external and package.has(target):
            return target
    if package.has(fallback):
        return fallback
    raise ReadError(f"missing main {noun} part ({fallback}): not {what}")


def related(package: Package, relations: dict, suffix: str) -> list[tuple[str, str]]:
    """(rId, part name) of the internal parts of one relationship type that exist in the package."""
    return [(rid, target) for rid, (kind, target, external) in relations.items()
            if kind.endswith("/" + suffix) and not external and package.has(target)]


class Properties:
    """Document properties (core, app, custom) and custom XML parts, as segments of part ``properties``.

    ``line`` numbers the properties in the order they are read; the custom property
    ``customer`` is the tool's own directive, kept as ``customer`` instead.
    """

    def __init__(self, package: Package):
        self.segments: list[Segment] = []
        self.customer: str | None = None
        if package.has("docProps/core.xml"):
            for element in package.xml("docProps/core.xml"):
                label = CORE_PROPERTIES.get(local(element))
                if label:
                    self.add(label, element.text, TITLE if label == "Title" else PROPERTY)
        if package.has("docProps/app.xml"):
            for element in package.xml("docProps/app.xml"):
                label = APP_PROPERTIES.get(local(element))
                if label:
                    self.add(label, element.text)
        if package.has("docProps/custom.xml"):
            for element in package.xml("docProps/custom.xml"):
                name = element.get("name")
                if local(element) != "property" or not name:
                    continue
                value = " ".join(t.strip() for t in element.itertext() if t.strip())
                if name.strip().lower() == "customer":
                    self.customer = value
                    continue
                self.add(f"Custom: {name}", value)

    def add(self, label: str, value: str | None, scope: str = PROPERTY) -> None:
        value = (value or "").strip()
        if value:
            self.segments.append(Segment(value, scope, [(0, len(self.segments) + 1, 1)], part="properties",
                                         location=f"document property {label}", label=label))


def custom_xml(package: Package) -> list[Segment]:
    segments = []
    for name, info in sorted(package.members.items()):
        if re.fullmatch(r"customxml/item\d+\.xml", name):
            root = package.xml(info.filename)
            value = " ".join(t.strip() for t in root.itertext() if t and t.strip())
            if value:
                segments.append(Segment(value, CUSTOM_XML, [(0, 1, 1)], part="custom-xml",
                                        location=f"custom XML part {info.filename}"))
    return segments


def embedded_objects(package: Package, places: dict[str, str], max_cells: int, depth: int
                     ) -> tuple[list[Segment], list[str]]:
    """The segments of Office files embedded in the package, and notes on what could not be read.

    ``places`` maps an embedded part's name to where a person finds it ("slide 3").
    An embedded file's segments keep their scope and line; their part becomes
    ``embedded`` and their location says where the file sits and where inside it.
    """
    from collateral_guard.readers import read_document

    segments: list[Segment] = []
    notes: list[str] = []
    skipped: Counter = Counter()
    for key, info in sorted(package.members.items()):
        if posixpath.basename(key) == "vbaproject.bin":  # macros: code, not text a recipient reads
            notes.append(f"contains macros ({info.filename}): not checked")
            continue
        if "/embeddings/" not in f"/{key}" or key.endswith("/"):
            continue
        suffix = posixpath.splitext(key)[1]
        kind = EMBEDDED_KINDS.get(suffix)
        if kind is None:
            skipped["OLE object" if suffix == ".bin" else f"{suffix or 'unnamed'} object"] += 1
            continue
        name = posixpath.basename(info.filename)
        place = places.get(key)
        where = f"{place}, embedded {kind} '{name}'" if place else f"embedded {kind} '{name}'"
        if depth >= MAX_EMBEDDING_DEPTH:
            skipped[f"nested {kind}"] += 1
            continue
        try:
            inner = read_document(name, package.read(info.filename), max_cells=max_cells, depth=depth + 1)
        except ReadError as error:
            notes.append(f"{where} not checked: {error}")
            continue
        for segment in inner.segments:
            segment.location = f"{where}: {segment.location or segment.part}"
            segment.place = {"embedded": name, **({"in": place} if place else {}), "part": segment.part,
                             **(segment.place or {})}
            segment.part = "embedded"
            segments.append(segment)
        notes.extend(f"{where}: {note}" for note in inner.notes)
    if skipped:
        counts = ", ".join(f"{count} {what}{'s' if count > 1 else ''}" for what, count in sorted(skipped.items()))
        notes.append(f"embedded objects not checked (not Office files collateral-guard reads): {counts}")
    return segments, notes


def embedding_places(relations: dict, where: str, places: dict[str, str]) -> None:
    """Records where the embedded parts a part refers to sit (first place wins)."""
    for kind, target, external in relations.values():
        if not external and (kind.endswith("/package") or kind.endswith("/oleObject")):
            places.setdefault(target.lower(), where)
