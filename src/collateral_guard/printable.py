"""Text from documents and file names, made safe to print on a terminal or in an XML report."""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, and the bidirectional overrides that reorder what a
# terminal shows. Newlines are escaped too: one finding, one line.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 cannot hold at all (JUnit reports must stay well-formed).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Control characters as visible escapes (\\x1b), so a document cannot drive the terminal."""
    return CONTROL.sub(_escape, text)


def xml_safe(text: str) -> str:
    """Characters XML 1.0 forbids as visible escapes."""
    return NOT_XML.sub(_escape, text)


def displayed_path(path: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 (kept by the OS as surrogates) as U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
