"""A review copy of a Word document: one Word comment per finding, anchored on the matched text.

Runs are split where a match starts or ends inside them, so the comment covers exactly the match,
also when it spans several runs. Findings in places that cannot carry a comment of their own
(properties, headers and footers, notes, text boxes, hidden or deleted text, other comments) are
listed in one comment on the first paragraph. Existing comments are kept.
"""

from __future__ import annotations

import copy
import posixpath
from datetime import datetime, timezone

from lxml import etree

from collateral_guard.findings import Finding
from collateral_guard.office.package_writer import PackageEdit
from collateral_guard.readers.docx import DocxReader, attribute, child, local
from collateral_guard.readers.package import Package

AUTHOR = "collateral-guard"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
COMMENTS_TYPE = {False: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
                 True: "http://purl.oclc.org/ooxml/officeDocument/relationships/comments"}
COMMENTS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def annotate_docx(path: str, data: bytes, findings: list[Finding]) -> tuple[PackageEdit, int, int]:
    """The review copy's changes, the number of findings anchored on their text, and the number listed."""
    package = Package(data)
    reader = DocxReader(path, package, keep_sources=True)
    reader.read()
    main = reader.main_part
    # The body paragraphs the reader kept belong to this tree: edit the tree they sit in.
    first = next(iter(reader.sources.values()), None)
    document = first[0].getroottree().getroot() if first else package.xml(main)
    w = etree.QName(document).namespace
    comments = Comments(package, main, w)
    listed: list[Finding] = []
    anchored = 0
    for finding in findings:
        located = reader.sources.get(finding.line) if finding.part == "body" else None
        if located is None or finding.end_line != finding.line or not _anchor(w, comments, finding, *located):
            listed.append(finding)
        else:
            anchored += 1
    if listed:
        first = next((p for p in document.iter(f"{{{w}}}p")), None)
        if first is None:  # a body of pictures only: the review copy gets an empty paragraph to comment on
            first = etree.Element(f"{{{w}}}p")
            body = next(document.iter(f"{{{w}}}body"))
            body.insert(0, first)
        count = f"{len(listed)} finding{'s' if len(listed) != 1 else ''}"
        lines = [f"[collateral-guard] {count} in places that cannot carry a comment of their own:"]
        lines += [comment_text(f) for f in listed]
        cid = comments.add(lines)
        properties = child(first, "pPr")
        first.insert(first.index(properties) + 1 if properties is not None else 0, _marker(w, "commentRangeStart", cid))
        first.append(_marker(w, "commentRangeEnd", cid))
        first.append(_reference(w, cid))
    edit = PackageEdit(package, data)
    if anchored or listed:
        edit.replace(main, document)
        comments.save(edit)
    return edit, anchored, len(listed)


def comment_text(finding: Finding) -> str:
    """What the comment says; every field was masked by the engine when it holds a secret."""
    text = f"[{finding.rule}] {finding.message}"
    return text + (f" Suggestion: {finding.suggestion}" if finding.suggestion else "")


def _anchor(w: str, comments: Comments, finding: Finding, paragraph, sources: list[list]) -> bool:
    start, end = finding.column - 1, finding.end_column - 1
    length = sources[-1][0] + _length(sources[-1][1]) if sources else 0
    if not sources or not 0 <= start <= end <= length:
        return False
    cid = comments.add([comment_text(finding)])
    side, run = _boundary(sources, start)
    marker = _marker(w, "commentRangeStart", cid)
    run.addprevious(marker) if side == "before" else run.addnext(marker)
    side, run = _boundary(sources, end)
    if side == "before":
        run.addprevious(_marker(w, "commentRangeEnd", cid))
        run.addprevious(_reference(w, cid))
    else:
        run.addnext(_reference(w, cid))
        run.addnext(_marker(w, "commentRangeEnd", cid))
    return True


def _length(node) -> int:
    return len(node.text or "") if local(node) == "t" else 1


