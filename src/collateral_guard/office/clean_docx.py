"""A Word document made safe to send, as Inspect Document's "Remove All" would: comments removed,
tracked changes accepted, hidden text removed, personal and revealing properties cleared, document
variables, unbound custom XML and revision identifiers (w:rsid) removed. Visible text is never edited.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from collateral_guard.office.cleaning import CleanReport, clear_properties, drop_relationship, remove_custom_xml
from collateral_guard.office.package_writer import PackageEdit
from collateral_guard.readers.docx import DocxReader, attribute, child, is_on, local
from collateral_guard.readers.package import Package

STORIES = ("header", "footer", "footnotes", "endnotes")
COMMENT_PARTS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible", "people")
ACCEPTED_FORMATTING = {"rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
                       "tblGridChange", "tblPrExChange", "numberingChange"}
RANGE_MARKS = {"moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
                        "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
                        "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd"}
STORY_MARKS = {"commentRangeStart", "commentRangeEnd", "commentReference", "del", "moveFrom", "ins", "moveTo",
               "cellDel", "cellIns", "cellMerge"} | ACCEPTED_FORMATTING | RANGE_MARKS
# Text-bearing run children; a hidden run that also holds field characters keeps them.
RUN_TEXT = {"t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "sym", "drawing", "pict", "object"}
# Kinds, in the order they are reported.
KINDS = ("comments removed", "tracked insertions accepted", "tracked deletions removed",
         "formatting changes accepted", "hidden text runs removed", "hidden paragraphs removed", "properties cleared",
         "document variables removed", "custom XML parts removed", "attached template removed",
         "revision identifiers removed")


def clean_docx(path: str, data: bytes) -> tuple[PackageEdit, CleanReport]:
    """The changes that clean ``data``; raises ReadError as `check` would for a file it cannot read."""
    package = Package(data)
    reader = DocxReader(path, package)
    reader.read()  # the same refusals as check, and the styles that hide text
    edit = PackageEdit(package, data)
    report = CleanReport(KINDS)
    main = reader.main_part
    relations = package.relationships(main)
    stories = [main] + [target for _, (kind, target, external) in sorted(relations.items())
                        if not external and kind.rpartition("/")[2] in STORIES and package.has(target)]
    bound = set()
    for name in dict.fromkeys(stories):
        root = package.xml(name)
        bound |= {attribute(e, "storeItemID") for e in root.iter(_w(root) + "dataBinding")}
        if _clean_story(root, reader.hidden_styles, report):
            edit.replace(name, root)
    for _, (kind, target, external) in relations.items():
        kind = kind.rpartition("/")[2]
        if kind in COMMENT_PARTS and not external and package.has(target):
            if kind == "comments":
                report.counts["comments removed"] += sum(1 for c in package.xml(target) if local(c) == "comment")
            edit.remove(target)
        elif kind == "settings" and not external and package.has(target):
            _clean_settings(package, edit, target, report)
        elif kind == "styles" and not external and package.has(target):
            root = package.xml(target)
            if _drop_rsids(root, report):
                edit.replace(target, root)
    clear_properties(package, edit, report)
    remove_custom_xml(package, edit, bound, report)
    return edit, report


# -- the text of a story (body, header, footer, notes) ------------------------------------
def _w(root) -> str:
    """The WordprocessingML namespace of a part ({...} prefix): transitional or strict."""
    return "{%s}" % etree.QName(root).namespace


def _clean_story(root, hidden_styles: set[str], report: CleanReport) -> bool:
    """Clean one story in place; whether anything changed. Elements are found by tag, in C, not one by one."""
    counts = report.counts
    w = _w(root)
    marked = list(root.iter(*(w + name for name in STORY_MARKS)))
    for element in marked:
        name = element.tag[len(w):]
        parent = element.getparent()
        if parent is None or not _attached(element, root):  # inside something already removed
            continue
        parent_name = local(parent)
        if name in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            _remove(element)
        elif name in ("del", "moveFrom"):
            if parent_name == "trPr":  # a deleted table row; a table left without rows goes too
                row = parent.getparent()
                table = row.getparent() if row is not None else None
                if table is not None:
                    _remove(row)
                    if not any(local(r) == "tr" for r in table) and _removable(table):
                        _remove(table)
            elif parent_name != "rPr":  # rPr: a deleted paragraph mark, merged below
                _remove(element)
            counts["tracked deletions removed"] += 1
        elif name in ("ins", "moveTo"):
            if parent_name in ("rPr", "trPr"):
                _remove(element)
            else:
                _unwrap(element)
            counts["tracked insertions accepted"] += 1
        elif name == "cellDel":
            cell = parent.getparent()
            if cell is not None and cell.getparent() is not None:
                _remove(cell)
            counts["tracked deletions removed"] += 1
        elif name in ("cellIns", "cellMerge"):
            _remove(element)
            counts["tracked insertions accepted"] += 1
        elif name in ACCEPTED_FORMATTING:
            _remove(element)
            counts["formatting changes accepted"] += 1
        else:  # move and custom XML range marks
            _remove(element)
    merged = _merge_deleted_paragraph_marks(root, w)
    hidden = _remove_hidden_text(root, w, hidden_styles, counts)
    rsids = _drop_rsids(root, report)
    return bool(marked) or merged or hidden or rsids


def _attached(element, root) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return False


def _remove(element) -> None:
    parent = element.getparent()
    _keep_tail(element)
    parent.remove(element)
    if local(parent) == "r" and all(local(c) == "rPr" for c in parent) and parent.getparent() is not None:
        parent.getparent().remove(parent)  # a run left with nothing but its formatting


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    _keep_tail(element)
    for offset, item in enumerate(list(element)):
        parent.insert(index + offset, item)
    parent.remove(element)


def _keep_tail(element) -> None:
    """Whitespace after an element belongs to its parent's layout, not to the element."""
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent = element.getparent()
            parent.text = (parent.text or "") + element.tail


