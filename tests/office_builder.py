"""Builds real decks (python-pptx) and workbooks (openpyxl) for tests, with the parts those libraries
cannot write (comments, threaded comments, SmartArt text, hidden shapes, master text) added as the
OOXML parts PowerPoint and Excel write.

``leaky_deck`` and ``leaky_workbook`` hold one leak in each part a recipient receives; the tests
that use them list what each leak must produce.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import openpyxl
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.util import Inches

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MODERN_COMMENTS = "http://schemas.microsoft.com/office/2018/10/relationships/comments"
MODERN_AUTHORS = "http://schemas.microsoft.com/office/2018/10/relationships/authors"
THREADED_COMMENT = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
PERSON = "http://schemas.microsoft.com/office/2017/10/relationships/person"


def tiny_png() -> bytes:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
            + chunk(b"IEND", b""))


def new_part(package, name: str, content_type: str, xml: str) -> Part:
    return Part(PackURI(name), content_type, package, xml.encode("utf-8"))


def textbox_xml(shape_id: int, name: str, text: str, x: int = 457200, y: int = 6000000) -> str:
    return (f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/>'
            f'<a:ext cx="4000000" cy="400000"/></a:xfrm></p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}'
            '</a:t></a:r></a:p></p:txBody></p:sp>')


def deck(slides: list[dict], properties: dict | None = None) -> bytes:
    """A deck of simple slides: each dict may hold title, body, notes, hidden."""
    presentation = Presentation()
    for spec in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = spec.get("title", "")
        slide.placeholders[1].text = spec.get("body", "")
        if "notes" in spec:
            slide.notes_slide.notes_text_frame.text = spec["notes"]
        if spec.get("hidden"):
            slide._element.set("show", "0")
    presentation.core_properties.last_modified_by = "python-pptx"  # the template's own says a name
    for key, value in (properties or {}).items():
        setattr(presentation.core_properties, key, value)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def deck_from_notation(text: str) -> bytes:
    """[slide: text][notes: text], as in the rule documentation's examples."""
    marks = dict(re.findall(r"\[(slide|notes): ([^\]]*)\]", text))
    return deck([{"body": marks.get("slide", ""), **({"notes": marks["notes"]} if "notes" in marks else {})}])


