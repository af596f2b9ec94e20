"""Markdown reader: pulldown-cmark events (through pyromark) to segments with exact source positions.

pulldown-cmark hands each event the byte range it was read from, so every piece
of text is placed where it is written: no text is searched for again. Byte
offsets become (line, column) through the list of non-ASCII characters only
(``SourceMap``), so a page in plain ASCII costs one bisect per piece. The events
are read as they are produced, never kept as a tree beside the segments.
"""

from __future__ import annotations

import bisect
import re
from array import array
from itertools import accumulate

import pyromark

from collateral_guard.lazy_re import LazyPattern
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

TAG_NAME = LazyPattern(r"</?([A-Za-z][A-Za-z0-9-]*)")
# A reference definition's target: "[label]: https://..." (or <https://...>), at most three spaces in.
REFERENCE_TARGET = LazyPattern(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)
NON_ASCII = LazyPattern(r"[^\x00-\x7f]")
OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_FOOTNOTES
# A front matter fence: a first line of three or more dashes and nothing else (a "-----BEGIN ... KEY-----"
# line is not one: taken for front matter, a key would be blanked unseen); closed by a line of at least
# as many dashes, or by "...", with nothing but spaces after.
FENCE = LazyPattern(r"(-{3,})[ \t]*\r?\n?")
RAW_OPEN = LazyPattern(r"^ {0,3}<(script|pre|style|textarea)(?=[\s>]|$)", re.I | re.M)
RAW_CLOSE = LazyPattern(r"</(script|pre|style|textarea)>", re.I)
CLOSING = LazyPattern(r"[ \t]{0,3}(-{3,})[ \t]*|\.\.\.[ \t]*")


def read_markdown(path: str, text: str) -> Document:
    if "\x00" in text:
        raise ReadError("binary file (contains NUL bytes), not Markdown")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    source = text.split("\n")
    toml = toml_front_matter(text)
    lines = source
    if toml:  # the TOML block is blanked, not parsed as text
        last = toml[1]
        text = "\n".join(" " * len(line) if index <= last else line for index, line in enumerate(lines))
    yaml_lines = None if toml else _yaml_front_matter(lines)
    skip = (0, sum(len(line) + 1 for line in lines[:yaml_lines[1] + 1]) - 1) if yaml_lines else None
    mdx = path.lower().endswith(".mdx") or looks_like_mdx(text)
    masked = mask_markup(text, mdx, skip=skip)
    parsed = masked.text
    reader = _MarkdownReader(parsed)
    if toml:
        reader.front_matter(read_toml(lines, *toml))
    if yaml_lines:  # read as YAML, then blanked byte for byte: the parser sees blank lines where it was
        masked_lines = parsed.split("\n")
        reader.front_matter(read_yaml(masked_lines, 1, yaml_lines[1]))
        last = yaml_lines[1]
        masked_lines[:last + 1] = [" " * len(line.encode("utf-8")) for line in masked_lines[:last + 1]]
        parsed = "\n".join(masked_lines)
    # pulldown-cmark keeps no recursion on the Python side: any nesting depth parses.
    reader.walk(pyromark.events_with_range(_close_raw_blocks(parsed), options=OPTIONS))
    segments = []
    for segment in reader.segments:
        if JOINER in segment.text:  # masked markup inside a line reads as a space
            segment.text = segment.text.replace(JOINER, " ")
            if not segment.text.strip():
                continue
        segments.append(segment)
    return Document(path, segments + masked.segments, reader.customer, reader.customer_where, source_lines=source)


def raw_block_lines(text: str) -> set[int]:
    """1-based lines of YAML front matter, code blocks and raw HTML blocks: text a fix never touches."""
    lines = text.split("\n")
    found = _yaml_front_matter(lines)
    taken = set(range(1, found[1] + 2)) if found else set()
    source_map = SourceMap(text)
    for event, span in pyromark.events_with_range(_close_raw_blocks(text), options=OPTIONS):
        opened = event.get("Start") if type(event) is dict else None
        if opened == "HtmlBlock" or (type(opened) is dict and "CodeBlock" in opened):
            first = source_map.position(span["start"])[0]
            last = source_map.position(max(span["end"] - 1, span["start"]))[0]
            taken.update(range(first, last + 1))
    return taken


