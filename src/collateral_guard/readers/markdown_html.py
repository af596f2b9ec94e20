"""HTML inside Markdown: the text a visitor reads, the attributes that matter, and comments.

An HTML block's text becomes one segment per block element (a paragraph, a list
item, a table cell, a heading), so sentences end where the page breaks them, and
each gets the scope of what it is: a ``<td>`` is a table cell, an ``<li>`` a list
item. Tags are blanked with spaces, so every character keeps its position. ``alt``
and ``title`` attributes are prose, ``href`` and ``src`` link targets; ``<pre>``
and ``<code>`` hold code, ``<script>`` and ``<style>`` markup. Comments are
invisible on the page but travel with the file: they become ``html-comment``
segments, which the leak detectors read.

Angle-bracket notes that are not HTML (<INSERT DIAGRAM>, <Customer name here>)
are not tags: they stay in the text, where the placeholder rule sees them.
"""

from __future__ import annotations

import bisect
import re

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.segments import (
    ATTRIBUTE,
    BLOCKQUOTE,
    CODE_BLOCK,
    DIRECTIVE,
    HEADING,
    HTML,
    HTML_COMMENT,
    IMAGE_ALT,
    LINK_URL,
    LIST_ITEM,
    MARKUP,
    TABLE_CELL,
    Segment,
)

KNOWN_HTML_TAGS = frozenset(
    "a abbr address article aside audio b big blockquote body br button caption center cite code col colgroup "
    "dd del details dfn div dl dt em figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i "
    "iframe img input ins kbd label li link main mark meta nav nobr noscript ol optgroup option p picture pre q "
    "s samp script section select small source span strike strong style sub summary sup svg table tbody td "
    "template textarea tfoot th thead time tr track tt u ul var video wbr path g".split()
)
# Elements that end the text before them: what follows starts a new sentence.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p section summary table tbody td tfoot th thead tr ul".split()
)
SCOPE_OF = {"td": TABLE_CELL, "th": TABLE_CELL, "caption": TABLE_CELL, "li": LIST_ITEM, "dt": LIST_ITEM,
            "dd": LIST_ITEM, "blockquote": BLOCKQUOTE, **{f"h{n}": HEADING for n in range(1, 7)}}
RAW = {"pre": CODE_BLOCK, "code": CODE_BLOCK, "script": MARKUP, "style": MARKUP, "svg": MARKUP,
       "textarea": MARKUP}
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

TAG = LazyPattern(r"<!--.*?(?:-->|$)|<(/?)([A-Za-z][\w:-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTRIBUTE_PAIR = LazyPattern(r"([\w:@.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))")
ENTITY = LazyPattern(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
PROSE_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "label", "summary"})
LINK_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "action", "cite", "data", "data-src"})


OWN_COMMENT = LazyPattern(r"<!--\s*collateral-guard:")


def comment_scope(comment: str) -> str:
    """Our own suppression comments are directives, read by no rule; any other comment is read for leaks."""
    return DIRECTIVE if OWN_COMMENT.match(comment) else HTML_COMMENT


def is_tag(name: str) -> bool:
    """An HTML element or a custom element (<my-widget>); not a note like <INSERT PRICE>."""
    lowered = name.lower()
    return lowered in KNOWN_HTML_TAGS or ("-" in name and name == lowered)


def attribute_segments(tag_text: str, locate) -> list[Segment]:
    """Segments for a tag's readable and link attributes; ``locate(i)`` is the (line, column) of tag_text[i]."""
    segments = []
    for match in ATTRIBUTE_PAIR.finditer(tag_text):
        group = next(g for g in (2, 3, 4) if match.group(g) is not None)
        value = match.group(group)
        if not value.strip():
            continue
        name = match.group(1).lower()
        if name == "alt":
            scope = IMAGE_ALT
        elif name in PROSE_ATTRIBUTES:
            scope = ATTRIBUTE
        elif name in LINK_ATTRIBUTES:
            scope = LINK_URL
        else:
            continue
        if scope != LINK_URL:
            value = unescape_padded(value)
        segments.append(Segment(value, scope, [(0, *locate(match.start(group)))],
                                label=None if scope == LINK_URL else match.group(1)))
    return segments


def html_block_segments(content: str, anchors: list[tuple[int, int, int]]) -> list[Segment]:
    """Segments of an HTML block's ``content``, whose characters are placed by ``anchors``
    ((content index, line, column) triples, as Segment.anchors)."""
    keys = [a[0] for a in anchors]

    def locate(index: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(keys, index) - 1, 0)
        start, line, column = anchors[i]
        return line, column + index - start

    def piece(start: int, end: int, scope: str, text: str | None = None, **extra) -> Segment:
        return Segment(content[start:end] if text is None else text, scope, _shift(anchors, start, end), **extra)

    visible = list(content)
    segments: list[Segment] = []
    breaks: list[tuple[int, str]] = []  # (index, scope of the text that follows)
    stack: list[str] = []
    raw_until = -1

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if visible[i] != "\n":
                visible[i] = " "

    for match in TAG.finditer(content):
        start, end = match.start(), match.end()
        if start < raw_until:
            continue
        if match.group(2) is None:  # a comment
            segments.append(piece(start, end, comment_scope(match.group())))
            blank(start, end)
            continue
        closing, name = match.group(1), match.group(2).lower()
        if not is_tag(match.group(2)):
            continue
        blank(start, end)
        if not closing:
            segments.extend(attribute_segments(match.group(), lambda i, s=start: locate(s + i)))
        if name in RAW and not closing and not match.group(3).rstrip().endswith("/"):
            close = re.compile(rf"</{name}\s*>", re.I).search(content, end)
            inner_end = close.start() if close else len(content)
            if content[end:inner_end].strip():
                segments.append(piece(end, inner_end, RAW[name]))
            blank(end, close.end() if close else len(content))
            raw_until = close.end() if close else len(content)
            continue
        if name in BLOCK_TAGS:
            if closing:
                if name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(name):]
            elif name not in VOID:
                stack.append(name)
            breaks.append((start, _scope(stack)))
    text = unescape_padded("".join(visible))
    runs = [(0, HTML)] + breaks
    for (start, scope), (end, _) in zip(runs, runs[1:] + [(len(text), HTML)]):
        if text[start:end].strip():
            segments.append(piece(start, end, scope, text[start:end]))
    return segments


def unescape_padded(text: str) -> str:
    """``text`` with character references decoded (&amp; reads as &), padded with spaces to keep positions."""
    if "&" not in text:
        return text

    import html  # only for a text with an entity

    def decode(entity: re.Match) -> str:
        decoded = html.unescape(entity.group())
        if len(decoded) != 1:
            return entity.group()
        return (" " if decoded == "\xa0" else decoded).ljust(len(entity.group()))

    return ENTITY.sub(decode, text)


def _scope(stack: list[str]) -> str:
    for name in reversed(stack):
        if name in SCOPE_OF:
            return SCOPE_OF[name]
    return HTML


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
