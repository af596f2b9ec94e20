"""Readers turn the bytes of a file into a Document of segments. They know nothing of rules."""

from __future__ import annotations

from pathlib import PurePath

from collateral_guard.segments import Document

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
DOCX_SUFFIXES = (".docx",)
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES + DOCX_SUFFIXES
# A Markdown file's parse tree and segments take about 45 times its size: these bounds keep
# a scan under 500 MB (docs/security.md). Real collateral is far smaller.
MAX_MARKDOWN_BYTES = 8 * 1024 * 1024
MAX_MARKDOWN_LINES = 200_000


class ReadError(Exception):
    """A file that cannot be scanned; the message is one line saying why."""


def read_document(path: str, data: bytes) -> Document:
    suffix = PurePath(path).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        from collateral_guard.readers.docx import read_docx

        return read_docx(path, data)
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
