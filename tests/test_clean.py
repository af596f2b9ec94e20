"""clean: a copy of a real Word document that is safe to send, and nothing else changed."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from collateral_guard.office.clean_docx import clean_docx
from collateral_guard.readers import ReadError, read_document
from conftest import make_config, scan_text
from docx_builder import build_docx
from office_checks import assert_package_consistent, libreoffice_text, parts, stored_bytes
from test_docx import HOSTILE, REGISTRY, RFP_ANSWER

W = nsdecls("w")
TRACKED = 'w:author="Sam Lee" w:date="2025-03-01T00:00:00Z"'
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
BODY = ("heading", "paragraph", "list-item", "table-cell")


def run_xml(text: str, properties: str = "") -> str:
    formatting = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r {W}>{formatting}<w:t xml:space="preserve">{text}</w:t></w:r>'


def append(paragraph, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


def patched(data: bytes, changes: dict[str, str]) -> bytes:
    """The package with parts replaced or added (an edit as Word would have saved it)."""
    files = parts(data)
    files.update({name: content.encode() for name, content in changes.items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def document_with_everything_hidden() -> bytes:
    """A python-docx document, then every kind of hidden content Word can leave in one."""
    document = docx.Document()
    document.core_properties.author = "Jane Doe"
    document.core_properties.last_modified_by = "Sam Lee"
    document.core_properties.revision = 7
    note = document.styles.add_style("Internal Note", WD_STYLE_TYPE.PARAGRAPH)
    note.font.hidden = True
    document.add_heading("5. Security", level=1)
    commented = document.add_paragraph("Data is encrypted at rest.")
    document.add_comment(commented.runs, text="Reused from the Contoso bid", author="Jane Doe", initials="JD")
    changed = document.add_paragraph("Prepared for ")
    append(changed, f'<w:del {W} w:id="11" {TRACKED}><w:r><w:delText>Contoso</w:delText></w:r></w:del>')
    append(changed, f'<w:ins {W} w:id="12" {TRACKED}>{run_xml("Fabrikam")}</w:ins>')
    append(changed, run_xml(" by the bid team."))
    hidden = document.add_paragraph("Support is included.")
    append(hidden, run_xml(" Floor price is 40% off list.", "<w:vanish/>"))
    formatted = document.add_paragraph("Keys rotate every ")
    append(formatted, run_xml("90 days", f'<w:b/><w:rPrChange w:id="13" {TRACKED}><w:rPr/></w:rPrChange>'))
    append(formatted, run_xml("."))
    moved_from = document.add_paragraph("Audit logs are kept.")
    append(moved_from, f'<w:moveFromRangeStart {W} w:id="14" w:name="move1" {TRACKED}/>')
    append(moved_from, f'<w:moveFrom {W} w:id="15" {TRACKED}>{run_xml(" Backups are tested monthly.")}</w:moveFrom>')
    append(moved_from, f'<w:moveFromRangeEnd {W} w:id="14"/>')
    moved_to = document.add_paragraph("Recovery is documented.")
    append(moved_to, f'<w:moveToRangeStart {W} w:id="16" w:name="move1" {TRACKED}/>')
    append(moved_to, f'<w:moveTo {W} w:id="17" {TRACKED}>{run_xml(" Backups are tested monthly.")}</w:moveTo>')
    append(moved_to, f'<w:moveToRangeEnd {W} w:id="16"/>')
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, (("Item", "Detail"), ("SSO", "SAML 2.0"), ("Legacy", "Contoso VPN"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    table.rows[2]._tr.insert(0, parse_xml(f'<w:trPr {W}><w:del w:id="18" {TRACKED}/></w:trPr>'))
    joined = document.add_paragraph("This paragraph ends")
    joined._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {W}><w:del w:id="19" {TRACKED}/></w:rPr>'))
    document.add_paragraph(" and continues here.")
    document.add_paragraph("Internal: our margin on this deal is 62%.", style="Internal Note")
    document.add_paragraph("Thank you.").runs[0]._r.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rsidR", "00A1B2C3")
    document.sections[0].header.paragraphs[0].add_run("Fabrikam RFP")
    append(document.sections[0].header.paragraphs[0], run_xml(" v3 from the Contoso template", "<w:vanish/>"))
    buffer = io.BytesIO()
    document.save(buffer)
    files = parts(buffer.getvalue())
    settings = files["word/settings.xml"].decode()
    settings = settings.replace("<w:defaultTabStop", '<w:attachedTemplate r:id="rIdTemplate"/>'
                                '<w:docVars><w:docVar w:name="DealDesk" w:val="floor 40% off"/></w:docVars>'
                                "<w:defaultTabStop", 1)
    app = files["docProps/app.xml"].decode().replace("Normal.dotm", "\\\\fs01.corp.northwind.io\\templates\\rfp.dotx")
    app = app.replace("</Properties>", "<Company>Northwind Sales EMEA</Company><Manager>Pat Kim</Manager></Properties>")
    relationships = files["word/_rels/document.xml.rels"].decode().replace(
        "</Relationships>", f'<Relationship Id="rIdMeta" Type="{CUSTOM_XML_REL}" Target="../customXml/item9.xml"/>'
        "</Relationships>")
    types = files["[Content_Types].xml"].decode().replace(
        "</Types>", '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.custom-properties+xml"/><Override PartName="/customXml/itemProps9.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>')
    package_rels = files["_rels/.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')
    return patched(buffer.getvalue(), {
        "word/settings.xml": settings,
        "word/_rels/settings.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdTemplate" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'attachedTemplate" Target="file:///\\\\fs01.corp.northwind.io\\templates\\rfp.dotx" TargetMode="External"/>'
            "</Relationships>"),
        "docProps/app.xml": app,
        "docProps/custom.xml": (
            '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="customer">'
            "<vt:lpwstr>fabrikam</vt:lpwstr></property>"
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Deal stage">'
            "<vt:lpwstr>negotiation</vt:lpwstr></property></Properties>"),
        "customXml/item9.xml": "<deal><owner>sam@corp.northwind.io</owner><stage>Pricing: TBD</stage></deal>",
        "customXml/_rels/item9.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{PROPS_REL}" Target="itemProps9.xml"/></Relationships>'),
        "customXml/itemProps9.xml": (
            '<?xml version="1.0"?><ds:datastoreItem ds:itemID="{6A1F0C1E-0000-4000-8000-000000000009}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>'),
        "word/_rels/document.xml.rels": relationships,
        "[Content_Types].xml": types,
        "_rels/.rels": package_rels,
    })


def body_texts(data: bytes, name: str = "x.docx") -> list[str]:
    return [s.text for s in read_document(name, data).segments if s.part == "body" and s.scope in BODY]


def clean_bytes(data: bytes) -> tuple[bytes, list[str]]:
    buffer = io.BytesIO()
    edit, report = clean_docx("in.docx", data)
    edit._write_zip(buffer)
    return buffer.getvalue(), report.lines()


def test_clean_removes_every_kind_of_hidden_content(tmp_path):
    original = document_with_everything_hidden()
    config = make_config(REGISTRY)
    categories = ("hidden-content", "metadata", "nda", "internal-url")
    before = scan_text(original, name="in.docx", config=config, select=categories)
    assert {f.part for f in before.findings} >= {"comment", "tracked-deletion", "tracked-insertion", "hidden-text",
                                                 "properties", "custom-xml"}
    source = tmp_path / "proposal.docx"
    source.write_bytes(original)
    (tmp_path / ".collateral-guard.toml").write_text('[customers.fabrikam]\nnames = ["Fabrikam"]\n')
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "clean", "proposal.docx", "-o", "safe.docx",
                             "--select", "hidden-content,metadata"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "proposal.docx -> safe.docx",
        "  comments removed: 1",
        "  tracked insertions accepted: 2",  # the insertion and the move's destination
        "  tracked deletions removed: 4",  # the deletion, the move's source, the table row, the paragraph mark
        "  formatting changes accepted: 1",
        "  hidden text runs removed: 3",  # in the body, in the header, and the hidden-style paragraph's run
        "  hidden paragraphs removed: 1",
        "  properties cleared: 8 (Author, Last Modified By, Revision, Template, Total Editing Time, Company, Manager, "
        "Custom: Deal stage)",
        "  document variables removed: 1",
        "  custom XML parts removed: 1",
        "  attached template removed: 1",
        "  revision identifiers removed: 14",
        "0 errors, 0 warnings, 0 info in 1 file",
    ]
    assert hashlib.sha256(source.read_bytes()).digest() == hashlib.sha256(original).digest()  # input unchanged
    cleaned = (tmp_path / "safe.docx").read_bytes()
    after = scan_text(cleaned, name="safe.docx", config=config, select=categories)
    assert after.error is None
    # Nothing hidden and no revealing property is left; the visible mention in the table row deleted
    # with tracked changes went with the row.
    assert after.findings == []
    assert body_texts(cleaned) == [
        "5. Security", "Data is encrypted at rest.", "Prepared for Fabrikam by the bid team.", "Support is included.",
        "Keys rotate every 90 days.", "Audit logs are kept.", "Recovery is documented. Backups are tested monthly.",
        "Item", "Detail", "SSO", "SAML 2.0", "This paragraph ends and continues here.", "Thank you."]
    files = parts(cleaned)
    assert not any(name.startswith("word/comments") for name in files)
    assert b"rsid" not in files["word/document.xml"] and b"rsid" not in files["word/settings.xml"]
    assert b"docVar" not in files["word/settings.xml"] and b"attachedTemplate" not in files["word/settings.xml"]
    assert b"fs01" not in files["word/_rels/settings.xml.rels"]
    assert b"customer" in files["docProps/custom.xml"] and b"Deal stage" not in files["docProps/custom.xml"]
    assert "customXml/item9.xml" not in files and "customXml/itemProps9.xml" not in files
    assert "customXml/item1.xml" in files  # python-docx's bibliography part is content, and stays
    assert [p.text for p in docx.Document(io.BytesIO(cleaned)).paragraphs][:3] == [
        "5. Security", "Data is encrypted at rest.", "Prepared for Fabrikam by the bid team."]
    assert_package_consistent(cleaned)


def test_untouched_parts_are_copied_byte_for_byte():
    original = document_with_everything_hidden()
    cleaned, _ = clean_bytes(original)
    before, after = stored_bytes(original), stored_bytes(cleaned)
    untouched = {"word/theme/theme1.xml", "word/fontTable.xml", "word/webSettings.xml", "docProps/thumbnail.jpeg",
                 "customXml/item1.xml", "word/numbering.xml"}
    assert {name: after[name] for name in untouched} == {name: before[name] for name in untouched}
    assert list(after) == [name for name in before if name not in (
        "word/comments.xml", "customXml/item9.xml", "customXml/_rels/item9.xml.rels", "customXml/itemProps9.xml")]


def test_the_visible_text_is_the_accepted_text_of_the_original():
    original = build_docx(RFP_ANSWER)
    cleaned, _ = clean_bytes(original)
    assert body_texts(cleaned) == body_texts(original)
    everything = read_document("x.docx", cleaned).segments
    assert {s.part for s in everything} == {"body", "field-code", "hyperlink-target", "alt-text", "text-box",
                                            "footer", "footnote"}


def test_libreoffice_opens_the_cleaned_copy(tmp_path):
    path = tmp_path / "safe.docx"
    path.write_bytes(clean_bytes(document_with_everything_hidden())[0])
    text = libreoffice_text(path, tmp_path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:4] == ["5. Security", "Data is encrypted at rest.", "Prepared for Fabrikam by the bid team.",
                         "Support is included."]
    assert "This paragraph ends and continues here." in lines
    for gone in ("Contoso", "40%", "62%", "Legacy"):
        assert gone not in text


def test_output_is_never_written_over_without_being_asked(tmp_path):
    (tmp_path / "in.docx").write_bytes(build_docx("Pricing is final.[hidden: floor price]"))
    (tmp_path / "out.docx").write_bytes(b"precious")

    def clean(*args):
        return subprocess.run([sys.executable, "-m", "collateral_guard", "clean", "in.docx", *args],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)

    refused = clean("-o", "out.docx")
    assert (refused.returncode, refused.stderr) == (
        2, "collateral-guard: error: out.docx already exists (use --force to overwrite)\n")
    assert (tmp_path / "out.docx").read_bytes() == b"precious"
    assert clean("-o", "in.docx").stderr == (
        "collateral-guard: error: in.docx is the input file: use --in-place to replace it\n")
    assert clean().stderr.startswith("collateral-guard: error: in.docx: give --output FILE")
    assert clean("-o", "out.docx", "--force").returncode == 0
    assert "floor price" not in str(read_document("out.docx", (tmp_path / "out.docx").read_bytes()).segments)
    assert clean("--in-place").returncode == 0
    assert "hidden text runs removed: 1" not in clean("--in-place").stdout  # the second time, nothing to remove
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("name", ["billion-laughs.docx", "encrypted.docx", "corrupt.docx", "zip-bomb-part.docx",
                                  "missing-main.docx", "legacy.docx"])
def test_files_check_refuses_are_refused_in_one_line(tmp_path, name):
    make, _ = HOSTILE[name]
    (tmp_path / name).write_bytes(make())
    expected = scan_text(make(), name=name).error
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "clean", name, "-o", "out.docx"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == f"collateral-guard: error: {name}: cannot clean: {expected}\n"
    assert not (tmp_path / "out.docx").exists()


def test_every_wild_docx_cleans_and_reads_back(shared, tmp_path):
    corpus = shared / "corpora" / "docx-wild"
    if not corpus.is_dir():
        pytest.skip("docx-wild corpus not present")
    files = sorted(corpus.rglob("*.docx"))
    cleaned = refused = 0
    for path in files:
        data = path.read_bytes()
        try:
            edit, _ = clean_docx(str(path), data)
        except ReadError as error:  # only what check refuses too
            assert "\n" not in str(error)
            with pytest.raises(ReadError):
                read_document(str(path), data)
            refused += 1
            continue
        out = tmp_path / "out.docx"
        edit.write(str(out))
        read_document(str(out), out.read_bytes())  # raises if our own copy cannot be read back
        cleaned += 1
    assert cleaned + refused == len(files) and cleaned > len(files) * 0.9


def test_findings_accepted_in_word_stay_accepted_in_the_cleaned_copy(tmp_path):
    (tmp_path / "in.docx").write_bytes(build_docx(
        "Encryption is [around unrivalled: collateral-guard: ignore superlative - approved by legal] "
        "and world-class.\n"))
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "clean", "in.docx", "-o", "out.docx",
                             "--select", "superlative", "--fail-on", "warning"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "in.docx -> out.docx",
        "  comments removed: 1",
        "  1 finding accepted with collateral-guard comments in the original, not listed",
        "Still in out.docx (visible text: fix it in Word):",
    ]
    assert lines[4].startswith("out.docx:1:30: warning unsourced-superlative Unverifiable superlative 'world-class'")
    assert lines[-1] == "0 errors, 1 warning, 0 info in 1 file"


def test_section_breaks_survive_and_a_fully_deleted_table_goes():
    tracked = 'w:author="Sam Lee" w:date="2025-03-01T00:00:00Z"'
    data = build_docx("First section.\nSecond section.\n[table: Legacy | Contoso VPN]\n")
    files = parts(data)
    document = files["word/document.xml"].decode()
    # The first paragraph ends a section, and its mark was deleted; the whole table was deleted row by row.
    document = document.replace(
        '<w:p><w:r><w:t xml:space="preserve">First section.',
        f'<w:p><w:pPr><w:sectPr/><w:rPr><w:del w:id="1" {tracked}/></w:rPr></w:pPr>'
        '<w:r><w:t xml:space="preserve">First section.', 1)
    document = document.replace("<w:tr>", f'<w:tr><w:trPr><w:del w:id="2" {tracked}/></w:trPr>')
    cleaned, lines = clean_bytes(patched(data, {"word/document.xml": document}))
    assert lines == ["tracked deletions removed: 2"]
    assert body_texts(cleaned) == ["First section.", "Second section."]
    body = parts(cleaned)["word/document.xml"].decode()
    assert "<w:tbl>" not in body and body.count("<w:sectPr") == 2


def test_an_unknown_customer_is_a_configuration_error_after_the_copy_is_written(tmp_path):
    (tmp_path / "in.docx").write_bytes(build_docx("Pricing is final.[hidden: floor price]\n"
                                                  "[custom property customer: initech]"))
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "clean", "in.docx", "-o", "out.docx"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "  hidden text runs removed: 1" in result.stdout
    assert "configuration: unknown customer id 'initech'" in result.stdout
    assert (tmp_path / "out.docx").exists()
