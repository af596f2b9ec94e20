"""Readers turn the bytes of a file into a Document of segments. They know nothing of rules."""

from __future__ import annotations

from pathlib import PurePath

from collateral_guard.segments import Document

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
DOCX_SUFFIXES = (".docx",)
PPTX_SUFFIXES = (".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES + DOCX_SUFFIXES + PPTX_SUFFIXES + XLSX_SUFFIXES
# Documents collateral-guard cannot read, and why: a folder scan counts them, a named one is an error.
UNSUPPORTED = {
    ".doc": "legacy Word 97-2003 document: save it as .docx to scan it",
    ".dot": "legacy Word 97-2003 template: save it as .dotx to scan it",
    ".ppt": "legacy PowerPoint 97-2003 file: convert it to .pptx to scan it",
    ".pps": "legacy PowerPoint 97-2003 file: convert it to .pptx to scan it",
    ".pot": "legacy PowerPoint 97-2003 template: convert it to .pptx to scan it",
    ".xls": "legacy Excel 97-2003 file: convert it to .xlsx to scan it",
    ".xlt": "legacy Excel 97-2003 template: convert it to .xlsx to scan it",
    ".xlsb": "binary Excel workbook: save it as .xlsx to scan it",
    ".docm": "macro-enabled Word document: not supported yet (save a copy as .docx to scan it)",
    ".dotx": "Word template: not supported yet (save a copy as .docx to scan it)",
    ".dotm": "Word template: not supported yet (save a copy as .docx to scan it)",
    ".pdf": "PDF: not supported yet (scan the document it was made from)",
    ".odt": "OpenDocument text: not supported yet (save it as .docx to scan it)",
    ".odp": "OpenDocument presentation: not supported yet (save it as .pptx to scan it)",
    ".ods": "OpenDocument spreadsheet: not supported yet (save it as .xlsx to scan it)",
    ".rtf": "RTF: not supported yet (save it as .docx to scan it)",
    ".key": "Keynote: not supported yet (export it as .pptx to scan it)",
    ".pages": "Pages: not supported yet (export it as .docx to scan it)",
    ".numbers": "Numbers: not supported yet (export it as .xlsx to scan it)",
}
MAX_CELLS = 200_000  # cells read from one workbook; `max-cells` in the configuration
# Reading a Markdown file peaks at about 8 times its size and a whole scan of it at about 35 times
# (5 MB: 59 MB and 183 MB): these bounds keep a scan under 500 MB (docs/security.md). Real
# collateral is far smaller.
MAX_MARKDOWN_BYTES = 8 * 1024 * 1024
MAX_MARKDOWN_LINES = 200_000


class ReadError(Exception):
    """A file that cannot be scanned; the message is one line saying why."""


def read_document(path: str, data: bytes, max_cells: int = MAX_CELLS, depth: int = 0) -> Document:
    """``depth`` counts how deep inside other Office files this one is embedded."""
    suffix = PurePath(path).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        from collateral_guard.readers.docx import read_docx

        return read_docx(path, data, max_cells, depth)
    if suffix in PPTX_SUFFIXES:
        from collateral_guard.readers.pptx import read_pptx

        return read_pptx(path, data, max_cells, depth)
    if suffix in XLSX_SUFFIXES:
        from collateral_guard.readers.xlsx import read_xlsx

        return read_xlsx(path, data, max_cells, depth)
    if suffix in UNSUPPORTED:
        raise ReadError(UNSUPPORTED[suffix])
    from collateral_guard.readers.markdown import read_markdown

    if len(data) > MAX_MARKDOWN_BYTES:
        raise ReadError(f"Markdown file larger than {MAX_MARKDOWN_BYTES // 2**20} MiB: not scanned")
    text = decode_text(data)
    if text.count("\n") >= MAX_MARKDOWN_LINES:
        raise ReadError(f"Markdown file of more than {MAX_MARKDOWN_LINES:,} lines: not scanned")
    return read_markdown(path, text)


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(f"not UTF-8 text (byte {error.start}): save the file as UTF-8") from None
