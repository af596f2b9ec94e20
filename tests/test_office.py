"""PPTX and XLSX: every part a recipient receives, exact parts and locations, limits and hostile files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from collateral_guard.config import Config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target
from conftest import PEAK_KIB, make_config, scan_text
from docx_builder import build_docx
from office_builder import (A, anchored, deck, drawing_xml, drawn_workbook, leaky_deck, leaky_workbook, rewrite,
                            with_drawing, with_threaded_comment, workbook)

REGISTRY = {
    "internal-domains": ["corp.northwind.io"],
    "customers": {
        "fabrikam": {"names": ["Fabrikam"], "domains": ["fabrikam.com"]},
        "contoso": {"names": ["Contoso"], "domains": ["contoso.com"]},
    },
}
PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
OLE_OBJECT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"


def scan(data: bytes, name: str, config=None, **kwargs):
    result = scan_text(data, name=name, config=config or make_config(REGISTRY), **kwargs)
    assert result.error is None, result.error
    return result


def summary(findings) -> list[tuple]:
    return sorted((f.rule, f.part, f.line, f.column, f.match) for f in findings)


@pytest.fixture(scope="module")
def deck_result():
    return scan(leaky_deck(), "pitch.pptx", customer="fabrikam")


@pytest.fixture(scope="module")
def workbook_result():
    return scan(leaky_workbook(), "questionnaire.xlsx")


# -- decks ---------------------------------------------------------------------------------

def test_every_part_of_a_deck_is_read(deck_result):
    assert summary(deck_result.findings) == sorted([
        ("other-customer", "slide", 1, 12, "Contoso"),
        ("internal-address", "link", 1, 40, "wiki.corp.northwind.io"),
        ("speaker-notes", "notes", 1, 1, "Offer the Contoso discount if they push back."),
        ("other-customer", "notes", 1, 11, "Contoso"),
        ("hidden-content", "off-slide", 1, 1, "Pricing: TBD"),
        ("draft-marker", "off-slide", 1, 10, "TBD"),
        ("hidden-content", "hidden-shape", 1, 1, "Internal use only"),
        ("internal-only-marking", "hidden-shape", 1, 1, "Internal use only"),
        ("draft-marker", "alt-text", 1, 1, "TODO"),
        ("internal-address", "link", 1, 1, "file://fs01.corp.northwind.io/bids/rates.xlsx"),
        ("hidden-content", "comment", 1, 1, "Reused from the Contoso deck"),
        ("other-customer", "comment", 1, 17, "Contoso"),
        ("hidden-content", "hidden-slide", 2, 1, "Contoso pricing history"),
        ("other-customer", "hidden-slide", 2, 1, "Contoso"),
        ("other-customer", "slide", 3, 5, "Contoso"),
        ("unsourced-superlative", "slide", 3, 1, "The most advanced"),
        ("other-customer", "slide", 3, 1, "Contoso"),
        ("internal-address", "slide", 3, 12, "go/roadmap"),
        ("hidden-content", "comment", 3, 1, "Check this slide with legal"),
        ("other-customer", "embedded", 1, 1, "Contoso"),
        ("internal-only-marking", "master", 1, 1, "Confidential – internal"),
        ("revealing-metadata", "properties", 1, 1, "Dana Whitfield"),
    ])


def test_deck_locations_a_person_can_find(deck_result):
    where = {(f.rule, f.part, f.line, f.column): f.message for f in deck_result.findings}
    assert where[("hidden-content", "hidden-slide", 2, 1)] == (
        "Text on a hidden slide: \"Contoso pricing history\" (slide 2 (hidden), shape 'Title 1')")
    assert where[("hidden-content", "off-slide", 1, 1)] == (
        "Text in a shape outside the slide area: \"Pricing: TBD\" (slide 1, shape 'TextBox 3' (outside the slide))")
    assert where[("hidden-content", "hidden-shape", 1, 1)].endswith("(slide 1, shape 'TextBox 4' (hidden))")
    assert where[("speaker-notes", "notes", 1, 1)] == (
        "Speaker notes travel with the deck: \"Offer the Contoso discount if they push back.\" "
        "(notes of slide 1, shape 'Notes Placeholder 2')")
    assert where[("hidden-content", "comment", 1, 1)].endswith("(comment on slide 1 by Dana Whitfield)")
    assert where[("hidden-content", "comment", 3, 1)].endswith("(comment on slide 3 by Priya Raman)")
    assert where[("other-customer", "slide", 3, 5)].endswith("(slide 3, table 'Table 2', row 2, cell 2)")
    assert where[("other-customer", "slide", 3, 1)].endswith("(slide 3, chart 'Chart 5')")
    assert where[("unsourced-superlative", "slide", 3, 1)].endswith("(slide 3, group 'Group 3', shape 'TextBox 4')")
    assert where[("internal-address", "slide", 3, 12)].endswith("(slide 3, SmartArt 'Diagram 1')")
    assert where[("draft-marker", "alt-text", 1, 1)].endswith("(slide 1, shape 'Picture 5', alt text)")
    assert where[("internal-address", "link", 1, 1)].endswith("(slide 1, shape 'TextBox 6', link)")
    assert where[("internal-only-marking", "master", 1, 1)].endswith("(slide master 1, shape 'Footer note')")
    assert where[("other-customer", "embedded", 1, 1)].endswith(
        "(slide 3, embedded workbook 'Microsoft_Excel_Worksheet1.xlsx': sheet 'Rates' cell A1)")
    assert deck_result.notes == []


def test_speaker_notes_are_a_warning_reported_once_per_slide():
    data = deck([{"title": "Pricing", "notes": "First point.\nSecond point."}, {"title": "Next"}])
    found = scan(data, "deck.pptx", select=("hidden-content",)).findings
    assert [(f.rule, f.severity, f.part, f.line, f.column) for f in found] == [
        ("speaker-notes", "warning", "notes", 1, 1)]


def test_deck_customer_comes_from_the_custom_property():
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
              'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="customer"><vt:lpwstr>contoso'
              '</vt:lpwstr></property></Properties>')
    data = rewrite(deck([{"title": "Fabrikam and Contoso"}]), {"docProps/custom.xml": custom}, {})
    found = scan(data, "deck.pptx", select=("nda",)).findings
    assert [(f.match, f.severity, f.line, f.column) for f in found] == [("Fabrikam", "error", 1, 1)]


# -- workbooks ------------------------------------------------------------------------------

def test_every_part_of_a_workbook_is_read(workbook_result):
    assert summary(workbook_result.findings) == sorted([
        ("service-promise", "cell", 2, 1, "We guarantee"),
        ("service-promise", "cell", 2, 14, "zero downtime"),
        ("hidden-content", "note", 2, 1, "Reused from the Contoso answers"),
        ("other-customer", "note", 2, 17, "Contoso"),
        ("draft-marker", "cell", 2, 8, "TBD"),
        ("hidden-content", "hidden-row", 3, 1, "Discount"),
        ("hidden-content", "hidden-row", 3, 1, "Floor price is 40% off list"),
        ("hidden-content", "hidden-column", 4, 1, "Contoso reference call"),
        ("other-customer", "hidden-column", 4, 1, "Contoso"),
        ("other-customer", "cell", 6, 9, "Contoso"),
        ("internal-address", "link", 7, 9, "intranet.corp.northwind.io"),
        ("internal-only-marking", "footer", 1, 1, "Internal use only"),
        ("hidden-content", "hidden-sheet", 1, 1, "Contoso margin 12%"),
        ("other-customer", "hidden-sheet", 1, 1, "Contoso"),
        ("hidden-content", "hidden-sheet", 2, 1, "Pricing: TBD"),
        ("draft-marker", "hidden-sheet", 2, 10, "TBD"),
        ("internal-address", "defined-name", 1, 14, "\\\\fs01.corp.northwind.io\\share"),
        ("other-customer", "defined-name", 1, 19, "Contoso"),
        ("revealing-metadata", "properties", 1, 1, "Dana Whitfield"),
    ])


def test_workbook_locations_a_person_can_find(workbook_result):
    where = {(f.rule, f.part, f.line, f.column): f.message for f in workbook_result.findings}
    assert where[("service-promise", "cell", 2, 1)].endswith("(sheet 'Security' cell B2)")
    assert where[("hidden-content", "note", 2, 1)] == (
        "Cell note still in the workbook: \"Reused from the Contoso answers\" "
        "(note on sheet 'Security' cell C2 by Dana)")
    assert where[("hidden-content", "hidden-column", 4, 1)].endswith("(sheet 'Security' cell D4 (hidden column))")
    assert where[("hidden-content", "hidden-sheet", 1, 1)] == (
        "Cell on a hidden sheet: \"Contoso margin 12%\" (sheet 'Costs' (hidden) cell A1)")
    assert where[("hidden-content", "hidden-sheet", 2, 1)].endswith("(sheet 'Legacy' (very hidden) cell B2)")
    assert where[("other-customer", "cell", 6, 9)].endswith("(sheet 'Security' cell B6, formula)")
    assert where[("draft-marker", "cell", 2, 8)].endswith("(sheet 'Security' cells C2:C40, data validation prompt)")
    assert where[("internal-address", "link", 7, 9)].endswith("(sheet 'Security' cell B7, link)")
    assert where[("internal-only-marking", "footer", 1, 1)].endswith("(sheet 'Security' footer)")
    assert where[("other-customer", "defined-name", 1, 19)].endswith("(defined name 'FloorRate', comment)")
    # The custom property `customer` = fabrikam: Contoso is another customer, an error.
    assert {f.severity for f in workbook_result.findings if f.rule == "other-customer"} == {"error"}


def test_threaded_comments_with_their_authors_and_no_duplicate_note():
    book = workbook({"Answers": {"A1": "Question", "B2": "Yes"}})
    data = with_threaded_comment(book, "xl/worksheets/sheet1.xml", "B2", "Sam Lee", "Confirm with Contoso first")
    legacy_copy = ('<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>'
                   '<author>tc={T1}</author></authors><commentList><comment ref="B2" authorId="0"><text><t>'
                   '[Threaded comment] Your version of Excel allows you to read this threaded comment. '
                   'Comment: Confirm with Contoso first</t></text></comment></commentList></comments>')
    data = rewrite(data, {"xl/comments1.xml": legacy_copy}, {"xl/worksheets/_rels/sheet1.xml.rels": (
        "rIdC1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments", "../comments1.xml")})
    found = scan(data, "answers.xlsx", customer="fabrikam", select=("hidden-content", "nda")).findings
    assert [(f.rule, f.part, f.line, f.column, f.message.rpartition(" (")[2]) for f in found] == [
        ("hidden-content", "comment", 2, 1, "comment on sheet 'Answers' cell B2 by Sam Lee)"),
        ("other-customer", "comment", 2, 14, "comment on sheet 'Answers' cell B2 by Sam Lee)"),
    ]


SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}'
         '</sheetData></worksheet>')
WORKBOOK = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
ROOT_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="xl/workbook.xml"/></Relationships>')


def raw_workbook(rows: str, **parts) -> bytes:
    """A workbook written by hand, as some producers write it (inline strings, cells without references)."""
    files = {"_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
             "xl/worksheets/sheet1.xml": SHEET.format(rows=rows), **parts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_inline_strings_and_cells_without_references():
    data = raw_workbook('<row r="4"><c t="inlineStr"><is><t>Ask</t></is></c>'
                        '<c t="inlineStr"><is><r><t>Con</t></r><r><t>toso</t></r></is></c>'
                        '<c t="str"><f>A4&amp;"x"</f><v>Pricing: TBD</v></c><c><v>12</v></c></row>')
    found = scan(data, "data.xlsx", customer="fabrikam", select=("nda", "placeholder")).findings
    assert [(f.rule, f.part, f.line, f.column, f.message.rpartition(" (")[2]) for f in found] == [
        ("other-customer", "cell", 4, 1, "sheet 'Data' cell B4)"),
        ("draft-marker", "cell", 4, 10, "sheet 'Data' cell C4)"),
    ]


def test_a_cell_without_a_reference_follows_the_cell_before_it():
    """ECMA-376: a cell that leaves out `r` is the next column after the previous cell, even when that
    cell holds a number and is never reported."""
    data = raw_workbook('<row r="7"><c r="AB7"><v>5</v></c><c t="inlineStr"><is><t>Contoso</t></is></c>'
                        '<c r="D7" t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>TBD</t></is></c>'
                        '</row>')
    found = scan(data, "data.xlsx", customer="fabrikam", select=("nda", "placeholder")).findings
    assert [(f.rule, f.line, f.column, f.message.rpartition(" (")[2]) for f in found] == [
        ("draft-marker", 7, 1, "sheet 'Data' cell E7)"),
        ("other-customer", 7, 1, "sheet 'Data' cell AC7)"),
    ]


def test_a_cell_place_gives_its_row_and_column_numbers():
    """Rules reading a sheet as a table take a cell's numbers from its place, not by parsing "AB7"."""
    from collateral_guard.readers.xlsx import read_xlsx

    data = raw_workbook('<row r="7"><c t="inlineStr"><is><t>First</t></is></c>'
                        '<c r="C7" t="inlineStr"><is><t>Third</t></is></c>'
                        '<c r="AB7" t="inlineStr"><is><t>Far right</t></is></c></row>')
    cells = [(s.text, dict(s.place), s.place.grid) for s in read_xlsx("data.xlsx", data, 100).segments
             if s.part == "cell"]
    assert cells == [("First", {"sheet": "Data", "cell": "A7"}, (7, 1)),
                     ("Third", {"sheet": "Data", "cell": "C7"}, (7, 3)),
                     ("Far right", {"sheet": "Data", "cell": "AB7"}, (7, 28))]


