"""Count findings that sit on markup rather than on text a reader sees, on the real marketing corpus.

    python bench/markup_findings.py                 # counts per company and in total
    python bench/markup_findings.py --show 20       # also print 20 of the findings counted

Scans ../shared/corpora/marketing/<company>/ with <company>.toml, as a user would,
and sorts each finding by where it sits in the source:

- template: inside template code ({{ .Title }}, {{< shortcode >}}, {% if %}, {#id}
  heading attributes, ::: directive lines); an unfilled field ({{customer_name}}) is
  text, not markup.
- jsx: on an MDX import/export line, a {expression}, or a component tag, outside the
  quoted value of a prop people read (title, quote, alt...).
- html: on an HTML tag or comment, outside alt/title values.
- A component tag with bare words only (<Customer name here>) is a note, not markup.
- readability-lists-tables: a long-sentence finding on a list item or table row, or
  a section grade that the section's paragraphs alone could not give (fewer than 30
  words or 3 sentences of paragraph text).

Leak categories (secret, internal-url, nda, internal-marker) are meant to read code,
template expressions, link targets and comments, so their findings are not counted. The markup is
found here with its own simple patterns, independently of the reader. Skips cleanly
when the corpus is absent. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (or beside the folder of worktrees)
CORPUS = next((p / "shared" / "corpora" / "marketing" for p in ROOT.parents if (p / "shared").is_dir()),
              ROOT.parent / "shared" / "corpora" / "marketing")
LEAK_CATEGORIES = frozenset({"secret", "internal-url", "nda", "internal-marker"})
PROSE_PROPS = r"(?:title|description|quote|caption|alt|label|summary|text|subtitle|heading|name|author|role)"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TEMPLATE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
FIELD = re.compile(r"\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}")
HEADING_ATTRIBUTES = re.compile(r"^#{1,6} .*?(\{[#.][^}\n]*\})[ \t]*$", re.M)
DIRECTIVE = re.compile(r"^[ \t]*:{3,}.*$", re.M)
ESM = re.compile(r"^(?:import|export)\b.*$", re.M)
COMPONENT = re.compile(r"</?[A-Z][\w.]*(?:\s+(?:[^<>\"'{}]|\"[^\"]*\"|'[^']*'|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*)?/?>",
                       re.S)
EXPRESSION = re.compile(r"\{(?![#.%{])[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}")
HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s+(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
PROSE_VALUE = re.compile(r"\b" + PROSE_PROPS + r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
SENTENCE_VALUE = re.compile(r"=\s*\"([A-Z][^\"]*?\s[^\"]*?\s[^\"]*)\"")
LIST_OR_TABLE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s|^\s*\|")
WORD = re.compile(r"[A-Za-z][\w'-]*")
SENTENCE = re.compile(r"[.!?][*_\"'”’)\]]*\s")
TAGS = re.compile(r"<[^<>]*>")
HEADING = re.compile(r"#{1,6}\s| {0,3}<h[1-6]\b", re.I)
CELL_TAG = re.compile(r"<(?:td|th|li|tr|table)\b", re.I)


def markup_spans(text: str, mdx: bool) -> list[tuple[int, int, str, list[tuple[int, int, str]]]]:
    """(start, end, kind, holes): markup in the source; holes are prose or link values inside it."""
    spans = []
    fenced = _fenced(text)

    def add(start, end, kind, holes=()):
        if not _inside(fenced, start):
            spans.append((start, end, kind, list(holes)))

    for match in TEMPLATE.finditer(text):
        if not FIELD.fullmatch(match.group()):
            add(match.start(), match.end(), "template", _holes(match))
    for match in HEADING_ATTRIBUTES.finditer(text):
        add(match.start(1), match.end(1), "template")
    for match in DIRECTIVE.finditer(text):
        add(match.start(), match.end(), "template")
    for match in COMMENT.finditer(text):
        add(match.start(), match.end(), "html")
    for match in HTML_TAG.finditer(text):
        add(match.start(), match.end(), "html", _holes(match))
    for match in COMPONENT.finditer(text):
        tag = match.group()
        if "=" in tag or tag.startswith("</") or tag.endswith("/>") or " " not in tag.strip("</>"):
            add(match.start(), match.end(), "jsx", _holes(match))  # not a note such as <Customer name here>
    if mdx:
        for match in ESM.finditer(text):
            add(match.start(), match.end(), "jsx")
        for match in EXPRESSION.finditer(text):
            add(match.start(), match.end(), "jsx")
    return spans


def _holes(match: re.Match) -> list[tuple[int, int, str]]:
    holes = []
    for value in PROSE_VALUE.finditer(match.group()):
        group = 1 if value.group(1) is not None else 2
        holes.append((match.start() + value.start(group), match.start() + value.end(group), "prose"))
    for value in SENTENCE_VALUE.finditer(match.group()):  # any prop whose value is a sentence
        holes.append((match.start() + value.start(1), match.start() + value.end(1), "prose"))
    # Quoted values in a shortcode's YAML-like data (desc: "...") are prose.
    for value in re.finditer(r"\b\w+:\s*\"([^\"\n]*)\"", match.group()):
        holes.append((match.start() + value.start(1), match.start() + value.end(1), "prose"))
    return holes


def _fenced(text: str) -> list[tuple[int, int]]:
    regions, offset, opened = [], 0, None
    for line in text.split("\n"):
        fence = FENCE.match(line)
        if fence and opened is None:
            opened = (offset, fence.group(1)[0])
        elif fence and opened and fence.group(1)[0] == opened[1] and not line.strip().strip(opened[1]):
            regions.append((opened[0], offset + len(line)))
            opened = None
        offset += len(line) + 1
    return regions


def _inside(regions, offset: int) -> bool:
    return any(start <= offset < end for start, end in regions)


def classify(finding, text: str, line_starts: list[int], spans, lines: list[str]) -> str | None:
    category = finding.category
    if category == "readability":
        return _readability(finding, lines)
    if category in LEAK_CATEGORIES or finding.part:
        return None
    offset = line_starts[finding.line - 1] + finding.column - 1
    for start, end, kind, holes in spans:
        if start <= offset < end and not any(h[0] <= offset < h[1] and h[2] == "prose" for h in holes):
            return kind
    return None


def _readability(finding, lines: list[str]) -> str | None:
    line = lines[finding.line - 1]
    if finding.rule == "long-sentence":
        return "readability-lists-tables" if LIST_OR_TABLE.match(line) else None
    first = finding.line - 1
    if finding.rule == "hard-to-read-document":
        first, last = 0, len(lines)
    else:
        last, fenced = len(lines), False
        for i in range(first + 1, len(lines)):
            fenced = fenced != bool(FENCE.match(lines[i]))
            if not fenced and HEADING.match(lines[i]):
                last = i
                break
    if HEADING.match(lines[first]):
        first += 1
    words = sentences = 0
    group: list[str] = []
    fenced = front_matter = False
    for index in range(first, last + 1):
        line = lines[index] if index < last else ""
        if index == 0 and line.strip() in ("---", "+++"):
            front_matter = line.strip()
            continue
        if front_matter:
            front_matter = front_matter if line.strip() != front_matter else False
            continue
        if FENCE.match(line):
            fenced = not fenced
            line = ""
        text = TAGS.sub(" ", line).strip()
        code = line.startswith((" " * 4, "\t")) and not line.lstrip().startswith("<")
        if fenced or code or not text or line.startswith(("#", "|")) or LIST_OR_TABLE.match(line) \
                or CELL_TAG.match(line.strip()):
            if group:  # a paragraph ends a sentence
                prose = " ".join(group)
                words += len(WORD.findall(prose))
                sentences += len(SENTENCE.findall(prose + " ")) + (not prose.rstrip(" *_\"'”’)").endswith((".", "!", "?")))
                group = []
            continue
        group.append(text)
    if words < 30 or sentences < 3:
        return "readability-lists-tables"
    return None


def scan_company(folder: Path, config_path: Path, customers: bool):
    import tomllib

    from collateral_guard.config import load_config, parse_config
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner, discover

    config = load_config(config_path)
    if customers:  # the customers each starter config names in a comment, as a registry
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        data["customers"] = {re.sub(r"\W+", "-", name.lower()).strip("-"): {"names": [name]}
                             for name in _named_customers(config_path.read_text(encoding="utf-8"))}
        config = parse_config(data, config_path)
    scanner = Scanner(config, active_rules(config))
    for target in discover([str(folder)], config):
        yield target, scanner.scan(target)


def _named_customers(config_text: str) -> list[str]:
    """Names from a comment such as '# Customers named in the case studies: Brevo, JetBrains.'"""
    match = re.search(r"^# Customers[^\n]*?:[ \t]*([^\n]*)((?:\n# [^\n]*)?)", config_text, re.M)
    if not match:
        return []
    listed = (match.group(1) or match.group(2).lstrip("\n# ")) + (match.group(2) if match.group(1) else "")
    listed = re.sub(r"\([^)]*\)|\n#", " ", listed)
    names = [n.strip(" .").removeprefix("the ") for n in re.split(r"[,/]", listed)]
    return [n for n in names if n and n[0].isupper()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", type=int, default=0, help="print this many of the findings counted")
    parser.add_argument("--customers", action="store_true",
                        help="add the customers each config names in a comment as a customer registry")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent")
        return 0
    by_kind: Counter = Counter()
    by_category: Counter = Counter()
    files = refused = 0
    shown = []
    for config_path in sorted(args.corpus.glob("*.toml")):
        folder = config_path.with_suffix("")
        for target, result in scan_company(folder, config_path, args.customers):
            files += 1
            if result.error:
                refused += 1
                print(f"refused: {target.path}: {result.error}")
                continue
            text = Path(target.source).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
            lines = text.split("\n")
            line_starts = [0]
            for line in lines:
                line_starts.append(line_starts[-1] + len(line) + 1)
            mdx = target.path.endswith(".mdx") or bool(ESM.search(text))
            spans = markup_spans(text, mdx)
            for finding in result.findings:
                by_category[finding.category] += 1
                kind = classify(finding, text, line_starts, spans, lines)
                if kind:
                    by_kind[kind] += 1
                    if len(shown) < args.show:
                        shown.append(f"{kind:10} {finding.path}:{finding.line}:{finding.column} {finding.rule} "
                                     f"{finding.match[:60]!r}")
    print(f"{files} files, {refused} refused, {sum(by_category.values())} findings")
    print("by category: " + ", ".join(f"{c} {n}" for c, n in by_category.most_common()))
    print("on markup:   " + ", ".join(f"{k} {by_kind.get(k, 0)}" for k in
                                      ("template", "jsx", "html", "readability-lists-tables")))
    for line in shown:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
