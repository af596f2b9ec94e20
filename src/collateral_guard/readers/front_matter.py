"""Front matter: YAML (between ``---`` lines) or TOML (between ``+++`` lines) at the top of a Markdown file.

YAML is composed with the safe loader into nodes, which keep their source
marks, so every string value becomes a segment at its exact position. TOML
values are read line by line (tomllib keeps no positions) and the target
customer through tomllib. Front matter that is too large or not valid is read
as plain ``key: value`` lines instead: never a reason to skip the file.

Only one key is the tool's own: the ``collateral-guard`` mapping. Its
``customer`` names the document's target customer and is not text for the rules.
A plain top-level ``customer:`` is someone else's field (a CMS's featured
company, for example) and is read like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.segments import FRONT_MATTER, TITLE, Segment

OWN_KEY = "collateral-guard"
MAX_BYTES = 256 * 1024  # beyond this the block is read line by line, not parsed
TITLE_KEYS = frozenset({"title", "subtitle", "description", "summary", "abstract", "headline"})
TOML_FENCE = LazyPattern(r"\+\+\+[ \t]*(?:\n|$)")
YAML_LINE = LazyPattern(r"^(\s*)(?:-\s+)?(?:([\w.-]+)\s*:(?:\s+|$))?(.*?)\s*$")
# A top-level key with a one-line plain or quoted scalar (or nothing), a list item holding one,
# a comment, or a blank line.
_QUOTED = r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'"
_PLAIN_START = r"[^\s#&*!|>'\"{\[%@`,?:-]"
SIMPLE_LINE = LazyPattern(
    r"[ \t]*(?:#.*)?"
    r"|[A-Za-z_][\w.-]*:(?:[ \t]+(?:" + _QUOTED + "|" + _PLAIN_START + r"[^#\n]*?))?[ \t]*"
    r"|[ ]{0,2}-[ \t]+(?:" + _QUOTED + "|" + _PLAIN_START + r"(?:[^#:\n]|:(?![ \t]|$))*?)[ \t]*")
# Numbers, booleans and nulls; dates are read as text (TEXT_TAGS).
TYPED_SCALAR = LazyPattern(r"(?i)[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.inf|\.nan)|true|false|yes|no|on|off|null|~")
TOML_LINE = LazyPattern(r"^\s*(?:([\w.\"'-]+)\s*=\s*)?(.*?)\s*,?\s*$")
TOML_DATE = LazyPattern(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?)?(?=\s*(?:#|$))")
TOML_STRING = LazyPattern(r"\"((?:[^\"\\\n]|\\.)*)\"|'([^'\n]*)'")


@dataclass
class FrontMatter:
    segments: list[Segment] = field(default_factory=list)
    customer: str | None = None
    customer_where: str | None = None


def toml_front_matter(text: str) -> tuple[int, int] | None:
    """(first, last) line indexes of the body of a ``+++`` block that opens the file, if there is one."""
    if not text.startswith("+++") or not TOML_FENCE.match(text):
        return None
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "+++":
            return 1, index
    return None


def read_yaml(lines: list[str], first: int, last: int) -> FrontMatter:
    """Front matter in lines[first:last] (0-based), YAML."""
    body = "\n".join(lines[first:last])
    result = FrontMatter()
    if all(SIMPLE_LINE.fullmatch(line) for line in lines[first:last]):  # key: scalar lines, read as YAML would
        _read_lines(lines, first, last, YAML_LINE, result, skip_typed=True)
        return result
    root = _compose(body) if len(body.encode("utf-8", "replace")) <= MAX_BYTES else None
    if root is None:
        _read_lines(lines, first, last, YAML_LINE, result)
        return result
    _walk(root, None, 0, lines, first, result, set())
    return result


def read_toml(lines: list[str], first: int, last: int) -> FrontMatter:
    result = FrontMatter()
    body = "\n".join(lines[first:last])
    if len(body.encode("utf-8", "replace")) <= MAX_BYTES:
        import tomllib

        try:
            own = tomllib.loads(body).get(OWN_KEY)
        except tomllib.TOMLDecodeError:
            own = None
        if isinstance(own, dict) and isinstance(own.get("customer"), (str, int)):
            result.customer = str(own["customer"])
            where = next((i for i in range(first, last) if lines[i].strip().startswith(f"[{OWN_KEY}]")), first)
            result.customer_where = f"front matter [{OWN_KEY}] customer (line {where + 1})"
    table = None
    for index in range(first, last):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] ")
            continue
        if table == OWN_KEY or not stripped or stripped.startswith("#"):
            continue
        match = TOML_LINE.match(line)
        key = match.group(1) or ""
        for value in TOML_STRING.finditer(line, match.start(2)):
            group = 1 if value.group(1) is not None else 2
            if value.group(group).strip():
                _add(result, value.group(group), key.strip("\"'"), index, value.start(group))
        date = TOML_DATE.match(line, match.start(2))
        if date:
            _add(result, date.group(), key.strip("\"'"), index, date.start())
    return result


def _compose(body: str):
    import yaml

    try:  # libyaml's safe loader when installed: the same nodes and marks, ten times faster
        return yaml.compose(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


# Strings, and dates (`last-verified: 2026-10-01`): the competitor rules read how old a comparison is.
TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")


def _walk(node, key: str | None, depth: int, lines, first: int, result: FrontMatter, seen: set[int]) -> None:
    import yaml

    if id(node) in seen:  # an alias: its text was read where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if depth == 0 and name == OWN_KEY:
                _own_settings(value_node, first, result)
                continue
            _walk(value_node, name if name is not None else key, depth + 1, lines, first, result, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, key, depth + 1, lines, first, result, seen)
    elif isinstance(node, yaml.ScalarNode) and key is not None and node.tag in TEXT_TAGS:
        _scalar(node, key, lines, first, result)


def _own_settings(node, first: int, result: FrontMatter) -> None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == "customer" and isinstance(value_node, yaml.ScalarNode):
            result.customer = str(value_node.value)
            line = first + value_node.start_mark.line + 1
            result.customer_where = f"front matter '{OWN_KEY}: customer' (line {line})"


def _scalar(node, key: str, lines: list[str], first: int, result: FrontMatter) -> None:
    """One segment for a string value, each of its source lines anchored where it is written."""
    start, end = node.start_mark, node.end_mark
    if start.line == end.line:
        column, stop = start.column, end.column
        if node.style in ("'", '"'):
            column, stop = column + 1, stop - 1
        text = lines[first + start.line][column:stop]
        if text.strip():
            _add(result, text, key, first + start.line, column)
        return
    quoted = node.style in ("'", '"')
    block = node.style in ("|", ">")
    pieces: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    offset = 0
    last = end.line if end.column else end.line - 1  # a block scalar ends at the next line's start
    for k in range(start.line + (1 if block else 0), last + 1):
        line = lines[first + k]
        begin = start.column + quoted if k == start.line else 0
        finish = end.column - quoted if k == end.line else len(line)
        raw = line[begin:finish]
        piece = raw.strip()
        anchors.append((offset, first + k + 1, begin + len(raw) - len(raw.lstrip()) + 1))
        pieces.append(piece)
        offset += len(piece) + 1
    text = "\n".join(pieces)
    if text.strip():
        scope = TITLE if key.lower() in TITLE_KEYS else FRONT_MATTER
        result.segments.append(Segment(text, scope, anchors, label=key))


def _add(result: FrontMatter, text: str, key: str, line_index: int, column: int) -> None:
    scope = TITLE if key.lower() in TITLE_KEYS else FRONT_MATTER
    result.segments.append(Segment(text, scope, [(0, line_index + 1, column + 1)], label=key))


def _read_lines(lines: list[str], first: int, last: int, pattern: re.Pattern, result: FrontMatter,
                skip_typed: bool = False) -> None:
    """Each ``key: value`` line's value as text: for front matter that could not be parsed, and as a
    fast path for front matter of nothing but such lines (then, as in YAML, numbers and booleans
    are not strings; dates are read, as TEXT_TAGS has them)."""
    key = None
    for index in range(first, last):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = pattern.match(line)
        key = match.group(2) or key
        value, column = match.group(3), match.start(3)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value, column = value[1:-1], column + 1
        elif skip_typed and TYPED_SCALAR.fullmatch(value):
            continue
        if value and key is not None:
            _add(result, value, key, index, column)