def _yaml_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """(0, closing line index) of a ``---`` front matter block that opens the file."""
    opening = FENCE.fullmatch(lines[0])
    if not opening:
        return None
    for index in range(1, len(lines)):
        closing = CLOSING.fullmatch(lines[index])
        if closing and (closing.group(1) is None or len(closing.group(1)) >= len(opening.group(1))):
            return 0, index
    return None


def _close_raw_blocks(text: str) -> str:
    """CommonMark ends a raw HTML block (<script>, <pre>, <style>, <textarea>) at the first line holding
    any of their closing tags; pulldown-cmark waits for the block's own. Where they differ (a masked
    ``</script>``, then ``</style>``), the longer of the two tag names is renamed to the shorter,
    padded with spaces: every byte stays where it was, and the block ends where CommonMark ends it."""
    if "<" not in text:
        return text
    chars = None
    for opening in RAW_OPEN.finditer(text):
        closing = RAW_CLOSE.search(text, opening.end())
        if closing is None or closing.group(1).lower() == opening.group(1).lower():
            continue
        chars = chars if chars is not None else list(text)
        longer, shorter = sorted((opening, closing), key=lambda m: len(m.group(1)), reverse=True)
        chars[longer.start(1):longer.end(1)] = shorter.group(1).ljust(len(longer.group(1)))
    return text if chars is None else "".join(chars)


class SourceMap:
    """Byte offsets in the UTF-8 text to 1-based (line, column) in code points."""

    __slots__ = ("line_starts", "wide_bytes", "extra")

    def __init__(self, text: str):
        # Where each line starts: the lengths of the lines before it and their newlines, summed in C.
        self.line_starts = array("q", accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        self.line_starts.pop()
        # The byte offset of each non-ASCII character and the extra bytes up to and including it.
        self.wide_bytes, self.extra = array("q"), array("q")
        extra = 0
        for match in () if text.isascii() else NON_ASCII.finditer(text):
            code = ord(match.group())
            self.wide_bytes.append(match.start() + extra)
            extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3
            self.extra.append(extra)

    def position(self, byte: int) -> tuple[int, int]:
        # char() and char_position() in one: called for every piece of text
        if self.wide_bytes:
            k = bisect.bisect_left(self.wide_bytes, byte)
            if k:
                byte -= self.extra[k - 1]
        starts = self.line_starts
        line = bisect.bisect_right(starts, byte) - 1
        return line + 1, byte - starts[line] + 1

    def char_position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index) - 1
        return line + 1, index - self.line_starts[line] + 1


class _Inline:
    """The inline content of one block being gathered: its text, where each piece came from, links."""

    __slots__ = ("scope", "parts", "source_text", "anchors", "markers", "code_spans", "length", "line_starts",
                 "new_line")

    def __init__(self, scope: str):
        self.scope = scope
        self.parts: list[str] = []
        self.source_text: list[bool] = []  # per part: written as is in the source (text, line breaks)
        self.anchors: list[tuple[int, int, int]] = []
        self.markers: list[int] = []
        self.code_spans: list[tuple[int, int]] = []
        self.length = 0
        self.line_starts: list[int] = []  # byte offset of what opens each line of the block
        self.new_line = True

    def emit(self, text: str, where: tuple[int, int], source_text: bool = False) -> None:
        self.anchors.append((self.length, *where))
        self.parts.append(text)
        self.source_text.append(source_text)
        self.length += len(text)

    def edge(self) -> None:
        """Markup that is not text at the start or end of the block: its ends are not whitespace to trim."""
        self.parts.append("")
        self.source_text.append(False)


INLINE_TAGS = frozenset({"Link", "Image", "Emphasis", "Strong", "Strikethrough"})
LEAVES = frozenset({"Text", "Code", "InlineHtml", "FootnoteReference", "SoftBreak", "HardBreak", "Html"})