def _merge_deleted_paragraph_marks(root, w: str) -> bool:
    """A deleted paragraph mark joins its paragraph to the next one (last first, so chains join whole).

    A mark that ends a section keeps its paragraph: joining would drop the section's layout."""
    marked = [p for p in root.iter(w + "p") if _deleted_mark(p) is not None]
    for paragraph in reversed(marked):
        mark = _deleted_mark(paragraph)
        mark.getparent().remove(mark)
        following = paragraph.getnext()
        if following is None or local(following) != "p" or _ends_section(paragraph):
            continue
        properties = child(following, "pPr")
        at = following.index(properties) + 1 if properties is not None else 0
        for offset, item in enumerate(c for c in list(paragraph) if local(c) != "pPr"):
            following.insert(at + offset, item)
        paragraph.getparent().remove(paragraph)
    return bool(marked)


def _deleted_mark(paragraph):
    return _mark_property(paragraph, "del") if _mark_property(paragraph, "del") is not None else _mark_property(
        paragraph, "moveFrom")


def _ends_section(paragraph) -> bool:
    properties = child(paragraph, "pPr")
    return properties is not None and child(properties, "sectPr") is not None


def _mark_property(paragraph, name: str):
    properties = child(paragraph, "pPr")
    mark = child(properties, "rPr") if properties is not None else None
    return child(mark, name) if mark is not None else None


def _remove_hidden_text(root, w: str, hidden_styles: set[str], counts: Counter) -> bool:
    before = counts["hidden text runs removed"] + counts["hidden paragraphs removed"]
    for paragraph in list(root.iter(w + "p")):
        properties = child(paragraph, "pPr")
        style = child(properties, "pStyle") if properties is not None else None
        styled_hidden = style is not None and attribute(style, "val") in hidden_styles
        for run in list(paragraph.iter(w + "r")):
            if _enclosing_paragraph(run) is not paragraph or not _run_hidden(run, styled_hidden, hidden_styles):
                continue
            if any(local(c) in ("fldChar", "instrText") for c in run):  # keep the field's structure
                for item in [c for c in run if local(c) in RUN_TEXT]:
                    run.remove(item)
            elif run.getparent() is not None:
                _keep_tail(run)
                run.getparent().remove(run)
            counts["hidden text runs removed"] += 1
        mark = _mark_property(paragraph, "vanish")
        mark_hidden = is_on(mark) if mark is not None else styled_hidden
        if mark_hidden and not _has_content(paragraph, w) and _removable(paragraph):
            _keep_tail(paragraph)
            paragraph.getparent().remove(paragraph)
            counts["hidden paragraphs removed"] += 1
    return counts["hidden text runs removed"] + counts["hidden paragraphs removed"] > before


def _enclosing_paragraph(run):
    for ancestor in run.iterancestors():
        if local(ancestor) == "p":
            return ancestor
    return None


def _run_hidden(run, styled_hidden: bool, hidden_styles: set[str]) -> bool:
    """As the reader decides it: direct w:vanish first, then a hidden character style, then the paragraph's."""
    properties = child(run, "rPr")
    if properties is not None:
        vanish = child(properties, "vanish")
        if vanish is not None:
            return is_on(vanish)
        style = child(properties, "rStyle")
        if style is not None and attribute(style, "val") in hidden_styles:
            return True
    return styled_hidden


def _has_content(paragraph, w: str) -> bool:
    return next(paragraph.iter(*(w + name for name in RUN_TEXT | {"fldChar", "fldSimple"})), None) is not None


def _removable(paragraph) -> bool:
    """Cells, comments and text boxes must keep a last paragraph; the body keeps its section properties."""
    parent = paragraph.getparent()
    if parent is None or local(paragraph) == "p" and _ends_section(paragraph):
        return False
    blocks = [s for s in parent if local(s) in ("p", "tbl")]
    if len(blocks) < 2:
        return False
    return local(parent) == "body" or blocks[-1] is not paragraph or local(blocks[-2]) == "p"


def _drop_rsids(root, report: CleanReport) -> bool:
    found = root.xpath("//@*[starts-with(local-name(), 'rsid')]")
    for value in found:
        del value.getparent().attrib[value.attrname]
    report.counts["revision identifiers removed"] += len(found)
    return bool(found)


# -- settings, properties, custom XML ---------------------------------------------------
def _clean_settings(package: Package, edit: PackageEdit, name: str, report: CleanReport) -> None:
    root = package.xml(name)
    changed = _drop_rsids(root, report)
    for element in list(root):
        kind = local(element)
        if kind == "rsids":
            report.counts["revision identifiers removed"] += len(element)
        elif kind == "docVars":
            report.counts["document variables removed"] += len(element)
        elif kind == "attachedTemplate":
            report.counts["attached template removed"] += 1
            drop_relationship(package, edit, name, attribute(element, "id"))
        else:
            continue
        root.remove(element)
        changed = True
    if changed:
        edit.replace(name, root)


