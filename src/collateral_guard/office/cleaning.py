"""What cleaning any Office package shares: the report of what was removed, document properties,
custom XML parts, and relationships.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from collateral_guard.office.package_writer import PackageEdit, rels_name
from collateral_guard.readers import ReadError
from collateral_guard.readers.docx import attribute, local
from collateral_guard.readers.package import Package

CORE_CLEARED = {"creator": "Author", "lastModifiedBy": "Last Modified By", "revision": "Revision",
                "lastPrinted": "Last Printed"}
APP_CLEARED = {"Company": "Company", "Manager": "Manager", "Template": "Template",
               "HyperlinkBase": "Hyperlink Base", "TotalTime": "Total Editing Time"}
OUTLINE = {"TitlesOfParts", "HeadingPairs", "Slides", "HiddenSlides", "Notes"}
BIBLIOGRAPHY = "http://schemas.openxmlformats.org/officeDocument/2006/bibliography"


class CleanReport:
    """How many of each kind were removed; ``kinds`` gives the order they are reported in."""

    def __init__(self, kinds: tuple[str, ...]):
        self.kinds = kinds
        self.counts: Counter = Counter()
        self.properties: list[str] = []
        self.notes: list[str] = []  # what is left on purpose, and why

    def lines(self) -> list[str]:
        out = []
        for kind in self.kinds:
            count = self.counts[kind]
            if count:
                detail = f" ({', '.join(self.properties)})" if kind == "properties cleared" else ""
                out.append(f"{kind}: {count}{detail}")
        return out


def drop_relationship(package: Package, edit: PackageEdit, source: str, rid: str | None) -> None:
    name = rels_name(source)
    if not rid or not package.has(name):
        return
    root = package.xml(name)
    for relation in list(root):
        if relation.get("Id") == rid:
            root.remove(relation)
    edit.replace(name, root)


def main_part(package: Package, usual: str) -> str:
    for _, (kind, target, external) in package.relationships("").items():
        if kind.endswith("/officeDocument") and not external and package.has(target):
            return target
    if package.has(usual):
        return usual
    raise ReadError(f"missing main part ({usual})")


def clear_properties(package: Package, edit: PackageEdit, report: CleanReport, outline_changed: bool = False) -> None:
    """Personal and revealing properties. ``outline_changed``: slides or sheets were removed, so the
    lists of their titles and their counts in app.xml go too (they would still name what was removed)."""
    for name, cleared in (("docProps/core.xml", CORE_CLEARED), ("docProps/app.xml", APP_CLEARED)):
        if not package.has(name):
            continue
        root = package.xml(name)
        removed = [e for e in root if local(e) in cleared and (e.text or "").strip()]
        outline = [e for e in root if local(e) in OUTLINE] if outline_changed and name.endswith("app.xml") else []
        for element in [e for e in root if local(e) in cleared] + outline:
            root.remove(element)
        if removed or outline:
            report.properties.extend(cleared[local(e)] for e in removed)
            edit.replace(name, root)
    if package.has("docProps/custom.xml"):
        root = package.xml("docProps/custom.xml")
        removed = [e for e in root if local(e) == "property" and (e.get("name") or "").strip().lower() != "customer"]
        for element in removed:
            root.remove(element)
            report.properties.append(f"Custom: {element.get('name')}")
        if removed:
            edit.replace("docProps/custom.xml", root)
    report.counts["properties cleared"] = len(report.properties)


def remove_custom_xml(package: Package, edit: PackageEdit, bound: set, report: CleanReport) -> None:
    """Custom XML parts no content control is bound to (SharePoint and workflow metadata, leftovers)."""
    bound = {(b or "").strip("{}").lower() for b in bound}
    for key, info in sorted(package.members.items()):
        folder, _, base = key.rpartition("/")
        if folder != "customxml" or not base.startswith("item") or "props" in base or not base.endswith(".xml"):
            continue
        item = info.filename
        properties = [target for _, (kind, target, external) in package.relationships(item).items()
                      if kind.endswith("/customXmlProps") and not external and package.has(target)]
        store_ids = set()
        for target in properties:
            root = package.xml(target)
            store_ids.add((attribute(root, "itemID") or "").strip("{}").lower())
        if store_ids & bound or etree.QName(package.xml(item)).namespace == BIBLIOGRAPHY:
            continue
        for target in properties:
            edit.remove(target)
        edit.remove(item)
        report.counts["custom XML parts removed"] += 1
