"""clean on real PowerPoint decks and Excel workbooks (python-pptx, openpyxl, plus the XML they cannot write)."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import openpyxl
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from pptx import Presentation
from pptx.util import Inches

from conftest import scan_text
from office_checks import assert_package_consistent, parts
from test_clean import patched

PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def deck() -> bytes:
    presentation = Presentation()
    presentation.core_properties.author = "Jane Doe"
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Fabrikam pilot"
    first.placeholders[1].text = "The pilot runs for six weeks."
    first.notes_slide.notes_text_frame.text = "Contoso paid 40% less: do not mention it."
    parked = first.shapes.add_textbox(Inches(11), Inches(1), Inches(2), Inches(1))  # right of a 10-inch slide
    parked.text_frame.text = "Floor price: 40% off list"
    hidden = first.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(1))
    hidden.text_frame.text = "Internal: our margin is 62%"
    hidden._element.nvSpPr.cNvPr.set("hidden", "1")
    secret = presentation.slides.add_slide(presentation.slide_layouts[1])
    secret.shapes.title.text = "Contoso case study"
    secret._element.set("show", "0")
    last = presentation.slides.add_slide(presentation.slide_layouts[1])
    last.shapes.title.text = "Next steps"
    link = last.shapes.add_textbox(Inches(1), Inches(4), Inches(4), Inches(1))
    link.text_frame.text = "See the case study"
    link.click_action.target_slide = secret
    buffer = io.BytesIO()
    presentation.save(buffer)
    files = parts(buffer.getvalue())
    # A reviewer's comment on the first slide: python-pptx cannot write one.
    slide_rels = files["ppt/slides/_rels/slide1.xml.rels"].decode().replace(
        "</Relationships>", f'<Relationship Id="rIdC" Type="{REL}/comments" Target="../comments/comment1.xml"/>'
        "</Relationships>")
    presentation_rels = files["ppt/_rels/presentation.xml.rels"].decode().replace(
        "</Relationships>", f'<Relationship Id="rIdA" Type="{REL}/commentAuthors" Target="commentAuthors.xml"/>'
        "</Relationships>")
    types = files["[Content_Types].xml"].decode().replace(
        "</Types>", '<Override PartName="/ppt/comments/comment1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.presentationml.comments+xml"/><Override PartName="/ppt/commentAuthors.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml"/></Types>')
    return patched(buffer.getvalue(), {
        "ppt/slides/_rels/slide1.xml.rels": slide_rels,
        "ppt/_rels/presentation.xml.rels": presentation_rels,
        "[Content_Types].xml": types,
        "ppt/comments/comment1.xml": (
            f'<?xml version="1.0"?><p:cmLst xmlns:p="{PML}"><p:cm authorId="0" dt="2025-03-01T10:00:00.000" idx="1">'
            '<p:pos x="10" y="10"/><p:text>Reused from the Contoso deck</p:text></p:cm></p:cmLst>'),
        "ppt/commentAuthors.xml": (
            f'<?xml version="1.0"?><p:cmAuthorLst xmlns:p="{PML}"><p:cmAuthor id="0" name="Jane Doe" initials="JD" '
            'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'),
    })


def workbook() -> bytes:
    book = openpyxl.Workbook()
    pricing = book.active
    pricing.title = "Pricing"
    pricing.append(["Item", "Price", "Doubled"])
    pricing.append(["Platform", 1000, "=Rates!A1*2"])
    pricing["B2"].comment = Comment("Floor is 600 for Contoso", "Jane Doe")
    pricing["A3"] = "Internal margin 62%"
    pricing.row_dimensions[3].hidden = True
    pricing.column_dimensions["E"].hidden = True
    rates = book.create_sheet("Rates")  # hidden, but a formula reads it: kept
    rates["A1"] = 5
    rates.sheet_state = "hidden"
    deal = book.create_sheet("Deal notes")  # very hidden, read by nothing: removed
    deal["A1"] = "Contoso paid 40% less"
    deal.sheet_state = "veryHidden"
    summary = book.create_sheet("Summary")
    summary["A1"] = "Total"
    summary["B1"] = "=Pricing!B2"
    deal.defined_names["DealArea"] = DefinedName("DealArea", attr_text="'Deal notes'!$A$1")
    summary.defined_names["Totals"] = DefinedName("Totals", attr_text="Summary!$B$1")
    book.properties.creator = "Jane Doe"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def clean(tmp_path, name: str, data: bytes, *options: str):
    (tmp_path / name).write_bytes(data)
    return subprocess.run([sys.executable, "-m", "collateral_guard", "clean", name, "-o", "clean-" + name,
                           "--select", "hidden-content,metadata,speaker-notes", *options],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_a_deck_loses_comments_notes_hidden_slides_and_shapes(tmp_path):
    original = deck()
    assert {f.part for f in scan_text(original, name="deck.pptx", select=("hidden-content",)).findings} == {
        "comment", "notes", "hidden-slide", "off-slide", "hidden-shape"}
    result = clean(tmp_path, "deck.pptx", original)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "deck.pptx -> clean-deck.pptx",
        "  comments removed: 1",
        "  speaker notes removed: 1",
        "  hidden slides removed: 1",
        "  hidden shapes removed: 1",
        "  off-slide shapes removed: 1",
        "  properties cleared: 4 (Author, Last Modified By, Revision, Total Editing Time)",
        "0 errors, 0 warnings, 0 info in 1 file",
    ]
    cleaned = (tmp_path / "clean-deck.pptx").read_bytes()
    assert_package_consistent(cleaned)
    files = parts(cleaned)
    assert not any(n.startswith(("ppt/comments/", "ppt/notesSlides/")) or n == "ppt/commentAuthors.xml" for n in files)
    assert b"Contoso" not in b"".join(files.values()) and b"hlinkClick" not in files["ppt/slides/slide3.xml"]
    slides = Presentation(io.BytesIO(cleaned)).slides
    assert [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in slides] == [
        ["Fabrikam pilot", "The pilot runs for six weeks."], ["Next steps", "", "See the case study"]]
    kept = clean(tmp_path, "deck.pptx", original, "--keep-notes", "--force")
    assert "speaker notes removed" not in kept.stdout and kept.returncode == 0
    assert Presentation(tmp_path / "clean-deck.pptx").slides[0].has_notes_slide


def test_a_workbook_loses_comments_and_unread_hidden_sheets_and_keeps_rows(tmp_path):
    result = clean(tmp_path, "book.xlsx", workbook())
    assert result.returncode == 1  # hidden rows and columns are left for the author
    assert result.stdout.splitlines()[:6] == [
        "book.xlsx -> clean-book.xlsx",
        "  comments removed: 1",
        "  hidden sheets removed: 1",
        "  properties cleared: 1 (Author)",
        "  left: hidden sheet 'Rates' is kept: formulas or charts read it (review it in Excel, or copy the values "
        "it feeds)",
        "  left: sheet 'Pricing' keeps 1 hidden row and 1 hidden column: unhide and review them in Excel (deleting "
        "them would change formulas)",
    ]
    assert "Cell in a hidden row: \"Internal margin 62%\"" in result.stdout
    cleaned = (tmp_path / "clean-book.xlsx").read_bytes()
    assert_package_consistent(cleaned)
    book = openpyxl.load_workbook(io.BytesIO(cleaned))
    assert book.sheetnames == ["Pricing", "Rates", "Summary"]
    assert book["Pricing"]["B2"].comment is None and book["Pricing"]["C2"].value == "=Rates!A1*2"
    # The sheet-local name of the removed sheet went with it; Summary's moved from index 3 to 2.
    assert list(book["Summary"].defined_names) == ["Totals"]
    assert b"Contoso" not in b"".join(parts(cleaned).values())


def test_the_text_of_a_removed_sheet_leaves_the_shared_strings():
    from collateral_guard.office.clean_xlsx import clean_xlsx

    book = openpyxl.Workbook()
    book.active.title = "Pricing"
    book.active.append(["Platform", "Support"])
    hidden = book.create_sheet("Old deal")
    hidden.append(["Contoso paid 40% less", "Support"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    # Excel keeps strings in one shared table, cells pointing into it by number; openpyxl writes
    # inline strings, so move them into a table the way Excel stores them.
    files = parts(buffer.getvalue())
    strings: list[str] = []

    def shared(match) -> bytes:
        text = match.group(2).decode()
        if text not in strings:
            strings.append(text)
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), strings.index(text))

    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        files[name] = re.sub(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', shared, files[name])
    table = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             f'count="4" uniqueCount="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    rels = files["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", (
        f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    types = files["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>'))
    data = patched(buffer.getvalue(), {"xl/worksheets/sheet1.xml": files["xl/worksheets/sheet1.xml"].decode(),
                                       "xl/worksheets/sheet2.xml": files["xl/worksheets/sheet2.xml"].decode(),
                                       "xl/sharedStrings.xml": table, "xl/_rels/workbook.xml.rels": rels,
                                       "[Content_Types].xml": types})
    assert strings == ["Platform", "Support", "Contoso paid 40% less"]
    out = io.BytesIO()
    edit, report = clean_xlsx("book.xlsx", data)
    edit._write_zip(out)
    cleaned = out.getvalue()
    assert report.lines() == ["hidden sheets removed: 1", "properties cleared: 1 (Author)"]
    assert b"Contoso" not in b"".join(parts(cleaned).values())
    assert [c.value for c in openpyxl.load_workbook(io.BytesIO(cleaned))["Pricing"][1]] == ["Platform", "Support"]


def test_every_wild_deck_and_workbook_cleans_and_reads_back(shared, tmp_path):
    import pytest

    from collateral_guard.office.clean_pptx import clean_pptx
    from collateral_guard.office.clean_xlsx import clean_xlsx
    from collateral_guard.readers import ReadError, read_document

    corpus = shared / "corpora" / "office-wild"
    if not corpus.is_dir():
        pytest.skip("office-wild corpus not present")
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".pptx", ".xlsx"))
    cleaned = refused = 0
    for path in files:
        data = path.read_bytes()
        try:
            edit, _ = (clean_pptx if path.suffix.lower() == ".pptx" else clean_xlsx)(str(path), data)
        except ReadError as error:  # only what check refuses too
            assert "\n" not in str(error)
            with pytest.raises(ReadError):
                read_document(str(path), data)
            refused += 1
            continue
        out = tmp_path / ("out" + path.suffix.lower())
        edit.write(str(out))
        read_document(str(out), out.read_bytes())
        cleaned += 1
    assert cleaned + refused == len(files) and cleaned > len(files) * 0.9
