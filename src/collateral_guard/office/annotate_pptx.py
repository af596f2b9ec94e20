"""A review copy of a PowerPoint deck: one slide comment per finding, on the slide it is on.

Findings that belong to no slide (properties, masters, custom XML) are listed in one comment on the
first slide. Comments are written in the classic format (ppt/comments), which PowerPoint and
LibreOffice both show; existing comments are kept.
"""

from __future__ import annotations

import posixpath
from datetime import datetime, timezone

from lxml import etree

from collateral_guard.findings import Finding
from collateral_guard.office.annotate_docx import AUTHOR, comment_text
from collateral_guard.office.cleaning import main_part
from collateral_guard.office.package_writer import PackageEdit
from collateral_guard.readers import read_document
from collateral_guard.readers.ooxml import local, relationship_id
from collateral_guard.readers.package import Package

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.presentationml."


def annotate_pptx(path: str, data: bytes, findings: list[Finding]) -> tuple[PackageEdit, int, int]:
    """The review copy's changes, the number of findings commented on their slide, and the number listed."""
    read_document(path, data)  # the same refusals as check
    package = Package(data)
    edit = PackageEdit(package, data)
    main = main_part(package, "ppt/presentation.xml")
    relations = package.relationships(main)
    slides = [relations[relationship_id(s)][1] for s in package.xml(main).iter()
              if local(s) == "sldId" and relationship_id(s) in relations]
    by_slide: dict[int, list[str]] = {}
    listed = []
    for finding in findings:
        number = finding.location.get("slide")
        if isinstance(number, int) and 1 <= number <= len(slides):
            by_slide.setdefault(number, []).append(comment_text(finding))
        else:
            listed.append(comment_text(finding))
    if listed and slides:
        count = f"{len(listed)} finding{'s' if len(listed) != 1 else ''}"
        by_slide.setdefault(1, []).insert(0, f"[collateral-guard] {count} not on a slide: " + " | ".join(listed))
    if by_slide:
        authors_part, author = _author(package, edit, main, relations)
        when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000")
        for number, texts in sorted(by_slide.items()):
            _comment_slide(package, edit, slides[number - 1], author, texts, when)
        edit.replace(authors_part, author.getparent())  # with the last comment index it gave out
    anchored = sum(len(t) for t in by_slide.values()) - (1 if listed and slides else 0)
    return edit, anchored, len(listed)


def _author(package: Package, edit: PackageEdit, main: str, relations: dict) -> tuple[str, object]:
    """collateral-guard's entry in the comment authors, added to the deck's list or to a new one."""
    name = next((t for _, (k, t, external) in relations.items() if k.endswith("/commentAuthors") and not external
                 and package.has(t)), None)
    if name is None:
        name = posixpath.join(posixpath.dirname(main), "commentAuthors.xml")
        edit.add_relationship(main, f"{REL}/commentAuthors", posixpath.basename(name))
        edit.add_override(name, TYPES + "commentAuthors+xml")
    authors = edit.current(name) if edit.exists(name) else etree.Element(f"{{{P}}}cmAuthorLst", nsmap={"p": P})
    ids = [int(a.get("id")) for a in authors if (a.get("id") or "").isdigit()]
    author = etree.SubElement(authors, f"{{{P}}}cmAuthor", id=str(max(ids, default=-1) + 1), name=AUTHOR,
                              initials="CG", lastIdx="0", clrIdx=str(len(ids) % 8))
    return name, author


def _comment_slide(package: Package, edit: PackageEdit, slide: str, author, texts: list[str], when: str) -> None:
    existing = next((t for _, (k, t, external) in package.relationships(slide).items()
                     if k == f"{REL}/comments" and not external and package.has(t)), None)
    if existing:
        name, comments = existing, package.xml(existing)
    else:
        number = 1
        while edit.exists(f"ppt/comments/comment{number}.xml"):
            number += 1
        name, comments = f"ppt/comments/comment{number}.xml", etree.Element(f"{{{P}}}cmLst", nsmap={"p": P})
        edit.add_relationship(slide, f"{REL}/comments", posixpath.relpath(name, posixpath.dirname(slide)))
        edit.add_override(name, TYPES + "comments+xml")
    for offset, text in enumerate(texts):
        index = int(author.get("lastIdx")) + 1
        author.set("lastIdx", str(index))
        comment = etree.SubElement(comments, f"{{{P}}}cm", authorId=author.get("id"), dt=when, idx=str(index))
        etree.SubElement(comment, f"{{{P}}}pos", x="10", y=str(10 + 100 * offset))
        etree.SubElement(comment, f"{{{P}}}text").text = text
    edit.replace(name, comments)