class _MarkdownReader:
    def __init__(self, text: str):
        self.source = text
        self.data = text.encode("utf-8")
        self.map = SourceMap(text)
        self.segments: list[Segment] = []
        self.customer: str | None = None
        self.customer_where: str | None = None
        self.inline: _Inline | None = None
        self.targets: dict[str, int] | None = None  # reference definitions, read at the first reference link
        self.containers: list[str] = []

    def front_matter(self, found: FrontMatter) -> None:
        for segment in found.segments:
            segment.text = blank_templates(segment.text)  # title: "{{ page.product | upcase }}"
            if segment.text.strip():
                self.segments.append(segment)
        if found.customer is not None:
            self.customer, self.customer_where = found.customer, found.customer_where

    # -- blocks -----------------------------------------------------------------
    def walk(self, events) -> None:
        containers = self.containers
        block: list[tuple[int, int]] | None = None  # a code or HTML block's pieces: byte ranges
        links: list[tuple[dict, int]] = []  # open links: (link, start byte)
        image: list | None = None  # [image, start byte, end byte of what its alt text holds so far]
        for event, span in events:
            start, end = span["start"], span["end"]
            if type(event) is str:
                kind, value = event, None
            else:
                for kind, value in event.items():  # one key: the event's name
                    break
            if kind in LEAVES:
                if block is not None:  # HTML as written (see _close_raw_blocks)
                    block.append((self.data[start:end].decode("utf-8") if kind == "Html" else value, start))
                elif image is not None:
                    image[2] = max(image[2], end)
                else:
                    self.leaf(kind, value, start, end)
                continue
            if kind != "Start" and kind != "End":  # a thematic break
                self.flush()
                continue
            tag = value if type(value) is str else next(iter(value))
            if tag in INLINE_TAGS:
                if image is not None:
                    if kind == "End" and tag == "Image" and start == image[1]:
                        self.image(*image, end)
                        image = None
                    else:
                        image[2] = max(image[2], end)
                    continue
                inline = self.inline_at(start)
                inline.edge()
                if tag == "Link":
                    if kind == "Start":
                        inline.markers.append(inline.length)
                        links.append((value[tag], start))
                    elif links:
                        link, opened = links.pop()
                        self.link_target(link, opened, end)
                elif tag == "Image" and kind == "Start":
                    image = [value[tag], start, start + 2]
                continue
            self.flush()
            if kind == "Start":
                if tag == "Paragraph":
                    self.inline = _Inline(containers[-1] if containers else PARAGRAPH)
                elif tag == "Heading":
                    self.inline = _Inline(HEADING)
                elif tag == "TableCell":
                    self.inline = _Inline(TABLE_CELL)
                elif tag == "Item":
                    containers.append(LIST_ITEM)
                elif tag == "BlockQuote":
                    containers.append(BLOCKQUOTE)
                elif tag == "FootnoteDefinition":
                    containers.append(PARAGRAPH)
                elif tag == "CodeBlock" or tag == "HtmlBlock":
                    block = []
            elif tag in ("Item", "BlockQuote", "FootnoteDefinition"):
                containers.pop()
            elif tag == "CodeBlock":
                self.code_block(block)
                block = None
            elif tag == "HtmlBlock":
                self.html_block(block)
                block = None
        self.flush()

    def inline_at(self, start: int) -> _Inline:
        """The inline content being gathered (text straight inside a tight list item starts one)."""
        inline = self.inline
        if inline is None:
            inline = self.inline = _Inline(self.containers[-1] if self.containers else PARAGRAPH)
        if inline.new_line:
            inline.line_starts.append(start)
            inline.new_line = False
        return inline

    def leaf(self, kind: str, value, start: int, end: int) -> None:
        inline = self.inline_at(start)
        if kind == "Text":
            if value[:1] == "\\" and self._escaped(start):  # \\server: the path starts where it is written
                inline.emit(value[0], self.map.position(start - 1), source_text=True)
                if len(value) > 1:
                    inline.emit(value[1:], self.map.position(start + 1), source_text=True)
            else:
                inline.emit(value, self.map.position(start), source_text=True)
        elif kind == "SoftBreak" or kind == "HardBreak":
            newline = end - 1 if self.data[end - 1:end] == b"\n" else start
            # A visible line break ends a sentence: a blank line in the text says so to the rules.
            inline.emit("\n\n" if kind == "HardBreak" else "\n", self.map.position(newline), source_text=True)
            inline.new_line = True
        elif kind == "Code":
            where = self.map.position(self.code_start(value, start, end))
            self.segments.append(Segment(value, INLINE_CODE, [(0, *where)]))
            # Kept in the sentence so it reads whole; rules that do not read code skip the span.
            inline.code_spans.append((inline.length, inline.length + len(value)))
            inline.emit(value, where)
        elif kind == "FootnoteReference":
            inline.markers.append(inline.length)
            inline.edge()
        else:
            self.html_inline(inline, value, start)
            inline.edge()

    def block_anchors(self, pieces: list[tuple[str, int]]) -> tuple[str, list[tuple[int, int, int]]]:
        """A code or HTML block's text and an anchor for each of its lines."""
        anchors, parts, length = [], [], 0
        locate = self.map.position
        for text, start in pieces:
            byte = start
            offset = 0
            for k, line in enumerate(text.split("\n")):
                if k:
                    offset += 1
                    byte += 1
                if line or k == 0:
                    anchors.append((length + offset, *locate(byte)))
                offset += len(line)
                byte += len(line.encode("utf-8")) if not line.isascii() else len(line)
            parts.append(text)
            length += len(text)
        return "".join(parts), anchors

    def code_block(self, pieces: list[tuple[str, int]]) -> None:
        content, anchors = self.block_anchors(pieces)
        content = content.rstrip("\n")
        if content.strip():
            self.segments.append(Segment(content, CODE_BLOCK, [a for a in anchors if a[0] < len(content)]))

    def html_block(self, pieces: list[tuple[str, int]]) -> None:
        content, anchors = self.block_anchors(pieces)
        content = content.rstrip("\n")
        anchors = [a for a in anchors if a[0] < len(content)] or anchors[:1]
        if anchors:
            self.segments.extend(html_block_segments(content, anchors))

    # -- inline -----------------------------------------------------------------
    def flush(self) -> None:
        inline, self.inline = self.inline, None
        if inline is None or not inline.parts:
            return
        text = "".join(inline.parts)
        # Only a text that opens (closes) with whitespace can have any to trim there.
        lead = _edge_space(inline.parts, inline.source_text) if text[:1].isspace() else 0
        trail = _edge_space(inline.parts[::-1], inline.source_text[::-1], right=True) if text[-1:].isspace() else 0
        if lead or trail:  # as a block's content is read: no-break spaces at its ends too
            text = text[lead:len(text) - trail]
            if lead:
                inline.anchors = _shifted(inline.anchors, lead)
                inline.markers = [max(m - lead, 0) for m in inline.markers]
                inline.code_spans = [(a - lead, b - lead) for a, b in inline.code_spans]
        if text.strip():
            scope = inline.scope
            if scope == PARAGRAPH and all(self.data[b:b + 1] == b"|" for b in inline.line_starts):
                # Rows of a table the parser could not take as one (a header shorter than its rule
                # line, say): still a table to whoever reads them, not a paragraph.
                scope = TABLE_CELL
            self.segments.append(Segment(text, scope, inline.anchors, markers=tuple(inline.markers),
                                         code_spans=tuple(inline.code_spans)))

    def _escaped(self, start: int) -> bool:
        """Whether the backslash at ``start`` is escaped by the one before it."""
        data = self.data
        if not start or data[start] != 0x5C or data[start - 1] != 0x5C:
            return False
        before = start - 1
        while before > 0 and data[before - 1] == 0x5C:
            before -= 1
        return (start - before) % 2 == 1

    def code_start(self, value: str, start: int, end: int) -> int:
        """The byte where a code span's content is written: after its opening backticks and a space."""
        data = self.data
        byte = start
        while byte < end and data[byte] == 0x60:
            byte += 1
        if value and data[byte:byte + 1] == b" " and value[:1] != " ":
            byte += 1
        return byte

    def html_inline(self, inline: _Inline, value: str, start: int) -> None:
        where = self.map.position(start)
        if value.startswith("<!--"):
            self.segments.append(Segment(value, comment_scope(value), [(0, *where)], label="inline"))
            return
        name = TAG_NAME.match(value)
        if name and is_tag(name.group(1)):
            if name.group(1).lower() in BLOCK_TAGS:  # <br>, <p>: a break the reader sees
                inline.emit("\n\n", where)
            offsets = _CharOffsets(value, start, self.map)
            self.segments.extend(attribute_segments(value, offsets.position))
            return
        inline.emit(value, where)  # e.g. <INSERT PRICE>: not HTML, shown to the reader

    def image(self, image: dict, start: int, alt_end: int, end: int) -> None:
        """The alt text as written (markup and all) up to its closing bracket, then the image's target."""
        close = self.data.find(b"]", alt_end, end) if alt_end > start + 2 else -1
        if close > start + 2:
            alt = self.data[start + 2:close].decode("utf-8")
            anchors, offset, byte = [], 0, start + 2
            for line in alt.split("\n"):
                anchors.append((offset, *self.map.position(byte)))
                offset += len(line) + 1
                byte += len(line.encode("utf-8")) + 1
            self.segments.append(Segment(alt, IMAGE_ALT, anchors))
        self.link_target(image, start, end)

    def link_target(self, link: dict, start: int, end: int) -> None:
        """A link-url segment for the link's target, positioned where it is written."""
        href = link["dest_url"]
        if not href:
            return
        kind = link["link_type"]
        if kind == "Email":
            href = "mailto:" + href
        if kind in ("Inline", "Autolink", "Email"):
            found = self.data.rfind(link["dest_url"].encode("utf-8"), start, end)
            where = self.map.position(found if found >= 0 else start)
        else:  # a reference link: the target is written in its definition elsewhere
            found = self._reference_targets().get(link["dest_url"])
            if found is None:
                found = self.source.find(link["dest_url"])
            where = self.map.char_position(found) if found >= 0 else self.map.position(start)
        self.segments.append(Segment(href, LINK_URL, [(0, *where)]))

    def _reference_targets(self) -> dict[str, int]:
        """Where each reference definition's target is written, found in one pass (not one per link)."""
        if self.targets is None:
            self.targets = {}
            for match in REFERENCE_TARGET.finditer(self.source):
                self.targets.setdefault(match.group(1), match.start(1))
        return self.targets


