"""DOCX: every part a recipient receives, exact parts and locations, and hostile files."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

from collateral_guard.config import Config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target
from conftest import PEAK_KIB, make_config, scan_text
from docx_builder import build_docx

REGISTRY = {
    "internal-domains": ["corp.northwind.io"],
    "customers": {
        "fabrikam": {"names": ["Fabrikam"], "domains": ["fabrikam.com"]},
        "contoso": {"names": ["Contoso"], "domains": ["contoso.com"]},
    },
}
RFP_ANSWER = """\
[heading: Response to the Fabrikam RFP]
This answer was prepared for [deleted: Contoso][inserted: Fabrikam] by the bid team.[comment by Jane Doe: reused from the Contoso bid]
Encryption is [split: unri|valled] in the industry.[hidden: floor price is 40% off list]
[table: Item | Detail ; Support | Ask [control: Contoso] for a reference]
See the [link https://wiki.corp.northwind.io/rfp/sizing: sizing assumptions].[footnote: Source: go/pricing-faq]
[field INCLUDETEXT "\\\\\\\\fs01.corp.northwind.io\\\\bids\\\\boilerplate.docx"]
[textbox: The most advanced platform on the market.][alt: TODO replace screenshot]
[footer: Draft for internal review]
[property Author: Jane Doe]
[custom property customer: fabrikam]
[custom property Deal stage: negotiation]
[template: \\\\fs01.corp.northwind.io\\templates\\rfp.dotx]
"""


def findings(data: bytes, config=None, **kwargs):
    result = scan_text(data, name="answer.docx", config=config or make_config(REGISTRY), **kwargs)
    assert result.error is None, result.error
    return result.findings


def test_every_part_is_read_with_its_part_and_location():
    found = findings(build_docx(RFP_ANSWER))
    summary = sorted((f.rule, f.part, f.line, f.column, f.match) for f in found)
    assert summary == sorted([
        ("other-customer", "tracked-deletion", 2, 30, "Contoso"),
        ("hidden-content", "tracked-deletion", 2, 30, "Contoso"),
        ("hidden-content", "tracked-insertion", 2, 30, "Fabrikam"),
        ("other-customer", "comment", 1, 17, "Contoso"),
        ("hidden-content", "comment", 1, 1, "reused from the Contoso bid"),
        ("unsourced-superlative", "body", 3, 15, "unrivalled"),
        ("hidden-content", "hidden-text", 3, 42, "floor price is 40% off list"),
        ("other-customer", "body", 7, 5, "Contoso"),
        ("internal-address", "hyperlink-target", 8, 17, "wiki.corp.northwind.io"),
        ("internal-address", "footnote", 1, 9, "go/pricing-faq"),
        ("internal-address", "field-code", 9, 14, "\\\\\\\\fs01.corp.northwind.io\\\\bids"),
        ("unsourced-superlative", "text-box", 1, 1, "The most advanced"),
        ("draft-marker", "alt-text", 10, 1, "TODO"),
        ("internal-only-marking", "footer", 1, 7, "for internal review"),
        ("revealing-metadata", "properties", 1, 1, "Jane Doe"),
        ("revealing-metadata", "properties", 2, 1, "negotiation"),
        ("revealing-metadata", "properties", 3, 1, "\\\\fs01.corp.northwind.io\\templates\\rfp.dotx"),
        ("internal-address", "properties", 3, 1, "\\\\fs01.corp.northwind.io\\templates"),
    ])


def test_locations_a_person_can_find():
    found = list(reversed(findings(build_docx(RFP_ANSWER))))
    by_part = {(f.rule, f.part): f.message for f in found}
    under = "under 'Response to the Fabrikam RFP', "
    # Comments are numbered from 1, as Word's comment pane shows them, and placed under their heading.
    assert by_part[("hidden-content", "comment")].endswith(f"({under}comment 1 by Jane Doe, paragraph 1)")
    assert by_part[("other-customer", "tracked-deletion")].startswith(
        "Names customer 'contoso' (name 'Contoso') in a document for 'fabrikam'")
    assert by_part[("other-customer", "tracked-deletion")].endswith(
        f"({under}paragraph 2; shown with Review > All Markup)")
    assert by_part[("other-customer", "body")].endswith(f"({under}table 1, row 2, cell 2, paragraph 7)")
    assert by_part[("internal-only-marking", "footer")].endswith("(footer (default, section 1), paragraph 1)")
    assert by_part[("internal-address", "footnote")].endswith("(footnote 1, paragraph 1)")
    assert by_part[("unsourced-superlative", "text-box")].endswith(f"({under}text box in paragraph 10, paragraph 1)")
    assert by_part[("revealing-metadata", "properties")].endswith("(document property Author)")
    assert by_part[("hidden-content", "hidden-text")] == (
        f'Hidden text in the document: "floor price is 40% off list" ({under}paragraph 3; '
        "shown with Home > Show/Hide ¶)")
    locations = {(f.rule, f.part): f.location for f in found}
    heading = {"heading": "Response to the Fabrikam RFP"}
    assert locations[("other-customer", "body")] == {"table": 1, "row": 2, "cell": 2, **heading}
    assert locations[("hidden-content", "comment")] == {"comment": 1, **heading}
    assert locations[("internal-only-marking", "footer")] == {}
    assert locations[("revealing-metadata", "properties")] == {}


def test_the_nearest_heading_above_and_comments_in_the_order_word_shows_them():
    data = build_docx("[heading: 4. Pricing]\nA market-leading price.[comment by Ann: second]\n"
                      "[heading: 5. Security]\nThe heading itself is not under itself.\n"
                      "Our world-class team.[comment by Bo: first]\n")
    # Swap the comment ids: Word numbers comments by their place in the text, not by id.
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: source.read(n).decode() for n in source.namelist()}
    for name in ("word/document.xml", "word/comments.xml"):
        parts[name] = parts[name].replace('w:id="0"', 'w:id="X"').replace('w:id="1"', 'w:id="0"').replace(
            'w:id="X"', 'w:id="1"')
    found = findings(zip_bytes(parts), select=("superlative", "hidden-content"))
    assert [(f.match, f.message.rpartition(" (")[2]) for f in found if f.part == "body"] == [
        ("market-leading", "under '4. Pricing', paragraph 2)"),
        ("world-class", "under '5. Security', paragraph 5)"),
    ]
    assert [(f.match, f.location) for f in found if f.part == "comment"] == [
        ("second", {"comment": 1, "heading": "4. Pricing"}),
        ("first", {"comment": 2, "heading": "5. Security"}),
    ]


def test_custom_property_declares_the_customer():
    data = build_docx("Fabrikam and Contoso.\n[custom property customer: contoso]")
    assert [(f.match, f.severity) for f in findings(data) if f.rule == "other-customer"] == [("Fabrikam", "error")]


def test_hidden_text_from_a_style():
    data = build_docx("Visible.\n[styled hidden: Internal margin is 62%]")
    assert [(f.rule, f.part, f.line, f.match) for f in findings(data, select=("hidden-content",))] == [
        ("hidden-content", "hidden-text", 2, "Internal margin is 62%")]


def test_a_document_written_by_python_docx(tmp_path):
    """A real producer's output: python-docx writes styles, core properties and comments its own way."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Priya Raman"
    document.add_heading("Northwind for Fabrikam", level=1)
    paragraph = document.add_paragraph("We guarantee zero downtime during migration.")
    document.add_comment(paragraph.runs, text="Check with legal before sending", author="Sam Lee")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "Pricing: TBD"
    buffer = io.BytesIO()
    document.save(buffer)
    found = findings(buffer.getvalue(), config=Config(), select=("commitment", "placeholder", "hidden-content",
                                                                 "metadata"))
    assert sorted((f.rule, f.part, f.line, f.column) for f in found) == sorted([
        ("service-promise", "body", 2, 1), ("service-promise", "body", 2, 14),
        ("hidden-content", "comment", 1, 1), ("draft-marker", "body", 4, 10),
        ("revealing-metadata", "properties", 1, 1),
    ])


# -- hostile and broken files ------------------------------------------------------------

def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_document(document_xml: str) -> bytes:
    return zip_bytes({"word/document.xml": document_xml})


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
                  + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                  "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
XXE = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
       "<w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
HOSTILE = {
    "zip-bomb-part.docx": (lambda: zip_bytes({"word/document.xml": b"<" + b"\0" * (80 * 2**20)}),
                           "part word/document.xml inflates to 80 MiB (limit 16 MiB): not scanned"),
    "zip-bomb-ratio.docx": (lambda: zip_bytes({"word/document.xml": b" " * (12 * 2**20)}), None),
    "billion-laughs.docx": (lambda: with_document(BILLION_LAUGHS),
                            "word/document.xml declares a DTD or entities: refused (XML bomb or external entity)"),
    "external-entity.docx": (lambda: with_document(XXE),
                             "word/document.xml declares a DTD or entities: refused (XML bomb or external entity)"),
    "encrypted.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
                       "encrypted document, cannot be scanned (remove the password and scan again)"),
    "legacy.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024,
                    "legacy Word 97-2003 (.doc) document, not DOCX: save it as .docx to scan it"),
    "corrupt.docx": (lambda: build_docx("Hello.")[:300], None),
    "missing-main.docx": (lambda: zip_bytes({"docProps/core.xml": "<x/>"}),
                          "missing main document part (word/document.xml): not a Word document"),
    "malformed.docx": (lambda: with_document("<w:document><w:body><w:p>"), None),
    "not-a-zip.docx": (lambda: b"This is plain text with a .docx name.",
                       "not a DOCX file (not a zip package)"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_broken_files_get_a_one_line_error(name):
    make, expected = HOSTILE[name]
    result = scan_text(make(), name=name)
    assert result.findings == []
    assert result.error is not None and "\n" not in result.error
    if expected:
        assert result.error == expected
    elif name == "corrupt.docx":
        assert result.error.startswith("corrupt zip package: ")
    elif name == "zip-bomb-ratio.docx":  # the exact ratio depends on the zlib build
        assert re.fullmatch(r"part word/document\.xml compresses \d+:1: not scanned \(possible zip bomb\)", result.error)
    else:
        assert result.error.startswith("malformed XML in word/document.xml: ")


def test_cli_reports_bad_files_and_still_scans_the_others(tmp_path):
    for name in ("billion-laughs.docx", "encrypted.docx", "corrupt.docx"):
        (tmp_path / name).write_bytes(HOSTILE[name][0]())
    (tmp_path / "good.docx").write_bytes(build_docx("Pricing: TBD"))
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [(f["path"], f["status"]) for f in report["files"]] == [
        ("billion-laughs.docx", "error"), ("corrupt.docx", "error"), ("encrypted.docx", "error"), ("good.docx", "ok")]
    assert [(f["path"], f["rule"], f["part"]) for f in report["findings"]] == [("good.docx", "draft-marker", "body")]
    assert len(result.stderr.strip().splitlines()) == 3


# -- the wild corpus -----------------------------------------------------------------------

def test_every_wild_docx_scans_or_fails_in_one_line(shared):
    corpus = shared / "corpora" / "docx-wild"
    files = sorted(corpus.rglob("*.docx"))
    assert len(files) == 255
    config = Config()
    scanner = Scanner(config, active_rules(config))
    # Speed is measured in bench/ (docs/benchmark.md), not asserted: wall clock is flaky under load.
    for path in files:
        result = scanner.scan(Target(str(path), str(path)))
        if result.error:
            assert "\n" not in result.error and "Traceback" not in result.error, path
            assert not result.error.startswith("internal error"), (path, result.error)


def test_wild_corpus_peak_memory_is_bounded(shared, tmp_path):
    script = ("import resource, subprocess, sys\n"
              "from collateral_guard.cli import main\n"
              "sys.argv = ['collateral-guard', 'check', sys.argv[1], '--format', 'json', '-o', sys.argv[2], '-j', '1']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(" + PEAK_KIB + ")\n")
    result = subprocess.run([sys.executable, "-c", script, str(shared / "corpora" / "docx-wild"),
                             str(tmp_path / "report.json")], capture_output=True, text=True, timeout=600,
                            env={**os.environ})
    peak_kib = int(result.stdout.strip().splitlines()[-1])
    assert peak_kib < 400 * 1024, f"peak RSS {peak_kib // 1024} MiB"


def test_first_page_footer_and_custom_xml_part():
    data = build_docx("Body text.[footnote: Based on the Contoso rollout]\n[first-page footer: INTERNAL USE ONLY]")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("customXml/item1.xml", "<deal><stage>Pricing: TBD</stage><owner>sam@corp.northwind.io</owner></deal>")
    found = findings(buffer.getvalue())
    assert sorted((f.rule, f.part, f.line, f.column, f.match) for f in found) == [
        ("draft-marker", "custom-xml", 1, 10, "TBD"),
        ("internal-address", "custom-xml", 1, 18, "corp.northwind.io"),
        ("internal-only-marking", "footer", 1, 1, "INTERNAL USE ONLY"),
        ("other-customer", "footnote", 1, 14, "Contoso"),
    ]
    by_rule = {f.rule: f.message for f in found}
    assert by_rule["internal-only-marking"].endswith("(footer (first, section 1), paragraph 1)")
    assert by_rule["draft-marker"].endswith("(custom XML part customXml/item1.xml)")
