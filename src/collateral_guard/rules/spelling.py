"""Spelling: unknown words in prose, with the most likely correction (pyspellchecker, offline).

Not checked: code, URLs, e-mail addresses, paths and file names, identifiers
(camelCase, snake_case, words with digits), all-caps acronyms, capitalised words
inside a sentence (names), and words in the vocabulary, the customer registry,
the glossary or the built-in list of technical terms. A word is reported only
when a correction within two edits exists: an unknown word with no near
neighbour is far more often a product or technical term than a typo.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import (
    BLOCKQUOTE, COMMENT, HEADING, HIDDEN_TEXT, HTML, IMAGE_ALT, LIST_ITEM, PARAGRAPH, TABLE_CELL,
    TITLE, TRACKED_DELETION, TextView,
)

INFO = RuleInfo(
    id="misspelling",
    category="spelling",
    severity="warning",
    summary="Misspelled word in prose, with the likely correction.",
    description=(
        "Checks words in headings, paragraphs, list items, table cells, link text, alt text and "
        "titles against an English dictionary that ships with the tool (no network needed). Code, "
        "URLs, e-mail addresses, paths, identifiers, acronyms and names are skipped. Product "
        "names go in `vocabulary` (or `vocabulary-file`; `collateral-guard vocabulary add WORD` "
        "appends there); customer names and glossary terms are accepted automatically."
    ),
    bad=("Our team will recieve your data within one business day.",
         "The integraton runs in your enviroment."),
    good=("Acme's webhooks don't drop events during failover.",
          "Set max_retries in config.yaml or call getClient() from https://api.example.com.",
          "Deploy with Kubernetes and Terraform on AWS, GCP or Azure."),
    scopes=frozenset({HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE, HTML, TITLE, IMAGE_ALT,
                      COMMENT, TRACKED_DELETION, HIDDEN_TEXT}),
)

# A run of non-space characters; words are taken from runs that are not code-like.
CHUNK = re.compile(r"\S+")
CODE_LIKE = re.compile(r"[@/\\_=<>{}\[\]|#~^*$%\d]|://|\w\.\w|[a-z][A-Z]|^[A-Z]{2,}|^\.\w")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "able", "less", "or", "ors", "ness", "ment")
PREFIXES = ("re", "pre", "non", "co", "multi", "sub", "un", "de", "auto", "cross", "self", "inter", "over",
            "under", "out", "mis", "dis", "anti", "post", "super", "micro", "meta", "hyper", "semi")
MIN_LENGTH = 4  # shorter unknown words are far more often abbreviations than typos
MAX_CORRECTIONS = 300  # per document: bounds the cost of a document full of unknown words


@functools.cache
def _checker():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=2)


@functools.cache
def _tech_words() -> frozenset[str]:
    text = resources.files("collateral_guard").joinpath("data/tech-words.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class SpellingRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        accepted: set[str] = set()
        for word in config.vocabulary_words() | set(config.jargon):
            accepted.update(w.lower() for w in WORD.findall(word))
        for customer in config.customers.values():
            for name in customer.names:
                accepted.update(w.lower() for w in WORD.findall(name))
        self.accepted = frozenset(accepted)
        self.spelled = {w.lower(): w for w in config.vocabulary_words()}  # how the vocabulary writes them
        self._vocabulary_checker = None

    def _plain(self, word: str) -> bool:
        return word in self.accepted or word in _tech_words() or word in _checker()

    def known(self, word: str) -> bool:
        lower = word.lower().replace("’", "'")
        if self._plain(lower):
            return True
        if "'" in lower:  # contractions and possessives: we'll, Acme's
            return self.known(lower.split("'")[0])
        for suffix in SUFFIXES:  # onboarded, dockable, redirector
            stem = lower[: -len(suffix)]
            if lower.endswith(suffix) and len(stem) >= 3 and (
                    self._plain(stem) or (suffix[0] in "aeio" and self._plain(stem + "e"))):
                return True
        for prefix in PREFIXES:  # resize, subquery, uncheck
            rest = lower[len(prefix):]
            if lower.startswith(prefix) and len(rest) >= 3 and self.known(rest):
                return True
        # Technical compounds of two known words: filename, breakpoint, helpfile.
        return any(self._plain(lower[:i]) and self._plain(lower[i:]) for i in range(3, len(lower) - 2))

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        corrections = 0
        for segment, base in zip(view.segments, view.starts):
            text = segment.text
            for chunk in CHUNK.finditer(text):
                value = chunk.group()
                if CODE_LIKE.search(value.strip(".,;:!?()\"'“”‘’")):
                    continue
                for word_match in WORD.finditer(value):
                    word = word_match.group()
                    if len(word) < MIN_LENGTH or word.isupper() or _repeats(word):
                        continue
                    start = chunk.start() + word_match.start()
                    if word[0].isupper():
                        if any(c.isupper() for c in word[1:]):
                            continue  # iPhone-style names
                        if not _starts_sentence(text, start):
                            continue  # a capitalised word inside a sentence is a name
                    if self._is_prefix(value, word_match) or self.known(word):
                        continue
                    if corrections >= MAX_CORRECTIONS:
                        return
                    corrections += 1
                    suggestion = self._correction(word.lower())
                    if suggestion is None:
                        continue
                    if word[0].isupper() and suggestion.islower():
                        suggestion = suggestion.capitalize()
                    yield Hit(base + start, base + start + len(word),
                              f"Possible misspelling '{word}': did you mean '{suggestion}'?", suggestion)

    def _correction(self, word: str) -> str | None:
        """A vocabulary word within two edits first (product names), then the dictionary's best."""
        if self.spelled:
            if self._vocabulary_checker is None:
                from spellchecker import SpellChecker

                self._vocabulary_checker = SpellChecker(language=None, distance=2)
                self._vocabulary_checker.word_frequency.load_words(list(self.spelled))
            match = self._vocabulary_checker.correction(word)
            if match and match != word:
                return self.spelled.get(match, match)
        return _correction(word)

    @staticmethod
    def _is_prefix(chunk: str, word_match) -> bool:
        """'multi' in 'multi-tenant', 'pre' in 'pre-built'."""
        end = word_match.end()
        return end < len(chunk) and chunk[end] == "-" and word_match.group().lower() in PREFIXES


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“‘([*"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?:;"


def _repeats(word: str) -> bool:
    """yyyy, mmmm: format strings, not words."""
    return any(word[i] == word[i + 1] == word[i + 2] for i in range(len(word) - 2))


@functools.lru_cache(maxsize=65536)
def _correction(word: str) -> str | None:
    """The likeliest known word within two edits; within one for words of six letters or fewer."""
    checker = _checker()
    correction = checker.correction(word)
    if correction is None or correction == word:
        return None
    if len(word) <= 6 and correction not in checker.edit_distance_1(word):
        return None
    return correction