def _edge_space(parts: list[str], source_text: list[bool], right: bool = False) -> int:
    """How many whitespace characters of written text open the parts (close them, with ``right``)."""
    count = 0
    for part, written in zip(parts, source_text):
        if not written:
            break
        kept = part.rstrip() if right else part.lstrip()
        count += len(part) - len(kept)
        if kept:
            break
    return count


def _shifted(anchors: list[tuple[int, int, int]], lead: int) -> list[tuple[int, int, int]]:
    """Anchors for a text whose first ``lead`` characters are dropped."""
    keys = [a[0] for a in anchors]
    i = max(bisect.bisect_right(keys, lead) - 1, 0)
    offset, line, column = anchors[i]
    return [(0, line, column + lead - offset)] + [(o - lead, li, c) for o, li, c in anchors[i + 1:]]


class _CharOffsets:
    """Positions of the characters of a piece of text that is written as is at a byte offset."""

    __slots__ = ("text", "start", "map")

    def __init__(self, text: str, start: int, source_map: SourceMap):
        self.text, self.start, self.map = text, start, source_map

    def position(self, index: int) -> tuple[int, int]:
        prefix = self.text[:index]
        width = len(prefix) if prefix.isascii() else len(prefix.encode("utf-8"))
        return self.map.position(self.start + width)
