"""An Excel workbook made safe to send: comments and notes, hidden sheets that no formula reads,
personal and revealing properties (and the path the file was saved from) removed, unbound custom XML
removed. Hidden rows and columns are reported, not deleted: deleting them would change formulas.
Cell values are never edited.
"""

from __future__ import annotations

import re

from collateral_guard.office.cleaning import CleanReport, clear_properties, main_part, remove_custom_xml
from collateral_guard.office.package_writer import PackageEdit
from collateral_guard.readers import read_document
from collateral_guard.readers.ooxml import attribute, local, relationship_id
from collateral_guard.readers.package import Package

KINDS = ("comments removed", "hidden sheets removed", "properties cleared", "custom XML parts removed")
COMMENTS = ("comments", "threadedComment")
VML_SHAPE = re.compile(rb"<(?:[\w.-]+:)?shape\b")  # not shapetype or shapelayout


def clean_xlsx(path: str, data: bytes) -> tuple[PackageEdit, CleanReport]:
    read_document(path, data)  # the same refusals as check
    package = Package(data)
    edit = PackageEdit(package, data)
    report = CleanReport(KINDS)
    main = main_part(package, "xl/workbook.xml")
    workbook = package.xml(main)
    relations = package.relationships(main)
    sheets = [s for s in workbook.iter() if local(s) == "sheet"]
    targets = {relationship_id(s): relations[relationship_id(s)][1] for s in sheets
               if relationship_id(s) in relations and package.has(relations[relationship_id(s)][1])}
    hidden = [s for s in sheets if (s.get("state") or "visible") != "visible" and relationship_id(s) in targets]
    removable = [s for s in hidden if not _read_elsewhere(package, workbook, sheets, s, targets)]
    for sheet in hidden:
        if sheet not in removable:
            report.notes.append(f"hidden sheet '{sheet.get('name')}' is kept: formulas or charts read it "
                                "(review it in Excel, or copy the values it feeds)")
    removed_parts = set()
    for sheet in removable:
        removed_parts |= _remove_with_dependents(package, edit, targets[relationship_id(sheet)])
    if removable:
        _unlist_sheets(workbook, sheets, removable)
        for _, (kind, target, external) in relations.items():
            if kind.endswith("/calcChain") and not external:
                edit.remove(target)  # it lists cells by sheet index; Excel rebuilds it
    report.counts["hidden sheets removed"] = len(removable)
    for sheet in sheets:
        if sheet not in removable and relationship_id(sheet) in targets:
            _clean_sheet(package, edit, sheet.get("name") or "", targets[relationship_id(sheet)], report)
    for _, (kind, target, external) in relations.items():
        if kind.endswith("/person") and not external:
            edit.remove(target)  # the names of everyone who commented
        elif kind.endswith("/sharedStrings") and not external and removable and package.has(target):
            _drop_unused_strings(edit, target, [targets[relationship_id(s)] for s in sheets
                                                if s not in removable and relationship_id(s) in targets])
    paths = [e for e in workbook.iter() if local(e) == "absPath"]
    for element in paths:
        holder = next((a for a in element.iterancestors() if local(a) == "AlternateContent"), element)
        holder.getparent().remove(holder)
    if removable or paths:
        edit.replace(main, workbook)
    clear_properties(package, edit, report, outline_changed=bool(removable))
    if paths:
        report.properties.append("File Location")
        report.counts["properties cleared"] += 1
    remove_custom_xml(package, edit, set(), report)
    return edit, report


def _read_elsewhere(package: Package, workbook, sheets: list, sheet, targets: dict) -> bool:
    """Whether anything but the sheet itself refers to it: formulas, names, charts, validations, pivots."""
    name = sheet.get("name") or ""
    quoted = re.escape(name.replace("'", "''"))
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}!|'{quoted}'!|&apos;{quoted}&apos;!|sheet=\"{re.escape(name)}\"")
    index = sheets.index(sheet)
    for element in workbook.iter():
        if local(element) == "definedName" and element.get("localSheetId") != str(index) \
                and pattern.search(element.text or ""):
            return True
    own = targets[relationship_id(sheet)].lower()
    for key, info in package.members.items():
        if key == own or not key.endswith(".xml") or key == "xl/workbook.xml" or key.startswith("docprops/"):
            continue
        if pattern.search(package.read(info.filename).decode("utf-8", "replace")):
            return True
    return False


def _remove_with_dependents(package: Package, edit: PackageEdit, name: str) -> set[str]:
    """A part, and the parts only it leads to (its comments, drawings, charts, tables...)."""
    referrers: dict[str, set[str]] = {}
    for key, info in package.members.items():
        if key.endswith(".rels"):
            source = key.replace("_rels/", "")[:-len(".rels")]
            for _, (_, target, external) in package.relationships(package.members[source].filename
                                                                  if source in package.members else source).items():
                if not external:
                    referrers.setdefault(target.lower(), set()).add(source)
    removed, pending = set(), [name]
    while pending:
        part = pending.pop()
        if part.lower() in removed or not package.has(part):
            continue
        removed.add(part.lower())
        edit.remove(part)
        for _, (_, target, external) in package.relationships(part).items():
            if not external and referrers.get(target.lower(), set()) <= removed:
                pending.append(target)
    return removed


