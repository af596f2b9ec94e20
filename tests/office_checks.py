"""Checks on written Office packages shared by the clean and annotate tests."""

from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def stored_bytes(data: bytes) -> dict[str, bytes]:
    """Each member's compressed bytes as they sit in the zip."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for info in archive.infolist():
        header = data[info.header_offset:info.header_offset + 30]
        name_length, extra_length = int.from_bytes(header[26:28], "little"), int.from_bytes(header[28:30], "little")
        start = info.header_offset + 30 + name_length + extra_length
        out[info.filename] = data[start:start + info.compress_size]
    return out


def assert_package_consistent(data: bytes) -> None:
    """Every part has a content type, every override and internal relationship names a part that exists."""
    files = parts(data)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    types = etree.fromstring(files["[Content_Types].xml"])
    defaults = {e.get("Extension").lower() for e in types if e.tag.endswith("Default")}
    overrides = {e.get("PartName").lstrip("/") for e in types if e.tag.endswith("Override")}
    assert overrides <= set(files), overrides - set(files)
    for name in files:
        if name != "[Content_Types].xml":
            assert name in overrides or name.rpartition(".")[2].lower() in defaults, name
    for name, content in files.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for relation in etree.fromstring(content):
            if relation.get("TargetMode") == "External":
                continue
            target = relation.get("Target")
            resolved = (target.lstrip("/") if target.startswith("/")
                        else posixpath.normpath(posixpath.join(folder, target)))
            assert resolved in files, (name, target)


def libreoffice_text(path: Path, tmp_path: Path) -> str:
    """The document's text as LibreOffice reads it; skips where LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    out = tmp_path / "libreoffice"
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "txt:Text",
                    "--outdir", str(out), str(path)], capture_output=True, timeout=180, check=True)
    return (out / (path.stem + ".txt")).read_text(encoding="utf-8-sig")


def comment_ranges(document_xml: bytes) -> dict[str, str]:
    """Comment id -> the visible text between its range start and end."""
    root = etree.fromstring(document_xml)
    open_ids: list[str] = []
    texts: dict[str, str] = {}
    for element in root.iter():
        if element.tag == W + "commentRangeStart":
            open_ids.append(element.get(W + "id"))
            texts[element.get(W + "id")] = ""
        elif element.tag == W + "commentRangeEnd":
            open_ids.remove(element.get(W + "id"))
        elif element.tag == W + "t":
            for cid in open_ids:
                texts[cid] += element.text or ""
    return texts