def test_reading_stops_at_the_cell_limit_with_a_note(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Answer {n}</t></is></c>'
                   f'<c r="B{n}"><v>{n}</v></c></row>' for n in range(1, 51))
    (tmp_path / "big.xlsx").write_bytes(raw_workbook(rows + '<row r="51"><c r="A51" t="inlineStr"><is><t>Pricing: '
                                                     'TBD</t></is></c></row>'))
    (tmp_path / ".collateral-guard.toml").write_text("max-cells = 50\n")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "big.xlsx"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "big.xlsx: note stopped reading at the cell limit (50 cells with text, max-cells in the configuration): "
        "sheet 'Data' from cell A51 not checked",
        "0 errors, 0 warnings, 0 info in 1 file",
    ]
    (tmp_path / ".collateral-guard.toml").write_text("max-cells = 51\n")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "big.xlsx", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("draft-marker", 51)]
    assert result.stderr == ""


def test_max_cells_must_be_a_positive_number(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text("max-cells = 0\n")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "."], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "key 'max-cells' must be a positive whole number" in result.stderr


def test_text_boxes_shapes_pictures_and_charts_drawn_on_sheets():
    found = scan(drawn_workbook(), "forecast.xlsx", customer="fabrikam").findings
    assert [(f.rule, f.part, f.line, f.column, f.message.rpartition(" (sheet ")[2]) for f in found] == [
        ("internal-address", "alt-text", 10, 15, "'Notes' picture 'Picture 3' at C10, alt text)"),
        ("other-customer", "drawing", 2, 1, "'Summary' chart 'Chart 1' at D2)"),
        # The box's second paragraph: the column counts from the start of the box's text.
        ("draft-marker", "drawing", 5, 37, "'Notes' text box 'TextBox 1' at B5)"),
        ("other-customer", "drawing", 15, 5, "'Notes' text box 'TextBox 5' at D15)"),  # a newer shape's choice
        ("hidden-content", "hidden-shape", 1, 1, "'Notes' shape 'Rectangle 2' at G1 (hidden))"),
        ("internal-only-marking", "hidden-shape", 1, 1, "'Notes' shape 'Rectangle 2' at G1 (hidden))"),
        ("hidden-content", "hidden-sheet", 3, 1, "'Old' (hidden) text box 'TextBox 1' at A3)"),
        ("other-customer", "hidden-sheet", 3, 1, "'Old' (hidden) text box 'TextBox 1' at A3)"),
        ("internal-address", "link", 12, 9, "'Notes' text box 'TextBox 4' at A12, link)"),
    ]
    assert found[2].location == {"sheet": "Notes", "text-box": "TextBox 1", "anchor": "B5"}
    assert found[6].message.startswith("Text on a hidden sheet: ")  # not "Cell": a text box drawn on it


