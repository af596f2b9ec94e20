"""Markdown reader: markdown-it-py tokens to segments with exact source positions.

markdown-it-py gives block tokens a line range but no columns, so every piece of
inline text is located again in its source line. Pieces are found in order with
a cursor; text that differs from its source (backslash escapes, entities) is
aligned character by character.
"""

from __future__ import annotations

import bisect
import functools
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from collateral_guard.readers import ReadError
from collateral_guard.segments import (
    BLOCKQUOTE,
    CODE_BLOCK,
    FRONT_MATTER,
    HEADING,
    HTML,
    HTML_COMMENT,
    IMAGE_ALT,
    INLINE_CODE,
    LINK_URL,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    TITLE,
    Document,
    Segment,
)

TITLE_KEYS = frozenset({"title", "subtitle", "description", "summary", "abstract", "headline"})
KNOWN_HTML_TAGS = frozenset(
    "a abbr b big blockquote br center code col colgroup dd del details div dl dt em font h1 h2 h3 h4 "
    "h5 h6 hr i img ins kbd li mark ol p picture pre q s samp small source span strike strong sub "
    "summary sup table tbody td tfoot th thead tr tt u ul var video wbr".split()
)
HTML_TAG = re.compile(r"<[^>]*>")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
# Link targets inside raw HTML tags: read like Markdown link targets (leaks hide there too).
HTML_LINK = re.compile(r"(?i)\s(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)")
TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
FRONT_MATTER_LINE = re.compile(r"^(\s*)(?:-\s+)?(?:([\w.-]+)\s*:(?:\s+|$))?(.*?)\s*$")


@functools.cache
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )


def read_markdown(path: str, text: str) -> Document:
    if "\x00" in text:
        raise ReadError("binary file (contains NUL bytes), not Markdown")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = _MarkdownReader(text)
    try:
        tokens = _parser().parse(text)
    except RecursionError:
        raise ReadError("Markdown nests too deeply to parse") from None
    reader.walk(tokens)
    return Document(path, reader.segments, reader.customer, reader.customer_where)