def _boundary(sources: list[list], offset: int) -> tuple[str, object]:
    """A place between runs at a text offset: ("before", run) or ("after", run), splitting as needed."""
    for index, (start, node) in enumerate(sources):
        if start <= offset < start + _length(node):
            if offset > start:  # inside a text element: cut it in two
                node = _split_text(node, offset - start)
                sources.insert(index + 1, [offset, node])
            return "before", _run_from(node)
    return "after", _run_until(sources[-1][1])


def _split_text(node, at: int):
    rest = etree.Element(node.tag)
    rest.text = node.text[at:]
    node.text = node.text[:at]
    for part in (node, rest):
        part.set(XML_SPACE, "preserve")
    node.addnext(rest)
    return rest


def _run_from(node):
    """The run that starts with ``node``: its own, or a new one split off after the content before it."""
    run = node.getparent()
    if all(local(c) == "rPr" for c in node.itersiblings(preceding=True)):
        return run
    return _split_run(run, node)


def _run_until(node):
    """The run that ends with ``node``."""
    run = node.getparent()
    following = node.getnext()
    if following is not None:
        _split_run(run, following)
    return run


def _split_run(run, first):
    """Move ``first`` and what follows it into a new run with the same formatting, right after ``run``."""
    new = etree.Element(run.tag)
    properties = child(run, "rPr")
    if properties is not None:
        new.append(copy.deepcopy(properties))
    for item in [first, *first.itersiblings()]:
        new.append(item)
    run.addnext(new)
    return new


def _marker(w: str, name: str, cid: int):
    element = etree.Element(f"{{{w}}}{name}")
    element.set(f"{{{w}}}id", str(cid))
    return element


def _reference(w: str, cid: int):
    run = etree.Element(f"{{{w}}}r")
    run.append(_marker(w, "commentReference", cid))
    return run


class Comments:
    """The comments part: the existing one, kept and appended to, or a new one."""

    def __init__(self, package: Package, main: str, w: str):
        self.package = package
        self.main = main
        self.w = w
        self.name = None
        for _, (kind, target, external) in package.relationships(main).items():
            if kind.endswith("/comments") and not external and package.has(target):
                self.name = target
        self.root = package.xml(self.name) if self.name else etree.Element(f"{{{w}}}comments", nsmap={"w": w})
        ids = [int(i) for i in (attribute(c, "id") for c in self.root) if i and i.lstrip("-").isdigit()]
        self.next_id = max(ids, default=-1) + 1
        self.date = datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, paragraphs: list[str]) -> int:
        w = self.w
        cid = self.next_id
        self.next_id += 1
        comment = etree.SubElement(self.root, f"{{{w}}}comment")
        for key, value in (("id", str(cid)), ("author", AUTHOR), ("date", self.date), ("initials", "CG")):
            comment.set(f"{{{w}}}{key}", value)
        for number, text in enumerate(paragraphs):
            paragraph = etree.SubElement(comment, f"{{{w}}}p")
            if number == 0:
                etree.SubElement(etree.SubElement(paragraph, f"{{{w}}}r"), f"{{{w}}}annotationRef")
            run = etree.SubElement(paragraph, f"{{{w}}}r")
            element = etree.SubElement(run, f"{{{w}}}t")
            element.text = _xml_safe(text)
            element.set(XML_SPACE, "preserve")
        return cid

    def save(self, edit: PackageEdit) -> None:
        if self.name:
            edit.replace(self.name, self.root)
            return
        folder = posixpath.dirname(self.main)
        self.name = posixpath.join(folder, "comments.xml")
        number = 1
        while self.package.has(self.name):
            self.name = posixpath.join(folder, f"comments{number}.xml")
            number += 1
        edit.replace(self.name, self.root)
        edit.add_relationship(self.main, COMMENTS_TYPE[self.w == STRICT_W], posixpath.basename(self.name))
        edit.add_override(self.name, COMMENTS_CONTENT_TYPE)


def _xml_safe(text: str) -> str:
    """Control characters a finding may quote cannot appear in XML."""
    return "".join(c if c in "\t\n\r" or c >= " " else " " for c in text)
