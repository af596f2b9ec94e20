"""Hostile or broken Word packages: one file's one-line error, never the run's end (issue 13, items 5-6)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from collateral_guard.readers import ReadError
from collateral_guard.readers.package import Package
from conftest import PEAK_KIB, scan_text
from docx_builder import build_docx

GOOD = "Our market-leading platform ships in Q3.\n"


def corrupt_member(data: bytes, member: str, compression: int) -> bytes:
    """The package rewritten with ``member`` compressed as asked and its compressed stream garbled."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item),
                            compress_type=compression if item.filename == member else zipfile.ZIP_DEFLATED)
    raw = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo(member)
    name_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    skip = 9 if compression == zipfile.ZIP_LZMA else 0  # LZMA's properties header stays readable
    raw[start + skip:start + info.compress_size] = b"\xff" * (info.compress_size - skip)
    return bytes(raw)


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_LZMA])
def test_a_stream_that_fails_to_inflate_is_that_files_error_and_the_run_goes_on(compression, tmp_path):
    data = build_docx("The platform is market-leading.\n" + "More text to compress. " * 200)
    (tmp_path / "a-broken.docx").write_bytes(corrupt_member(data, "word/document.xml", compression))
    (tmp_path / "b-good.md").write_text(GOOD)
    for output_format in ("json", "sarif", "junit", "text"):
        done = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", output_format],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        if output_format == "json":
            report = json.loads(done.stdout)  # complete and valid
            assert [(f["path"], f["status"]) for f in report["files"]] == [("a-broken.docx", "error"),
                                                                           ("b-good.md", "ok")]
            assert report["files"][0]["error"].startswith("corrupt zip package: cannot read word/document.xml")
        elif output_format == "sarif":
            assert json.loads(done.stdout)["runs"][0]["results"]
        elif output_format == "text":
            assert "b-good.md:1:5: warning unsourced-superlative" in done.stdout


def test_a_part_name_with_a_leading_slash_is_found():
    package = Package(build_docx("Hello."))
    assert package.has("/word/document.xml")
    assert package.read("/word/document.xml") == package.read("word/document.xml")


def with_extra_member(data: bytes, name: str, content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we mean to write
            target.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["word/document.xml", "Word/Document.XML"])
def test_duplicate_and_case_variant_part_names_are_refused_as_ambiguous(name):
    data = with_extra_member(build_docx("Clean text."), name, "<w:document/>")
    result = scan_text(data, name="twice.docx")
    assert result.error == "ambiguous zip package: two parts named " + name + " (ignoring case): not scanned"


DTD_UTF16 = ('<?xml version="1.0" encoding="UTF-16"?>'
             '<!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
             '<d><p>&b;</p></d>')


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_dtd_in_a_utf16_part_is_refused(encoding):
    data = build_docx("Clean text.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                text = DTD_UTF16 if encoding == "utf-16" else DTD_UTF16.replace('encoding="UTF-16"', f'encoding="{encoding}"')
                content = text.encode(encoding)
            target.writestr(item, content)
    with pytest.raises(ReadError, match="declares a DTD or entities"):
        Package(buffer.getvalue()).xml("word/document.xml")


def test_text_after_an_entity_reference_in_a_run_is_read():
    """The parser keeps an undeclared-entity node only inside a DTD document, which is refused;
    the reader still reads every piece of a text element, so nothing after such a node is dropped."""
    from lxml import etree

    from collateral_guard.readers.docx import _text

    element = etree.fromstring('<!DOCTYPE t [<!ENTITY e "x">]><t>before &e; after TODO</t>',
                               etree.XMLParser(resolve_entities=False))
    assert _text(element) == "before &e; after TODO"


def test_the_densest_document_the_limits_accept_stays_under_500_mb(tmp_path):
    """A document.xml just under the 16 MiB part limit, of one-line paragraphs (the most segments per byte)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import random

    from hostile import docx, paragraphs_xml

    xml = paragraphs_xml(16 * 2**20 // 115, random.Random(13))
    assert 15 * 2**20 < len(xml) < 16 * 2**20
    (tmp_path / "dense.docx").write_bytes(docx(xml))
    script = ("import resource, sys\nfrom collateral_guard.cli import main\n"
              "sys.argv = ['collateral-guard', 'check', 'dense.docx', '-j', '1', '--format', 'json']\n"
              "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
              "print(code, " + PEAK_KIB + ", file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    code, peak_kib = done.stderr.split()[-2:]
    assert code == "0" and json.loads(done.stdout)["files"][0]["status"] == "ok"
    assert int(peak_kib) < 500 * 1024, f"peak {int(peak_kib) // 1024} MB"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_a_dtd_is_seen_in_every_encoding(encoding):
    from collateral_guard.readers.package import declares_dtd

    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><t>&lol;</t>'.encode(encoding)
    assert declares_dtd(bomb)
    assert declares_dtd('<t>Hi!</t><!ENTITY x "y">'.encode(encoding))
    assert not declares_dtd('<t>Hi! <![CDATA[x]]> <!-- note --></t>'.encode(encoding))
    assert not declares_dtd("<t>no exclamation mark here</t>".encode(encoding))
