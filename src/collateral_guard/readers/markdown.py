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
from collections.abc import Iterator

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from collateral_guard.readers import ReadError
from collateral_guard.readers.front_matter import FrontMatter, read_toml, read_yaml, toml_front_matter
from collateral_guard.readers.markdown_html import (
    BLOCK_TAGS,
    attribute_segments,
    comment_scope,
    html_block_segments,
    is_tag,
)
from collateral_guard.readers.markup import JOINER, blank_templates, looks_like_mdx, mask_markup
from collateral_guard.segments import (
    BLOCKQUOTE,
    CODE_BLOCK,
    HEADING,
    IMAGE_ALT,
    INLINE_CODE,
    LINK_URL,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    Document,
    Segment,
)

TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# A reference definition's target: "[label]: https://..." (or <https://...>), at most three spaces in.
REFERENCE_TARGET = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)


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
    source = text.split("\n")
    toml = toml_front_matter(text)
    if toml:  # markdown-it knows only YAML front matter; the TOML block is blanked, not parsed as text
        last = toml[1]
        lines = text.split("\n")
        text = "\n".join(" " * len(line) if index <= last else line for index, line in enumerate(lines))
    mdx = path.lower().endswith(".mdx") or looks_like_mdx(text)
    masked = mask_markup(text, mdx, skip=_yaml_front_matter(text))
    reader = _MarkdownReader(masked.text)
    if toml:
        reader.front_matter(read_toml(lines, *toml))
    try:
        tokens = _parser().parse(masked.text)
    except RecursionError:
        raise ReadError("Markdown nests too deeply to parse") from None
    reader.walk(_consumed(tokens))
    segments = []
    for segment in reader.segments:
        if JOINER in segment.text:  # masked markup inside a line reads as a space
            segment.text = segment.text.replace(JOINER, " ")
            if not segment.text.strip():
                continue
        segments.append(segment)
    return Document(path, segments + masked.segments, reader.customer, reader.customer_where, source_lines=source)


def _consumed(tokens: list) -> Iterator:
    """The tokens in order, each let go once read: a big file's whole token tree is not kept beside
    the segments built from it."""
    tokens.reverse()
    while tokens:
        yield tokens.pop()


def _yaml_front_matter(text: str) -> tuple[int, int] | None:
    """(start, end) of a ``---`` front matter block that opens the text."""
    if not text.startswith("---\n"):
        return None
    end = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M).search(text, 4)
    return (0, end.end()) if end else None


class _MarkdownReader:
    def __init__(self, text: str):
        self.source = text
        self.lines = text.split("\n")
        self.targets: dict[str, int] | None = None  # reference definitions, read at the first reference link
        self.line_starts: list[int] | None = None
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
                elif scope == PARAGRAPH and _broken_table(token.content):
                    self.inline(token, TABLE_CELL, self.line_anchors(token.content, token.map[0]))
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
                self.front_matter(read_yaml(self.lines, token.map[0] + 1, token.map[1] - 1))

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
        self.segments.extend(html_block_segments(content, anchors))

    def front_matter(self, found: FrontMatter) -> None:
        for segment in found.segments:
            segment.text = blank_templates(segment.text)  # title: "{{ page.product | upcase }}"
            if segment.text.strip():
                self.segments.append(segment)
        if found.customer is not None:
            self.customer, self.customer_where = found.customer, found.customer_where

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
                # A visible line break ends a sentence: a blank line in the text says so to the rules.
                emit("\n\n" if kind == "hardbreak" else "\n", newline if newline >= 0 else cursor)
                cursor = newline + 1 if newline >= 0 else cursor
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
                            child.content, comment_scope(child.content), [(0, *locate(found))], label="inline"))
                        cursor = found + len(child.content)
                    continue
                name = TAG_NAME.match(child.content)
                if name and is_tag(name.group(1)):
                    if name.group(1).lower() in BLOCK_TAGS:  # <br>, <p>: a break the reader sees
                        emit("\n\n", found if found >= 0 else cursor)
                    if found >= 0:
                        self.segments.extend(attribute_segments(child.content, lambda i, at=found: locate(at + i)))
                        cursor = found + len(child.content)
                    continue
                place(child.content)  # e.g. <INSERT PRICE>: not HTML, shown to the reader
        if parts:
            text = "".join(parts)
            if text.strip():
                self.segments.append(Segment(text, scope, anchors, markers=tuple(markers),
                                             code_spans=tuple(code_spans)))

    def _reference_targets(self) -> dict[str, int]:
        """Where each reference definition's target is written, found in one pass (not one per link)."""
        if self.targets is None:
            self.targets = {}
            for match in REFERENCE_TARGET.finditer(self.source):
                self.targets.setdefault(match.group(1), match.start(1))
        return self.targets

    def _line_starts(self) -> list[int]:
        if self.line_starts is None:
            self.line_starts, offset = [], 0
            for line in self.lines:
                self.line_starts.append(offset)
                offset += len(line) + 1
        return self.line_starts

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
        found = self._reference_targets().get(href)
        if found is None:
            found = self.source.find(href)
        if found >= 0:
            line_index = bisect.bisect_right(self._line_starts(), found) - 1
            column = found - self._line_starts()[line_index]
            self.segments.append(Segment(href, LINK_URL, [(0, line_index + 1, column + 1)]))
        else:  # normalised by the parser (percent-encoded); point at the link itself
            self.segments.append(Segment(href, LINK_URL, [(0, *locate(opened))]))
        return cursor


def _broken_table(content: str) -> bool:
    """Rows of a table the parser could not take as one (a header shorter than its rule line, say):
    still a table to whoever reads them, not a paragraph."""
    return all(line.lstrip().startswith("|") for line in content.split("\n"))