def test_smartart_drawn_on_a_sheet():
    """A SmartArt diagram's text sits in its data part, reached from the drawing's graphic frame."""
    diagram = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    frame = ('<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="7" name="Diagram 1"/>'
             '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm/><a:graphic>'
             f'<a:graphicData uri="{diagram}"><dgm:relIds xmlns:dgm="{diagram}" r:dm="rIdData" r:lo="" r:qs="" '
             'r:cs=""/></a:graphicData></a:graphic></xdr:graphicFrame>')
    nodes = "".join(f'<dgm:pt modelId="{n}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></dgm:t>'
                    "</dgm:pt>" for n, text in enumerate(("Pricing: TBD", "Ask Contoso"), start=1))
    data = with_drawing(workbook({"Plan": {"A1": "Milestones"}}), 1, drawing_xml(anchored(2, 3, frame)))
    data = rewrite(data, {"xl/diagrams/data1.xml": f'<dgm:dataModel xmlns:dgm="{diagram}" xmlns:a="{A}">'
                                                   f"<dgm:ptLst>{nodes}</dgm:ptLst></dgm:dataModel>"},
                   {"xl/drawings/_rels/drawing11.xml.rels": (
                       "rIdData", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData",
                       "../diagrams/data1.xml")})
    found = scan(data, "plan.xlsx", customer="fabrikam").findings
    assert [(f.rule, f.part, f.line, f.column, f.message.rpartition(" (")[2]) for f in found] == [
        ("draft-marker", "drawing", 4, 10, "sheet 'Plan' SmartArt 'Diagram 1' at C4)"),
        ("other-customer", "drawing", 4, 18, "sheet 'Plan' SmartArt 'Diagram 1' at C4)"),
    ]
    assert found[0].location == {"sheet": "Plan", "smartart": "Diagram 1", "anchor": "C4"}


