"""`check --fix` for Markdown: apply the fixes that need no judgement, then let the scan report the rest.

Two kinds of finding are fixed: a glossary term with its public wording, and a
misspelling with exactly one possible correction. Code (blocks and inline), links
(their text and targets), raw HTML, reference definitions and front matter are
never changed: a fix there could break a command, a URL or the page's metadata.
Word and other formats are refused; `clean` is their tool.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from collateral_guard.errors import FatalError
from collateral_guard.findings import Finding
from collateral_guard.scan import STDIN, Target

MARKDOWN = (".md", ".markdown")
# Inline spans a fix never enters: code, links and images, autolinks and HTML tags, bare URLs.
PROTECTED_INLINE = re.compile(r"(`+).*?\1|!?\[[^\]]*\]\([^)]*\)|!?\[[^\]]*\]\[[^\]]*\]|<[^>\n]+>|\b\w+://\S+")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
SENTENCE_START = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)*$|[.!?]\s+$")


@dataclass(frozen=True)
class Fix:
    line: int
    column: int
    end_column: int
    old: str
    new: str
    rule: str


def fix_files(targets: Iterable[Target], scanners, echo: Callable[..., None]) -> Iterator[Target]:
    """Fix each Markdown target in place before it is scanned; other formats pass through unchanged."""
    for target in targets:
        if target.source != STDIN and target.source.lower().endswith(MARKDOWN):
            for fix in fix_markdown(target, scanners.for_path(target.source)):
                echo(f"{target.path}:{fix.line}:{fix.column}: fixed {fix.rule}: '{fix.old}' -> '{fix.new}'",
                     err=True)
        yield target


def refuse_other_formats(paths: Iterable[str]) -> None:
    """A file named on the command line that --fix cannot change is an error, before anything is written."""
    for path in paths:
        if path == STDIN:
            raise FatalError("--fix changes files: it cannot fix standard input")
        if os.path.isfile(path) and not path.lower().endswith(MARKDOWN):
            raise FatalError(f"{path}: --fix changes Markdown only; use `collateral-guard clean` for Word "
                             "documents")


def fix_markdown(target: Target, scanner) -> list[Fix]:
    result = scanner.scan(target)
    if result.error:
        return []
    with open(target.source, encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = text.split("\n")
    protected = protected_lines(text)
    vocabulary = scanner.config.vocabulary_words()
    fixes = [fix for f in result.findings if (fix := _fix_for(f, lines, protected, vocabulary))]
    fixes = _without_overlaps(fixes)
    if not fixes:
        return []
    for fix in sorted(fixes, key=lambda x: (x.line, x.column), reverse=True):
        line = lines[fix.line - 1]
        lines[fix.line - 1] = line[: fix.column - 1] + fix.new + line[fix.end_column - 1:]
    _replace(target.source, "\n".join(lines))
    return sorted(fixes, key=lambda x: (x.line, x.column))


def _fix_for(finding: Finding, lines: list[str], protected: set[int], vocabulary) -> Fix | None:
    if finding.line != finding.end_line or finding.part or finding.line in protected:
        return None
    if finding.rule == "glossary-term":
        new = finding.suggestion
    elif finding.category == "spelling" and finding.suggestion and \
            _plain_typo(finding.match, finding.suggestion, vocabulary):
        from collateral_guard.rules.spelling import candidates

        options = candidates(finding.match, vocabulary)
        new = finding.suggestion if {o.lower() for o in options} == {finding.suggestion.lower()} else None
    else:
        return None
    line = lines[finding.line - 1]
    start, end = finding.column - 1, finding.end_column - 1
    if not new or line[start:end] != finding.match:
        return None
    if any(m.start() < end and start < m.end() for m in PROTECTED_INLINE.finditer(line)):
        return None
    if finding.match[:1].isupper() and new[:1].islower() and SENTENCE_START.search(line[:start]):
        new = new[0].upper() + new[1:]
    return Fix(finding.line, finding.column, finding.end_column, finding.match, new, finding.rule)


REGIONAL = (("is", "iz"), ("ys", "yz"), ("our", "or"), ("tre", "ter"), ("ogue", "og"), ("ll", "l"), ("ae", "e"))
RAREST = 50  # the dictionary's floor count: its rarest words (reade, cols), seldom what a writer meant


def _plain_typo(word: str, correction: str, vocabulary: frozenset[str]) -> bool:
    """Whether a correction is safe to apply unseen. Left to a person: capitalised words (names such as
    Pienaar), a wrong or doubled first letter (identifiers such as xkey, mmap), British forms (organisation),
    and corrections to rare dictionary words (readme -> reade, agentic -> argentic)."""
    from collateral_guard.rules.spelling import english_frequencies

    if not word[:1].islower() or word[0] != correction[:1].lower() or word[:1] == word[1:2]:
        return False
    for british, american in REGIONAL:
        for variant, other in ((word, correction), (correction, word)):
            at = variant.find(british)
            while at >= 0:
                if variant[:at] + american + variant[at + len(british):] == other:
                    return False
                at = variant.find(british, at + 1)
    return correction in vocabulary or english_frequencies().get(correction.lower(), 0) > RAREST


def _without_overlaps(fixes: list[Fix]) -> list[Fix]:
    kept: list[Fix] = []
    for fix in sorted(fixes, key=lambda x: (x.line, x.column)):
        if kept and kept[-1].line == fix.line and fix.column < kept[-1].end_column:
            continue
        kept.append(fix)
    return kept


def protected_lines(text: str) -> set[int]:
    """1-based lines of front matter, code blocks, raw HTML blocks and link reference definitions."""
    from collateral_guard.readers.front_matter import toml_front_matter
    from collateral_guard.readers.markdown import raw_block_lines

    lines: set[int] = set()
    toml = toml_front_matter(text)
    if toml:  # +++ fences on 0-based lines 0 and toml[1]
        lines.update(range(1, toml[1] + 2))
    lines.update(raw_block_lines(text))
    lines.update(number for number, line in enumerate(text.split("\n"), start=1) if REFERENCE_DEFINITION.match(line))
    return lines


def _replace(path: str, text: str) -> None:
    """Write beside the file and rename over it, so an interrupted fix never leaves half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".collateral-guard-fix-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
