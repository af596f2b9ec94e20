"""A PowerPoint deck made safe to send: comments, speaker notes (unless kept), hidden slides, hidden
and off-slide shapes removed, personal and revealing properties cleared, unbound custom XML removed.
Visible text is never edited.
"""

from __future__ import annotations

from collateral_guard.office.cleaning import CleanReport, clear_properties, main_part, remove_custom_xml
from collateral_guard.office.package_writer import PackageEdit
from collateral_guard.readers import read_document
from collateral_guard.readers.ooxml import attribute, child, local, relationship_id
from collateral_guard.readers.package import Package

KINDS = ("comments removed", "speaker notes removed", "hidden slides removed", "hidden shapes removed",
         "off-slide shapes removed", "properties cleared", "custom XML parts removed")
COMMENTS = ("comments", "commentAuthors", "authors")  # legacy and modern (2018) comment parts
SHAPES = ("sp", "pic", "grpSp", "graphicFrame", "cxnSp", "contentPart")
LINKS = ("hlinkClick", "hlinkMouseOver", "hlinkHover")


def clean_pptx(path: str, data: bytes, keep_notes: bool = False) -> tuple[PackageEdit, CleanReport]:
    read_document(path, data)  # the same refusals as check
    package = Package(data)
    edit = PackageEdit(package, data)
    report = CleanReport(KINDS)
    main = main_part(package, "ppt/presentation.xml")
    presentation = package.xml(main)
    relations = package.relationships(main)
    size = child(presentation, "sldSz")
    width, height = (int(attribute(size, "cx") or 0), int(attribute(size, "cy") or 0)) if size is not None else (0, 0)
    slides = {rid: target for rid, (kind, target, external) in relations.items()
              if kind.endswith("/slide") and not external and package.has(target)}
    hidden = {rid for rid, target in slides.items() if (package.xml(target).get("show") or "1") in ("0", "false")}
    for rid in hidden:
        edit.remove(slides[rid])
        for _, (kind, target, external) in package.relationships(slides[rid]).items():
            if not external and kind.rpartition("/")[2] in ("notesSlide", *COMMENTS):
                edit.remove(target)
    report.counts["hidden slides removed"] = len(hidden)
    removed = {slides[rid].lower() for rid in hidden}
    for rid, target in slides.items():
        if rid not in hidden:
            _clean_slide(package, edit, target, (width, height), keep_notes, removed, report)
    for rid, (kind, target, external) in relations.items():
        if not external and kind.rpartition("/")[2] in COMMENTS[1:]:
            edit.remove(target)
    if hidden:
        _unlist_slides(presentation, hidden)
        edit.replace(main, presentation)
    clear_properties(package, edit, report, outline_changed=bool(hidden) or not keep_notes)
    remove_custom_xml(package, edit, set(), report)
    return edit, report


def _clean_slide(package: Package, edit: PackageEdit, name: str, size: tuple[int, int], keep_notes: bool,
                 removed_slides: set[str], report: CleanReport) -> None:
    dead_links = set()
    for rid, (kind, target, external) in package.relationships(name).items():
        kind = kind.rpartition("/")[2]
        if external or not package.has(target):
            continue
        if kind == "slide" and target.lower() in removed_slides:
            dead_links.add(rid)
        elif kind == "comments":
            report.counts["comments removed"] += sum(1 for c in package.xml(target) if local(c) in ("cm", "comment"))
            edit.remove(target)
        elif kind == "notesSlide" and not keep_notes:
            report.counts["speaker notes removed"] += 1
            edit.remove(target)
    slide = package.xml(name)
    tree = next((e for e in slide.iter() if local(e) == "spTree"), None)
    if tree is None:
        return
    removed = False
    for link in [e for e in slide.iter() if local(e) in LINKS and relationship_id(e) in dead_links]:
        link.getparent().remove(link)  # a jump to a removed slide: the text stays, the link goes
        removed = True
    for shape in [s for s in tree if local(s) in SHAPES]:
        properties = next((e for e in shape.iter() if local(e) == "cNvPr"), None)
        if properties is not None and (properties.get("hidden") or "") in ("1", "true"):
            report.counts["hidden shapes removed"] += 1
        elif _off_slide(shape, *size):
            report.counts["off-slide shapes removed"] += 1
        else:
            continue
        tree.remove(shape)
        removed = True
    if removed:
        edit.replace(name, slide)


def _off_slide(shape, width: int, height: int) -> bool:
    """Entirely outside the slide: on the pasteboard, where the deck's author parks things not meant to show."""
    properties = next((c for c in shape if local(c) in ("spPr", "grpSpPr", "xfrm")), None)
    transform = properties if properties is not None and local(properties) == "xfrm" else (
        child(properties, "xfrm") if properties is not None else None)
    offset = child(transform, "off") if transform is not None else None
    extent = child(transform, "ext") if transform is not None else None
    if offset is None or extent is None or not width or not height:
        return False  # placed by its layout: on the slide
    try:
        x, y = int(offset.get("x", 0)), int(offset.get("y", 0))
        cx, cy = int(extent.get("cx", 0)), int(extent.get("cy", 0))
    except ValueError:
        return False
    return x >= width or y >= height or x + cx <= 0 or y + cy <= 0


def _unlist_slides(presentation, removed: set[str]) -> None:
    """The removed slides leave the slide list and every custom show."""
    for element in list(presentation.iter()):
        if local(element) in ("sldId", "sld") and relationship_id(element) in removed:
            element.getparent().remove(element)