def test_macros_are_noted_not_read():
    data = rewrite(workbook({"Answers": {"A1": "Yes"}}), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, {})
    result = scan(data, "answers.xlsm")
    assert result.findings == []
    assert result.notes == ["contains macros (xl/vbaProject.bin): not checked"]



def test_the_cycle_collector_resumes_after_each_document():
    import gc

    seen = []
    scanner = Scanner(make_config(REGISTRY), active_rules(make_config(REGISTRY), ("nda",)), "fabrikam")
    original = scanner.rules[0].rule.check

    def check(view, facts):  # the rule runs while the collector is paused
        seen.append(gc.isenabled())
        return original(view, facts)

    scanner.rules[0].rule.check = check
    assert gc.isenabled()
    assert scanner.scan(Target("a.xlsx", "a.xlsx"), workbook({"Data": {"A1": "Contoso"}})).findings
    assert scanner.scan(Target("b.xlsx", "b.xlsx"), b"PK not a workbook").error  # and after a read error
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:  # a caller that paused it keeps it paused
        scanner.scan(Target("a.xlsx", "a.xlsx"), workbook({"Data": {"A1": "Contoso"}}))
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- embedded objects -------------------------------------------------------------------------

def test_a_workbook_embedded_in_a_word_document_and_an_ole_object_counted():
    inner = workbook({"Pricing": {"B2": "Contoso floor price"}})
    data = rewrite(build_docx("Our proposal.\n[custom property customer: fabrikam]"),
                   {"word/embeddings/Pricing.xlsx": inner, "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"},
                   {"word/_rels/document.xml.rels": ("rIdE1", PACKAGE, "embeddings/Pricing.xlsx")})
    result = scan(data, "proposal.docx", select=("nda",))
    assert [(f.rule, f.part, f.line, f.column, f.message.rpartition(" (")[2]) for f in result.findings] == [
        ("other-customer", "embedded", 2, 1, "body, embedded workbook 'Pricing.xlsx': sheet 'Pricing' cell B2)")]
    assert result.notes == ["embedded objects not checked (not Office files collateral-guard reads): 1 OLE object"]


