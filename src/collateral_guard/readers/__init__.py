"""Readers turn the bytes of a file into a Document of segments. They know nothing of rules."""

from __future__ import annotations

from pathlib import PurePath

from collateral_guard.segments import Document

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
DOCX_SUFFIXES = (".docx",)
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES + DOCX_SUFFIXES


class ReadError(Exception):
    """A file that cannot be scanned; the message is one line saying why."""


def read_document(path: str, data: bytes) -> Document:
    suffix = PurePath(path).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        from collateral_guard.readers.docx import read_docx

        return read_docx(path, data)
    from collateral_guard.readers.markdown import read_markdown

    return read_markdown(path, decode_text(data))


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(f"not UTF-8 text (byte {error.start}): save the file as UTF-8") from None