def _unlist_sheets(workbook, sheets: list, removed: list) -> None:
    """Remove the sheets from the list, and renumber what refers to sheets by position."""
    positions = sorted((sheets.index(s) for s in removed), reverse=True)
    for sheet in removed:
        sheet.getparent().remove(sheet)

    def shifted(value: str | None) -> str | None:
        if value is None or not value.isdigit():
            return value
        number = int(value)
        return str(number - sum(1 for p in positions if p < number))

    for element in list(workbook.iter()):
        if local(element) == "definedName" and element.get("localSheetId") is not None:
            if element.get("localSheetId").isdigit() and int(element.get("localSheetId")) in positions:
                element.getparent().remove(element)  # a print area or filter of a removed sheet
            else:
                element.set("localSheetId", shifted(element.get("localSheetId")))
        elif local(element) == "workbookView":
            for key in ("activeTab", "firstSheet"):
                if element.get(key) is not None:
                    element.set(key, "0" if int(element.get(key) or 0) in positions else shifted(element.get(key)))
    names = next((e for e in workbook.iter() if local(e) == "definedNames"), None)
    if names is not None and len(names) == 0:
        names.getparent().remove(names)


def _clean_sheet(package: Package, edit: PackageEdit, title: str, name: str, report: CleanReport) -> None:
    relations = package.relationships(name)
    notes = [(rid, target) for rid, (kind, target, external) in relations.items()
             if not external and kind.rpartition("/")[2] in COMMENTS and package.has(target)]
    drawings = {rid: target for rid, (kind, target, external) in relations.items()
                if not external and kind.endswith("/vmlDrawing") and package.has(target)}
    sheet = package.xml(name)
    changed = False
    if notes:
        legacy = [e for e in sheet if local(e) == "legacyDrawing" and relationship_id(e) in drawings]
        if all(_only_notes(package.read(drawings[relationship_id(e)])) for e in legacy):
            for element in legacy:
                edit.remove(drawings[relationship_id(element)])
                sheet.remove(element)
                changed = True
            counts = [0]  # Excel writes each threaded comment twice: threaded, and as a legacy note
            for _, target in notes:
                root = package.xml(target)
                counts.append(sum(1 for e in root.iter() if local(e) == "comment"
                                  or local(e) == "threadedComment" and e.get("parentId") is None))
                edit.remove(target)
            report.counts["comments removed"] += max(counts)
        else:
            report.notes.append(f"comments on sheet '{title}' are kept: its drawing also holds form controls "
                                "(delete them in Excel: Review > Delete)")
    rows = sum(1 for e in sheet.iter() if local(e) == "row" and (attribute(e, "hidden") or "") in ("1", "true"))
    columns = sum(int(e.get("max", 0)) - int(e.get("min", 0)) + 1 for e in sheet.iter()
                  if local(e) == "col" and (e.get("hidden") or "") in ("1", "true")
                  and e.get("max", "").isdigit() and e.get("min", "").isdigit())
    if rows or columns:
        counted = [f"{n} hidden {what}{'s' if n != 1 else ''}" for n, what in ((rows, "row"), (columns, "column")) if n]
        report.notes.append(f"sheet '{title}' keeps {' and '.join(counted)}: unhide and review them in Excel "
                            "(deleting them would change formulas)")
    if changed:
        edit.replace(name, sheet)


def _drop_unused_strings(edit: PackageEdit, name: str, sheets: list[str]) -> None:
    """The text of removed sheets stays in the shared strings unless the strings still used are renumbered."""
    roots = {sheet: edit.current(sheet) for sheet in sheets}
    cells = [(value, int(value.text)) for root in roots.values() for cell in root.iter()
             if local(cell) == "c" and cell.get("t") == "s"
             for value in cell if local(value) == "v" and (value.text or "").strip().isdigit()]
    table = edit.current(name)
    items = [e for e in table if local(e) == "si"]
    used = sorted({index for _, index in cells if index < len(items)})
    if len(used) == len(items):
        return
    number = {old: new for new, old in enumerate(used)}
    for index, item in enumerate(items):
        if index not in number:
            table.remove(item)
    for value, index in cells:
        value.text = str(number.get(index, index))
    table.set("uniqueCount", str(len(used)))
    if table.get("count") is not None:
        table.set("count", str(len(cells)))
    edit.replace(name, table)
    for sheet, root in roots.items():
        edit.replace(sheet, root)


def _only_notes(vml: bytes) -> bool:
    """Whether a legacy drawing holds nothing but the boxes of notes (it may also hold form controls)."""
    return len(VML_SHAPE.findall(vml)) == vml.count(b'ObjectType="Note"')