class _MarkdownReader:
    def __init__(self, text: str):
        self.source = text
        self.lines = text.split("\n")
        self.segments: list[Segment] = []
        self.customer: str | None = None
        self.customer_where: str | None = None

    # -- blocks -----------------------------------------------------------------
    def walk(self, tokens) -> None:
        containers: list[str] = []
        scope = PARAGRAPH
        row_line, row_cursor = -1, 0
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if scope == TABLE_CELL:
                    line = token.map[0]
                    if line != row_line:
                        row_line, row_cursor = line, 0
                    column = self.lines[line].find(token.content, row_cursor) if token.content else -1
                    if column >= 0:
                        row_cursor = column + len(token.content)
                        self.inline(token, scope, [(0, line, column)])
                else:
                    self.inline(token, scope, self.line_anchors(token.content, token.map[0]))
            elif kind == "heading_open":
                scope = HEADING
            elif kind in ("th_open", "td_open"):
                scope = TABLE_CELL
            elif kind == "paragraph_open":
                scope = containers[-1] if containers else PARAGRAPH
            elif kind == "list_item_open":
                containers.append(LIST_ITEM)
            elif kind == "blockquote_open":
                containers.append(BLOCKQUOTE)
            elif kind in ("list_item_close", "blockquote_close"):
                containers.pop()
            elif kind == "footnote_open":
                containers.append(PARAGRAPH)
            elif kind == "footnote_close":
                containers.pop()
            elif kind in ("fence", "code_block"):
                first = token.map[0] + (1 if kind == "fence" else 0)
                self.block(token.content.rstrip("\n"), CODE_BLOCK, first)
            elif kind == "html_block":
                self.html_block(token.content.rstrip("\n"), token.map[0])
            elif kind == "front_matter":
                self.front_matter(token.map[0] + 1, token.map[1] - 1)

    def line_anchors(self, content: str, first_line: int) -> list[tuple[int, int, int]]:
        """(content_offset, line_index, column_index) for each line of a block's content."""
        anchors = []
        offset = 0
        for k, piece in enumerate(content.split("\n")):
            line_index = first_line + k
            source_line = self.lines[line_index] if line_index < len(self.lines) else ""
            column = source_line.find(piece) if piece else 0
            lead = 0
            if column < 0:  # indentation tabs expanded to spaces by the parser
                stripped = piece.lstrip()
                lead = len(piece) - len(stripped)
                column = max(source_line.find(stripped), 0)
            anchors.append((offset + lead, line_index, column))
            offset += len(piece) + 1
        return anchors

    def block(self, content: str, scope: str, first_line: int, **extra) -> None:
        if not content.strip():
            return
        anchors = [(o, li + 1, c + 1) for o, li, c in self.line_anchors(content, first_line)]
        self.segments.append(Segment(content, scope, anchors, **extra))

    def html_block(self, content: str, first_line: int) -> None:
        anchors = [(o, li + 1, c + 1) for o, li, c in self.line_anchors(content, first_line)]
        for match in HTML_COMMENT_RE.finditer(content):
            self.add_slice(content, anchors, match.start(), match.end(), HTML_COMMENT)
        for match in HTML_LINK.finditer(HTML_COMMENT_RE.sub(lambda m: " " * len(m.group()), content)):
            self.add_slice(content, anchors, match.start(1), match.end(1), LINK_URL)
        # Blank out tags with spaces so the visible text keeps its positions.
        visible = HTML_TAG.sub(lambda m: " " * len(m.group()), HTML_COMMENT_RE.sub(
            lambda m: re.sub(r"[^\n]", " ", m.group()), content))
        if visible.strip():
            self.segments.append(Segment(visible, HTML, anchors))

    def add_slice(self, content, anchors, start, end, scope, **extra) -> None:
        """A segment for content[start:end], positioned through the content's anchors."""
        self.segments.append(Segment(content[start:end], scope, _shift(anchors, start, end), **extra))

    def front_matter(self, first: int, last: int) -> None:
        key = None
        block_indent = -1
        for line_index in range(first, last):
            line = self.lines[line_index]
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip())
            if block_indent >= 0 and indent >= block_indent:  # inside a | or > block scalar
                value_start = indent
                value = line.strip()
            else:
                block_indent = -1
                match = FRONT_MATTER_LINE.match(line)
                if match.group(2):
                    key = match.group(2)
                value = match.group(3)
                value_start = match.start(3)
                if value in ("|", ">", "|-", ">-", "|+", ">+"):
                    block_indent = indent + 1
                    continue
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value, value_start = value[1:-1], value_start + 1
            if not value or key is None:
                continue
            if key == "customer" and indent == 0 and self.customer is None:
                # The tool's own directive, like a suppression comment: not text for the rules.
                self.customer = value
                self.customer_where = f"front matter (line {line_index + 1})"
                continue
            scope = TITLE if key.lower() in TITLE_KEYS else FRONT_MATTER
            self.segments.append(
                Segment(value, scope, [(0, line_index + 1, value_start + 1)], label=key)
            )

    # -- inline -----------------------------------------------------------------
    def inline(self, token, scope: str, line_anchors: list[tuple[int, int, int]]) -> None:
        content = token.content
        if not content:
            return
        # content offset -> source (line, column), both 1-based
        starts = [a[0] for a in line_anchors]

        def locate(offset: int) -> tuple[int, int]:
            i = max(bisect.bisect_right(starts, offset) - 1, 0)
            start, line_index, column = line_anchors[i]
            return line_index + 1, column + 1 + offset - start

        parts: list[str] = []
        anchors: list[tuple[int, int, int]] = []
        markers: list[int] = []
        code_spans: list[tuple[int, int]] = []
        length = 0
        cursor = 0

        def emit(text: str, offset: int) -> None:
            nonlocal length
            anchors.append((length, *locate(offset)))
            parts.append(text)
            length += len(text)

        def place(text: str) -> None:
            """Append text found in the content at or after the cursor."""
            nonlocal cursor
            found = content.find(text, cursor)
            if found >= 0:
                emit(text, found)
                cursor = found + len(text)
                return
            for char in text:  # escapes and entities: align what can be aligned
                found = content.find(char, cursor, cursor + 10)
                if found >= 0:
                    cursor = found + 1
                emit(char, found if found >= 0 else cursor)

        link_stack: list[tuple[str, int]] = []
        for child in token.children or ():
            kind = child.type
            if kind == "text":
                if child.content:
                    place(child.content)
            elif kind in ("softbreak", "hardbreak"):
                newline = content.find("\n", cursor)
                if newline >= 0:
                    emit("\n", newline)
                    cursor = newline + 1
                else:
                    emit("\n", cursor)
            elif kind == "code_inline":
                found = content.find(child.content, cursor)
                if found < 0:
                    found = cursor
                self.segments.append(Segment(child.content, INLINE_CODE, [(0, *locate(found))]))
                # Kept in the sentence so it reads whole; rules that do not read code skip the span.
                code_spans.append((length, length + len(child.content)))
                emit(child.content, found)
                cursor = found + len(child.content)
            elif kind == "link_open":
                markers.append(length)
                link_stack.append((child.attrs.get("href", ""), cursor))
            elif kind == "link_close" and link_stack:
                href, opened = link_stack.pop()
                cursor = self.link_target(href, content, cursor, opened, locate)
            elif kind == "image":
                alt = child.content
                if alt:
                    found = content.find(alt, cursor)
                    if found >= 0:
                        self.segments.append(Segment(alt, IMAGE_ALT, [(0, *locate(found))]))
                        cursor = found + len(alt)
                cursor = self.link_target(child.attrs.get("src", ""), content, cursor, cursor, locate)
            elif kind == "footnote_ref":
                markers.append(length)
            elif kind == "html_inline":
                found = content.find(child.content, cursor)
                if child.content.startswith("<!--"):
                    if found >= 0:
                        self.segments.append(Segment(
                            child.content, HTML_COMMENT, [(0, *locate(found))], label="inline"))
                        cursor = found + len(child.content)
                    continue
                name = TAG_NAME.match(child.content)
                if name and name.group(1).lower() in KNOWN_HTML_TAGS:
                    if found >= 0:
                        for link in HTML_LINK.finditer(child.content):
                            self.segments.append(Segment(link.group(1), LINK_URL,
                                                         [(0, *locate(found + link.start(1)))]))
                        cursor = found + len(child.content)
                    continue
                place(child.content)  # e.g. <INSERT PRICE>: not HTML, shown to the reader
        if parts:
            text = "".join(parts)
            if text.strip():
                self.segments.append(Segment(text, scope, anchors, markers=tuple(markers),
                                             code_spans=tuple(code_spans)))

    def link_target(self, href: str, content: str, cursor: int, opened: int, locate) -> int:
        """Add a link-url segment for href, positioned where it is written; returns the new cursor."""
        if not href:
            return cursor
        for start in (cursor, opened):
            found = content.find(href, start)
            if found >= 0:
                self.segments.append(Segment(href, LINK_URL, [(0, *locate(found))]))
                return max(cursor, found + len(href))
        # A reference link: the target is written in its definition elsewhere.
        found = self.source.find(href)
        if found >= 0:
            line_index = self.source.count("\n", 0, found)
            column = found - (self.source.rfind("\n", 0, found) + 1)
            self.segments.append(Segment(href, LINK_URL, [(0, line_index + 1, column + 1)]))
        else:  # normalised by the parser (percent-encoded); point at the link itself
            self.segments.append(Segment(href, LINK_URL, [(0, *locate(opened))]))
        return cursor


def _shift(anchors: list[tuple[int, int, int]], start: int, end: int) -> list[tuple[int, int, int]]:
    """Anchors for the slice [start, end) of a text described by ``anchors``."""
    keys = [a[0] for a in anchors]
    i = max(bisect.bisect_right(keys, start) - 1, 0)
    first_offset, line, column = anchors[i]
    shifted = [(0, line, column + start - first_offset)]
    for offset, line, column in anchors[i + 1:]:
        if offset >= end:
            break
        shifted.append((offset - start, line, column))
    return shifted