def test_an_unreadable_embedded_file_is_a_note_not_a_failure():
    data = rewrite(deck([{"title": "Hello"}]), {"ppt/embeddings/Broken.xlsx": b"PK\x03\x04 not really"}, {})
    result = scan(data, "deck.pptx")
    assert result.notes == ["embedded workbook 'Broken.xlsx' not checked: corrupt zip package: File is not a zip file"]


# -- nothing passes unseen ---------------------------------------------------------------------------

def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HOSTILE = {
    "legacy.ppt": (b"anything", "legacy PowerPoint 97-2003 file: convert it to .pptx to scan it"),
    "legacy.xls": (OLE + b"\0" * 512, "legacy Excel 97-2003 file: convert it to .xlsx to scan it"),
    "renamed-legacy.xlsx": (OLE + b"\0" * 512, "legacy Excel 97-2003 (.xls) file, not XLSX: save it as .xlsx to "
                                               "scan it"),
    "renamed-legacy.pptx": (OLE + b"\0" * 512, "legacy PowerPoint 97-2003 (.ppt) file, not PPTX: save it as .pptx "
                                               "to scan it"),
    "encrypted.xlsx": (OLE + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
                       "encrypted document, cannot be scanned (remove the password and scan again)"),
    "encrypted.pptx": (OLE + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
                       "encrypted document, cannot be scanned (remove the password and scan again)"),
    "brochure.pdf": (b"%PDF-1.7", "PDF: not supported yet (scan the document it was made from)"),
    "answers.ods": (b"PK", "OpenDocument spreadsheet: not supported yet (save it as .xlsx to scan it)"),
    "talk.key": (b"PK", "Keynote: not supported yet (export it as .pptx to scan it)"),
    "not-a-zip.pptx": (b"Plain text.", "not a PPTX file (not a zip package)"),
    "missing-main.xlsx": (zip_bytes({"docProps/core.xml": "<x/>"}),
                          "missing main workbook part (xl/workbook.xml): not an Excel workbook"),
    "missing-main.pptx": (zip_bytes({"docProps/core.xml": "<x/>"}),
                          "missing main presentation part (ppt/presentation.xml): not a PowerPoint presentation"),
    "sheet-bomb.xlsx": (raw_workbook("<row>" + "<c><v>1</v></c>" * 4_000_000 + "</row>"),
                        "part xl/worksheets/sheet1.xml compresses"),
    "sheet-entities.xlsx": (zip_bytes({"_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
                                       "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
                                       "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                                       '"aaaa">]>' + SHEET.format(rows="<row><c><v>&a;</v></c></row>")}),
                            "xl/worksheets/sheet1.xml declares a DTD or entities: refused (XML bomb or external "
                            "entity)"),
    "malformed-sheet.xlsx": (raw_workbook("<row><c>"), "malformed XML in xl/worksheets/sheet1.xml: "),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_files_that_cannot_be_read_get_a_one_line_reason(name):
    data, expected = HOSTILE[name]
    result = scan_text(data, name=name)
    assert result.findings == []
    assert result.error is not None and "\n" not in result.error
    assert result.error.startswith(expected), result.error


def test_a_folder_scan_counts_what_it_cannot_read(tmp_path):
    (tmp_path / "deck.PPTX").write_bytes(deck([{"title": "Pricing: TBD"}]))
    (tmp_path / "answers.xlsx").write_bytes(workbook({"Security": {"B2": "Yes"}}))
    (tmp_path / "~$answers.xlsx").write_bytes(b"lock file")
    for name in ("a.pdf", "b.PDF", "c.pdf", "talk.key", "old.ppt", "notes.txt", "logo.png"):
        (tmp_path / name).write_bytes(b"x")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "."], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("deck.PPTX:1:10: error draft-marker ")
    assert lines[-2:] == ["1 error, 0 warnings, 0 info in 2 files",
                          "5 files not checked: 3 .pdf, 1 .key, 1 .ppt (formats collateral-guard cannot read)"]
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", "json", "-j", "1"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.stderr.splitlines() == [
        "5 files not checked: 3 .pdf, 1 .key, 1 .ppt (formats collateral-guard cannot read)"]


def test_a_named_file_that_cannot_be_checked_exits_2(tmp_path):
    (tmp_path / "answers.xlsx").write_bytes(workbook({"Security": {"B2": "Yes"}}))
    (tmp_path / "old.xls").write_bytes(OLE + b"\0" * 512)
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "answers.xlsx", "old.xls"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "old.xls: error cannot scan: legacy Excel 97-2003 file: convert it to .xlsx to scan it",
        "0 errors, 0 warnings, 0 info in 2 files; 1 could not be checked: old.xls",
    ]