def leaky_deck() -> bytes:
    presentation = Presentation()
    package = presentation.part.package
    presentation.core_properties.author = "Dana Whitfield"
    presentation.core_properties.last_modified_by = "python-pptx"

    # Slide 1: body, a link, speaker notes, a shape parked off the slide, a hidden shape,
    # a picture's alt text, a click action, a legacy comment.
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Northwind for Fabrikam"
    body = first.placeholders[1].text_frame
    body.text = "Trusted by Contoso and others."
    run = body.add_paragraph().add_run()
    run.text = "Sizing guide"
    run.hyperlink.address = "https://wiki.corp.northwind.io/sizing"
    first.notes_slide.notes_text_frame.text = "Offer the Contoso discount if they push back."
    parked = first.shapes.add_textbox(Inches(11), Inches(1), Inches(2), Inches(1))
    parked.text_frame.text = "Pricing: TBD"
    hidden = first.shapes.add_textbox(Inches(1), Inches(6), Inches(3), Inches(1))
    hidden.text_frame.text = "Internal use only"
    hidden._element.nvSpPr.cNvPr.set("hidden", "1")
    picture = first.shapes.add_picture(io.BytesIO(tiny_png()), Inches(6), Inches(5), Inches(1), Inches(1))
    picture._element.nvPicPr.cNvPr.set("descr", "TODO replace screenshot")
    button = first.shapes.add_textbox(Inches(8), Inches(6), Inches(1), Inches(1))
    button.text_frame.text = "Rates"
    button.click_action.hyperlink.address = "file://fs01.corp.northwind.io/bids/rates.xlsx"
    authors = new_part(package, "/ppt/commentAuthors.xml",
                    "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml",
                    f'<p:cmAuthorLst xmlns:p="{P}"><p:cmAuthor id="0" name="Dana Whitfield" initials="DW" '
                    'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>')
    presentation.part.relate_to(authors, RT.COMMENT_AUTHORS)
    comments = new_part(package, "/ppt/comments/comment1.xml",
                     "application/vnd.openxmlformats-officedocument.presentationml.comments+xml",
                     f'<p:cmLst xmlns:p="{P}"><p:cm authorId="0" dt="2026-11-02T10:00:00" idx="1">'
                     '<p:pos x="10" y="10"/><p:text>Reused from the Contoso deck</p:text></p:cm></p:cmLst>')
    first.part.relate_to(comments, RT.COMMENTS)

    # Slide 2: hidden.
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Contoso pricing history"
    second._element.set("show", "0")

    # Slide 3: a table, a group, a chart, SmartArt, a threaded comment, an embedded workbook.
    third = presentation.slides.add_slide(presentation.slide_layouts[5])
    third.shapes.title.text = "Proof points"
    table = third.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    table.cell(0, 0).text = "Reference"
    table.cell(1, 1).text = "Ask Contoso"
    group = third.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(4), Inches(3), Inches(1)).text_frame.text = \
        "The most advanced platform"
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series("Throughput", (10, 12))
    chart = third.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(5), Inches(4), Inches(4), Inches(3),
                                   data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Contoso benchmark"
    diagram = new_part(package, "/ppt/diagrams/data1.xml",
                    "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
                    '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
                    f'xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/><a:p><a:r>'
                    '<a:t>Roadmap on go/roadmap</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>')
    diagram_id = third.part.relate_to(diagram, RT.DIAGRAM_DATA)
    third.shapes._spTree.append(parse_xml(
        f'<p:graphicFrame xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvGraphicFramePr>'
        '<p:cNvPr id="90" name="Diagram 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
        '<p:xfrm><a:off x="0" y="0"/><a:ext cx="100" cy="100"/></p:xfrm><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        '<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        f'r:dm="{diagram_id}" r:lo="" r:qs="" r:cs=""/></a:graphicData></a:graphic></p:graphicFrame>'))
    modern_authors = new_part(package, "/ppt/authors.xml", "application/vnd.ms-powerpoint.authors+xml",
                           '<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
                           '<p188:author id="{7A1C}" name="Priya Raman" initials="PR" userId="priya" '
                           'providerId="None"/></p188:authorLst>')
    presentation.part.relate_to(modern_authors, MODERN_AUTHORS)
    modern = new_part(package, "/ppt/comments/modernComment_103_1.xml", "application/vnd.ms-powerpoint.comments+xml",
                   '<p188:cmLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main" '
                   f'xmlns:a="{A}"><p188:cm id="{{C1}}" authorId="{{7A1C}}" created="2026-11-03T09:00:00">'
                   '<p188:txBody><a:bodyPr/><a:p><a:r><a:t>Check this slide with legal</a:t></a:r></a:p>'
                   '</p188:txBody></p188:cm></p188:cmLst>')
    third.part.relate_to(modern, MODERN_COMMENTS)
    embedded = Part(PackURI("/ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", package,
                    workbook({"Rates": {"A1": "Contoso rate card"}}))
    third.part.relate_to(embedded, RT.PACKAGE)

    # The master: a footer line that shows on every slide.
    master_tree = presentation.slide_master.shapes._spTree
    master_tree.append(parse_xml(textbox_xml(99, "Footer note", "Confidential – internal")))

    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def workbook(sheets: dict[str, dict[str, str]], properties: dict | None = None) -> bytes:
    """A workbook of sheets given as {cell: value}."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for reference, value in cells.items():
            sheet[reference] = value
    for key, value in (properties or {}).items():
        setattr(book.properties, key, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def leaky_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.properties.creator = "Dana Whitfield"
    book.custom_doc_props.append(StringProperty(name="customer", value="fabrikam"))
    security = book.active
    security.title = "Security"
    security["A1"], security["B1"] = "Question", "Answer"
    security["A2"], security["B2"] = "Do you offer an SLA?", "We guarantee zero downtime."
    security["C2"] = "Reviewed"
    security["C2"].comment = Comment("Reused from the Contoso answers", "Dana")
    security["A3"], security["B3"] = "Discount", "Floor price is 40% off list"
    security.row_dimensions[3].hidden = True
    security["D4"] = "Contoso reference call"
    security.column_dimensions["D"].hidden = True
    security["B6"] = '=IF(A6="Contoso","yes","no")'
    security["B7"] = "Security overview"
    security["B7"].hyperlink = "https://intranet.corp.northwind.io/security"
    validation = DataValidation(type="list", formula1='"Yes,No,Partial"', showInputMessage=True,
                                prompt="Answer TBD until legal reviews", promptTitle="Answer")
    security.add_data_validation(validation)
    validation.add("C2:C40")
    security.oddFooter.center.text = "Internal use only"
    costs = book.create_sheet("Costs")
    costs["A1"] = "Contoso margin 12%"
    costs.sheet_state = "hidden"
    legacy = book.create_sheet("Legacy")
    legacy["B2"] = "Pricing: TBD"
    legacy.sheet_state = "veryHidden"
    book.defined_names["FloorRate"] = DefinedName(
        "FloorRate", attr_text="'\\\\fs01.corp.northwind.io\\share\\[rates.xlsx]Rates'!$A$1",
        comment="Floor agreed with Contoso")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_threaded_comment(data: bytes, sheet_part: str, cell: str, author: str, text: str) -> bytes:
    """Adds a threaded comment (and its person list) the way Excel 365 writes them."""
    threaded = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                f'<threadedComment ref="{cell}" dT="2026-11-04T10:00:00" personId="{{P1}}" id="{{T1}}">'
                f'<text>{text}</text></threadedComment></ThreadedComments>')
    persons = ('<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
               f'<person displayName="{author}" id="{{P1}}" userId="{author}" providerId="None"/></personList>')
    folder, base = sheet_part.rsplit("/", 1)
    sheet_rels = f"{folder}/_rels/{base}.rels"
    return rewrite(data, {"xl/threadedComments/threadedComment1.xml": threaded, "xl/persons/person.xml": persons},
                   {sheet_rels: ("rIdT1", THREADED_COMMENT, "../threadedComments/threadedComment1.xml"),
                    "xl/_rels/workbook.xml.rels": ("rIdP1", PERSON, "persons/person.xml")})


def rewrite(data: bytes, parts: dict[str, str | bytes], relations: dict[str, tuple[str, str, str]]) -> bytes:
    """The package with parts added and one relationship added to each named .rels part."""
    empty = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        names = set(source.namelist())
        for name in source.namelist():
            content = source.read(name)
            if name in relations:
                content = _add_relationship(content.decode("utf-8"), *relations[name]).encode("utf-8")
            target.writestr(name, content)
        for name, (rid, kind, where) in relations.items():
            if name not in names:
                target.writestr(name, _add_relationship(empty, rid, kind, where))
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def _add_relationship(rels: str, rid: str, kind: str, target: str) -> str:
    return rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
                        "</Relationships>")



XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def drawing_xml(*anchors: str) -> str:
    return f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{R}">{"".join(anchors)}</xdr:wsDr>'


def anchored(column: int, row: int, shape: str) -> str:
    """A shape anchored at a cell (both 0-based, as the file stores them)."""
    return (f"<xdr:oneCellAnchor><xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}"
            '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="3000000" cy="600000"/>'
            f"{shape}<xdr:clientData/></xdr:oneCellAnchor>")


def drawn_shape(shape_id: int, name: str, paragraphs: list[str], text_box: bool = True, hidden: bool = False,
                link: str | None = None) -> str:
    flags = ' hidden="1"' if hidden else ""
    box = ' txBox="1"' if text_box else ""
    click = f'<a:hlinkClick r:id="{link}"/>' if link else ""
    body = "".join(f"<a:p><a:r><a:t>{p}</a:t></a:r></a:p>" for p in paragraphs)
    return (f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="{shape_id}" name="{name}"{flags}>{click}</xdr:cNvPr>'
            f'<xdr:cNvSpPr{box}/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect">'
            f'<a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/>{body}</xdr:txBody></xdr:sp>')


def drawn_picture(shape_id: int, name: str, description: str) -> str:
    return (f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{shape_id}" name="{name}" descr="{description}"/>'
            '<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rIdImage"/></xdr:blipFill>'
            '<xdr:spPr/></xdr:pic>')


def with_drawing(data: bytes, sheet_number: int, drawing: str, links: dict[str, str] | None = None) -> bytes:
    """The workbook with a drawing part on one sheet, wired as Excel wires it (the sheet's <drawing>
    element, its relationship, the content type), and the drawing's external links."""
    name = f"xl/drawings/drawing{sheet_number + 10}.xml"
    sheet = f"xl/worksheets/sheet{sheet_number}.xml"
    rels = f"xl/drawings/_rels/drawing{sheet_number + 10}.xml.rels"
    relationships = "".join(f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target="{url}" TargetMode="External"/>'
                            for rid, url in (links or {}).items())
    buffer = io.BytesIO()
    sheet_rels = f"xl/worksheets/_rels/sheet{sheet_number}.xml.rels"
    relation = ("rIdDrawn", DRAWING, f"../drawings/drawing{sheet_number + 10}.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.namelist():
            content = source.read(member).decode("utf-8") if member.endswith((".xml", ".rels")) else \
                source.read(member)
            if member == sheet:
                content = content.replace("</worksheet>", '<drawing r:id="rIdDrawn"/></worksheet>')
                if "xmlns:r=" not in content.split(">", 2)[1]:
                    content = content.replace("<worksheet ", f'<worksheet xmlns:r="{R}" ', 1)
            elif member == sheet_rels:
                content = _add_relationship(content, *relation)
            elif member == "[Content_Types].xml":
                content = content.replace("</Types>", f'<Override PartName="/{name}" ContentType="application/'
                                          'vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            target.writestr(member, content)
        if sheet_rels not in source.namelist():
            target.writestr(sheet_rels, _add_relationship(
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                "</Relationships>", *relation))
        target.writestr(name, drawing)
        target.writestr(rels, '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f"{relationships}</Relationships>")
    return buffer.getvalue()


def drawn_workbook() -> bytes:
    """A chart made by openpyxl, and text boxes, a hidden shape, a picture's alt text and a linked
    text box drawn on a second sheet and on a hidden one."""
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    for row in (["Quarter", "Seats"], ["Q1", 120], ["Q2", 180]):
        summary.append(row)
    chart = BarChart()
    chart.title = "Contoso renewal forecast"
    chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=2, max_row=3))
    summary.add_chart(chart, "D2")
    book.create_sheet("Notes")["A1"] = "Reviewed"
    old = book.create_sheet("Old")
    old.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    data = with_drawing(buffer.getvalue(), 2, drawing_xml(
        anchored(1, 4, drawn_shape(2, "TextBox 1", ["Answers reviewed by legal.", "Pricing: TBD"])),
        anchored(6, 0, drawn_shape(3, "Rectangle 2", ["Internal use only"], text_box=False, hidden=True)),
        anchored(2, 9, drawn_picture(4, "Picture 3", "Screenshot of wiki.corp.northwind.io/security")),
        anchored(0, 11, drawn_shape(5, "TextBox 4", ["See the runbook"], link="rIdL1")),
        anchored(3, 14, f'<mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="a14">'
                 f'{drawn_shape(6, "TextBox 5", ["Ask Contoso"])}</mc:Choice><mc:Fallback/></mc:AlternateContent>')),
        {"rIdL1": "https://wiki.corp.northwind.io/runbook"})
    return with_drawing(data, 3, drawing_xml(anchored(0, 2, drawn_shape(2, "TextBox 1", ["Contoso pilot notes"]))))
