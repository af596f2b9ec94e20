"""Markup inside Markdown that is not Markdown: site-generator templates, MDX and JSX components.

Before the Markdown parser reads a page, template code ({{ .Title }}, {{< figure >}},
{% if %}, heading attributes {#id}, ::: directives) and MDX (import/export
blocks, {expressions}, <Component prop="..."> tags) are masked out of the
source: replaced character for character, so every position in the page stays
where it was. A line that was only markup becomes blank (a block boundary); markup
inside a line of text becomes WORD JOINER characters, which the parser treats as
ordinary text and the Markdown reader turns back into spaces.

What was masked is not lost: the code becomes ``markup`` segments (read by the
leak detectors: secrets, internal URLs, customer names), link-like props
(href, src, url...) become link targets, and props people read (title, quote,
caption, alt...) and quoted values in a shortcode's YAML data become prose
segments at their exact positions.

A genuinely unfilled field is left in the text for the placeholder rule: a bare
identifier in braces ({{customer_name}}, {{ COMPANY }}), and a dotted one
({{ account.name }}) in a page with no other template code.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.readers.markdown_html import unescape_padded
from collateral_guard.segments import ATTRIBUTE, CODE_BLOCK, IMAGE_ALT, LINK_URL, MARKUP, Segment

JOINER = "\u2060"  # WORD JOINER: stands for masked markup inside a line of text
# Props whose value is words people read. Names (author, company) are not sentences: like every
# prop, they are still read by the leak detectors as part of the tag.
PROSE_PROPS = frozenset(
    "title description quote caption alt label summary text subtitle heading headline subheading "
    "tagline excerpt content body message tooltip placeholder cta question answer".split()
)
LINK_PROPS = frozenset("href src url link to image img poster cover thumbnail logo avatar".split())
CODE_PROPS = frozenset("class classname style id key type variant color size icon theme width height".split())

SHORTCODE = LazyPattern(r"\{\{(?:<(.*?)>|%(.*?)%)\}\}", re.S)
SHORTCODE_NAME = LazyPattern(r"\s*(/?)\s*([\w./-]+)")
JINJA_TAG = LazyPattern(r"\{%-?.*?-?%\}|\{#.*?#\}", re.S)
EXPRESSION_FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
BARE_FIELD = LazyPattern(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*")
DOTTED_FIELD = LazyPattern(r"\s*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+\s*")
HEADING_ATTRIBUTES = LazyPattern(r"^ {0,3}#{1,6}[ \t].*?[ \t](\{[#.:][^{}\n]*\})[ \t]*$", re.M)
INLINE_ATTRIBUTES = LazyPattern(r"(?<=[)\]*_`])\{[#.:][^{}\n]*\}|^[ \t]*\{:[^{}\n]*\}[ \t]*$", re.M)
DIRECTIVE = LazyPattern(r"^[ \t]*(:{3,}[ \t]*[\w-]*)(.*)$", re.M)
ESM_LINE = LazyPattern(  # a statement MDX would run: the mark of an MDX page saved as .md
    r"^(?:import\s[^\n]*\bfrom\s*[\"']|import\s*[\"']|export\s+(?:const|let|default|function|async)\b)", re.M)
ESM_START = LazyPattern(r"^(?:import|export)[\s{*]", re.M)
TAG_START = LazyPattern(r"<(/?)([A-Za-z][\w.:-]*)?")
COMPONENT_START = LazyPattern(r"<(/?)([A-Z][\w.:-]*)")
ATTRIBUTE_NAME = LazyPattern(r"[A-Za-z_:@][\w:.@-]*")
PAIR = LazyPattern(r"^[ \t]*(?:-[ \t]+)?([\w-]+):(?:[ \t]|$)", re.M)
QUOTED_VALUE = LazyPattern(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\n]|'')*)'")
SENTENCE_LIKE = LazyPattern(r"[A-Za-z][a-z'’-]*(?:[,;:]?[ ]+[A-Za-z][a-z'’-]*){2,}")  # three words or more


@dataclass
class Masked:
    text: str  # the source, markup replaced (same length, same line breaks)
    segments: list[Segment] = field(default_factory=list)


def looks_like_mdx(text: str) -> bool:
    """An MDX page saved as .md: an import or export statement outside code."""
    if ("import" not in text and "export" not in text) or not ESM_LINE.search(text):  # the words: found in C
        return False
    fenced = _fenced(text)
    return any(not any(s <= m.start() < e for s, e in fenced) for m in ESM_LINE.finditer(text))


def mask_markup(text: str, mdx: bool, skip: tuple[int, int] | None = None) -> Masked:
    """Mask template code, and with ``mdx`` also ESM and {expressions}; JSX components always.

    ``skip`` is a (start, end) range of the text left alone (front matter).
    """
    scanner = _Scanner(text, mdx, skip)
    scanner.run()
    return Masked(scanner.masked(), scanner.segments)


class _Scanner:
    def __init__(self, text: str, mdx: bool, skip: tuple[int, int] | None):
        self.text = text
        self.mdx = mdx
        self.taken = bytearray(len(text))  # 1 where the text is code, front matter or masked already
        self.fenced = _fenced(text)
        for start, end in self.fenced + ([skip] if skip else []):
            self.close(start, end)
        self.ranges: list[tuple[int, int]] = []  # masked, in any order
        self.segments: list[Segment] = []
        self.line_starts: list[int] = []

    # -- where ------------------------------------------------------------------
    def close(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        """Neither in a code fence or front matter nor in markup already masked."""
        return self.taken.find(1, start, end) < 0

    def position(self, offset: int) -> tuple[int, int]:
        if not self.line_starts:
            self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def add(self, start: int, end: int, scope: str, label: str | None = None) -> None:
        """A segment for text[start:end], each of its lines anchored where it is written."""
        piece = self.text[start:end] if scope in (MARKUP, CODE_BLOCK, LINK_URL) else \
            unescape_padded(self.text[start:end])
        if not piece.strip():
            return
        anchors = []
        offset = 0
        for line in piece.split("\n"):
            anchors.append((offset, *self.position(start + offset)))
            offset += len(line) + 1
        self.segments.append(Segment(piece, scope, anchors, label=label))

    def mask(self, start: int, end: int, code: bool = True) -> None:
        self.ranges.append((start, end))
        self.close(start, end)
        if code:
            self.add(start, end, MARKUP)

    # -- what -------------------------------------------------------------------
    def run(self) -> None:
        text = self.text
        self.fences_after_html()
        if "{{" in text:
            for match in SHORTCODE.finditer(text):
                if self.free(match.start(), match.end()):
                    self.shortcode(match)
        if "{%" in text or "{#" in text:
            for match in JINJA_TAG.finditer(text):
                if self.free(match.start(), match.end()):
                    self.mask(match.start(), match.end())
        fields = [m for m in EXPRESSION_FIELD.finditer(text) if self.free(m.start(), m.end())] if "{{" in text else []
        templated = bool(self.ranges) or any(not _is_field(m.group(1), False) for m in fields)
        for match in fields:
            if _is_field(match.group(1), templated):
                self.close(match.start(), match.end())  # text, for the placeholder rule
            elif not self.mdx:
                self.mask(match.start(), match.end())
        if self.mdx:
            self.esm()
        self.tags()
        if self.mdx:
            self.expressions()
        patterns = ((HEADING_ATTRIBUTES, 1), (INLINE_ATTRIBUTES, 0)) if "{" in text else ()
        for pattern, group in patterns + (((DIRECTIVE, 1),) if ":::" in text else ()):
            for match in pattern.finditer(text):
                if self.free(match.start(group), match.end(group)):
                    self.mask(match.start(group), match.end(group), code=False)

    def fences_after_html(self) -> None:
        """A code fence on the line right after HTML is, to CommonMark, part of the HTML block, and the
        code after it reads as paragraphs. Its writer meant code: read it as code."""
        for start, end in self.fenced:
            before = self.text[self.text.rfind("\n", 0, max(start - 1, 0)) + 1:max(start - 1, 0)].strip()
            if start and before.endswith(">") and before.startswith("<"):
                self.mask(start, end, code=False)
                body_start = self.text.find("\n", start) + 1
                body_end = self.text.rfind("\n", start, end)
                if 0 < body_start < body_end:
                    self.add(body_start, body_end, CODE_BLOCK)

    def shortcode(self, match: re.Match) -> None:
        """{{< name key="value" >}} or {{% name %}}: markup, with its readable and link params kept."""
        self.mask(match.start(), match.end())
        group = 1 if match.group(1) is not None else 2
        name = SHORTCODE_NAME.match(match.group(group))
        self.attributes(match.start(group) + (name.end() if name else 0), match.end(group))
        if not name or name.group(1):
            return
        # A paired shortcode whose body is YAML-like data: the keys are markup, quoted values prose.
        closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name.group(2)) + r"\s*[%>]\}\}")
        end = closing.search(self.text, match.end())
        if end and self.free(match.end(), end.start()):
            self.data_block(match.end(), end.start())

    def data_block(self, start: int, end: int) -> None:
        lines = [line for line in self.text[start:end].split("\n") if line.strip()]
        if not lines or sum(1 for line in lines if PAIR.match(line)) * 2 < len(lines):
            return
        self.mask(start, end)
        for value in QUOTED_VALUE.finditer(self.text, start, end):
            group = 1 if value.group(1) is not None else 2
            line_start = self.text.rfind("\n", 0, value.start()) + 1
            key = PAIR.match(self.text, line_start)
            if key and value.group(group).strip():
                self.add(value.start(group), value.end(group), ATTRIBUTE, key.group(1))

    def esm(self) -> None:
        """MDX import/export blocks: from the keyword at the start of a line to the next blank line."""
        for match in ESM_START.finditer(self.text):
            if not self.free(match.start(), match.start() + 1):
                continue
            blank = re.compile(r"\n[ \t]*\n").search(self.text, match.start())
            self.mask(match.start(), blank.start() if blank else len(self.text))

    def expressions(self) -> None:
        """MDX {expressions}, in text and in HTML attributes: JavaScript, so code."""
        index = self.text.find("{")
        while index >= 0:
            if self.free(index, index + 1):
                end = _balanced(self.text, index)
                if end > index:
                    self.mask(index, end)
                    index = self.text.find("{", end)
                    continue
            index = self.text.find("{", index + 1)

    def tags(self) -> None:
        """JSX components (<Card title="...">, </Card>, <Tabs.Tab/>, and in MDX fragments <>)."""
        for match in (TAG_START if self.mdx else COMPONENT_START).finditer(self.text):
            start = match.start()
            if not self.free(start, start + 1):
                continue
            closing, name = match.group(1), match.group(2) or ""
            if not (_component(name) or (not name and self.mdx)):  # HTML tags are left to the parser
                continue
            parsed = _tag_end(self.text, match.end())
            if parsed is None:
                continue
            end, attributes, self_closing = parsed
            bare_only = all(value is None for _, _, value in attributes)
            if not closing and not self_closing and name and bare_only and f"</{name}>" not in self.text:
                continue  # <Customer name here>: a note for the writer, not a component
            self.mask(start, end)
            for attribute, value_start, value in attributes:
                if value is not None:
                    self.attribute(attribute, value_start, value)

    def attributes(self, start: int, end: int) -> None:
        """key="value" pairs of a shortcode."""
        for match in re.finditer(r"([\w-]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*')", self.text[start:end]):
            self.attribute(match.group(1), start + match.start(2), match.group(2))

    def attribute(self, name: str, value_start: int, value: str) -> None:
        if value[:1] not in "\"'" or len(value) < 2:
            return  # {expression}: part of the markup segment
        inner_start, inner = value_start + 1, value[1:-1]
        if not inner.strip():
            return
        key = name.lower().rsplit(":", 1)[-1]
        if key in LINK_PROPS or key.endswith(("url", "href", "src")):
            self.add(inner_start, inner_start + len(inner), LINK_URL)
        elif key == "alt":
            self.add(inner_start, inner_start + len(inner), IMAGE_ALT, name)
        elif key in PROSE_PROPS or (key not in CODE_PROPS and SENTENCE_LIKE.search(inner)):
            self.add(inner_start, inner_start + len(inner), ATTRIBUTE, name)

    # -- result -----------------------------------------------------------------
    def masked(self) -> str:
        if not self.ranges:
            return self.text
        chars = list(self.text)
        for start, end in self.ranges:
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = JOINER
        masked = "".join(chars)
        # A line left with nothing but markup is blank; elsewhere the joiners stand in for the markup.
        # Leading spaces before masked markup are joined too, so left-over text is never indented code.
        lines = masked.split("\n")
        for k, line in enumerate(lines):
            if JOINER in line:
                if not line.replace(JOINER, "").strip():
                    lines[k] = " " * len(line)
                elif line.lstrip(" \t").startswith(JOINER):
                    lead = len(line) - len(line.lstrip(" \t"))
                    lines[k] = JOINER * lead + line[lead:]
        return "\n".join(lines)


def blank_templates(text: str) -> str:
    """``text`` with template code (not unfilled fields) blanked to spaces: for front-matter values."""
    if "{" not in text:
        return text
    templated = bool(SHORTCODE.search(text) or JINJA_TAG.search(text)) or any(
        not _is_field(m.group(1), False) for m in EXPRESSION_FIELD.finditer(text))

    def blank(match: re.Match) -> str:
        if match.re is EXPRESSION_FIELD and _is_field(match.group(1), templated):
            return match.group()
        return re.sub(r"[^\n]", " ", match.group())

    for pattern in (SHORTCODE, JINJA_TAG, EXPRESSION_FIELD):
        text = pattern.sub(blank, text)
    return text


def _component(name: str) -> bool:
    """A JSX component name: <Card>, <Tabs.Tab>; not <INSERT PRICE> or an HTML tag."""
    return bool(name) and name[0].isupper() and any(c.islower() for c in name)


TEMPLATE_WORDS = frozenset(
    "end else break continue range with define block template nil true false endif endfor endblock endraw "
    "endwith endmacro raw super".split()
)


# The objects site generators give every page: {{ page.image }} is Jekyll's, not a merge field.
TEMPLATE_OBJECTS = frozenset("page site layout include post paginator jekyll forloop theme config env".split())


def _is_field(inner: str, templated: bool) -> bool:
    """{{customer_name}} is an unfilled field; {{ .Title }}, {{ x | upcase }}, {{- end }} are template code."""
    if BARE_FIELD.fullmatch(inner):
        return inner.strip() not in TEMPLATE_WORDS
    return (not templated and DOTTED_FIELD.fullmatch(inner) is not None
            and inner.strip().split(".")[0] not in TEMPLATE_OBJECTS)


def _tag_end(text: str, index: int) -> tuple[int, list[tuple[str, int, str | None]], bool] | None:
    """End of a JSX/HTML tag whose name ends at ``index``, its attributes and whether it closes itself."""
    attributes: list[tuple[str, int, str | None]] = []
    length = len(text)
    limit = min(length, index + 20_000)
    while index < limit:
        char = text[index]
        if char.isspace():
            index += 1
        elif char == ">":
            return index + 1, attributes, False
        elif text.startswith("/>", index):
            return index + 2, attributes, True
        elif char == "{":  # {...spread} or a stray expression
            end = _balanced(text, index)
            if end < 0:
                return None
            index = end
        else:
            name = ATTRIBUTE_NAME.match(text, index)
            if not name:
                return None
            index = name.end()
            while index < length and text[index] in " \t":
                index += 1
            if index < length and text[index] == "=":
                index += 1
                while index < length and text[index] in " \t\n":
                    index += 1
                value_start = index
                if index < length and text[index] in "\"'":
                    close = text.find(text[index], index + 1)
                    if close < 0:
                        return None
                    index = close + 1
                elif index < length and text[index] == "{":
                    index = _balanced(text, index)
                    if index < 0:
                        return None
                else:
                    value = re.compile(r"[^\s\"'=<>`]+").match(text, index)
                    if not value:
                        return None
                    index = value.end()
                attributes.append((name.group(), value_start, text[value_start:index]))
            else:
                attributes.append((name.group(), index, None))
    return None


def _balanced(text: str, start: int) -> int:
    """The end of the {...} that opens at ``start`` (strings and template literals skipped), or -1."""
    depth = 0
    index = start
    limit = min(len(text), start + 20_000)
    while index < limit:
        char = text[index]
        if char in "\"'`":
            close = text.find(char, index + 1)
            if close < 0 or (char != "`" and "\n" in text[index:close]):
                return -1
            index = close + 1
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


FENCE_LINE = LazyPattern(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.M)


def _fenced(text: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced code block: its content is code, never masked."""
    if "```" not in text and "~~~" not in text:
        return []
    regions: list[tuple[int, int]] = []
    opened: tuple[int, str, int] | None = None
    for fence in FENCE_LINE.finditer(text):
        marker = fence.group(1)
        if opened is None:
            if marker[0] == "`" and "`" in fence.group(2):
                continue  # not a fence: a backtick info string cannot hold backticks
            opened = (fence.start(), marker[0], len(marker))
        elif marker[0] == opened[1] and len(marker) >= opened[2] and not fence.group(2).strip():
            regions.append((opened[0], fence.end()))
            opened = None
    if opened:
        regions.append((opened[0], len(text)))
    return regions