# -- the wild corpus -------------------------------------------------------------------------------

def test_every_apache_poi_file_scans_or_fails_in_one_line(shared, tmp_path):
    """435 real decks and workbooks, fuzzer crashes, encrypted files and XML bombs, in one process whose
    address space is capped: a file that made memory grow without bound would fail the run."""
    corpus = shared / "corpora" / "office-wild" / "apache-poi"
    if not corpus.is_dir():
        pytest.skip("office-wild corpus absent")
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    assert len(files) == 435
    script = ("import json, resource, sys\n"
              "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
              "from collateral_guard.config import Config\n"
              "from collateral_guard.rules.registry import active_rules\n"
              "from collateral_guard.scan import Scanner, Target\n"
              "config = Config()\n"
              "scanner = Scanner(config, active_rules(config))\n"
              "for path in sys.argv[1:]:\n"
              "    result = scanner.scan(Target(path, path))\n"
              "    print(json.dumps([path, result.error, len(result.findings)]), flush=True)\n"
              "print(" + PEAK_KIB + ")\n")
    done = subprocess.run([sys.executable, "-c", script, *map(str, files)], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    results = [json.loads(line) for line in lines[:-1]]
    assert [r[0] for r in results] == [str(p) for p in files]
    errors = [(os.path.basename(path), error) for path, error, _ in results if error]
    for name, error in errors:
        assert "\n" not in error and not error.startswith("internal error"), (name, error)
    assert len(errors) < 60, errors  # fuzzer crashes, encrypted files, XML bombs: about 35
    assert int(lines[-1]) < 1024 * 1024, f"peak RSS {int(lines[-1]) // 1024} MiB"


def test_scanner_handles_the_poi_bombs_by_name(shared):
    corpus = shared / "corpora" / "office-wild" / "apache-poi"
    if not corpus.is_dir():
        pytest.skip("office-wild corpus absent")
    config = Config()
    scanner = Scanner(config, active_rules(config))
    bomb = scanner.scan(Target("bomb.xlsx", str(corpus / "spreadsheet_poc-xmlbomb.xlsx")))
    assert bomb.error == "xl/sharedStrings.xml declares a DTD or entities: refused (XML bomb or external entity)"
    strings = scanner.scan(Target("strings.xlsx", str(corpus / "spreadsheet_poc-shared-strings.xlsx")))
    assert strings.error is None
    assert strings.notes == ["stopped reading at the text limit (16,000,000 characters): sheet 'Tabelle1' "
                             "from cell B5 not checked"]


def test_locations_as_data_for_the_json_report(deck_result, workbook_result):
    deck_places = {(f.rule, f.part, f.line, f.column): f.location for f in deck_result.findings}
    assert deck_places[("hidden-content", "hidden-slide", 2, 1)] == {"slide": 2, "hidden": True, "shape": "Title 1"}
    assert deck_places[("other-customer", "slide", 3, 5)] == {"slide": 3, "shape": "Table 2", "table": "Table 2",
                                                              "row": 2, "cell": 2}
    assert deck_places[("speaker-notes", "notes", 1, 1)] == {"slide": 1, "notes": True,
                                                             "shape": "Notes Placeholder 2"}
    assert deck_places[("hidden-content", "comment", 1, 1)] == {"slide": 1, "comment": "Dana Whitfield"}
    assert deck_places[("other-customer", "embedded", 1, 1)] == {
        "embedded": "Microsoft_Excel_Worksheet1.xlsx", "in": "slide 3", "part": "cell", "sheet": "Rates", "cell": "A1"}
    book_places = {(f.rule, f.part, f.line, f.column): f.location for f in workbook_result.findings}
    assert book_places[("service-promise", "cell", 2, 1)] == {"sheet": "Security", "cell": "B2"}
    assert book_places[("hidden-content", "note", 2, 1)] == {"sheet": "Security", "cell": "C2", "note": "Dana"}
    assert book_places[("other-customer", "cell", 6, 9)] == {"sheet": "Security", "cell": "B6", "formula": True}
    assert book_places[("other-customer", "defined-name", 1, 19)] == {"defined-name": "FloorRate"}
    assert json.dumps(book_places[("hidden-content", "hidden-sheet", 1, 1)]) == '{"sheet": "Costs", "cell": "A1"}'
