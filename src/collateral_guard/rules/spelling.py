"""Spelling: unknown words in prose, with the most likely correction (pyspellchecker, offline).

Not checked: code, URLs, e-mail addresses, paths and file names, identifiers
(camelCase, snake_case, words with digits), all-caps acronyms, capitalised words
inside a sentence (names) or found in one of the document's link targets, words
inside placeholders ([add logo], <INSERT PRICE>) and filler text (lorem ipsum), the kinds of
correct words that look like typos on real collateral (INFO.skips: terms the document uses
again or as code, forms of known words, abbreviations, foreign set phrases, names), and
words in the vocabulary, the [vendor] names, the customer registry, the glossary,
the built-in list of technical terms or the supplement of common words (British and
American spellings, informal and technical English) built from word frequencies by
scripts/build_spelling_supplement.py (wordfreq, and Python's standard library for developer words). The ``locale`` option (en-US, en-GB) flags the
other variety's spellings ("behaviour" in en-US, "color" in en-GB). A word is reported only
when a correction within two edits exists: an unknown word with no near
neighbour is far more often a product or technical term than a typo.
"""

from __future__ import annotations

import bisect
import collections
import functools
import re
from pathlib import Path
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.regex import LazyRE2, compile_re2, escape
from collateral_guard.segments import (
    ATTRIBUTE,
    BLOCKQUOTE,
    COMMENT,
    HEADING,
    HIDDEN_TEXT,
    HTML,
    IMAGE_ALT,
    LIST_ITEM,
    PARAGRAPH,
    SEPARATOR,
    SPEAKER_NOTES,
    TABLE_CELL,
    TITLE,
    TRACKED_DELETION,
    TextView,
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
        "appends there); [vendor] names, customer names and glossary terms are accepted automatically. "
        "British and American spellings are both accepted unless `locale` is en-US or en-GB. "
        "Common technical and informal words are accepted from a supplement built from word "
        "frequencies: wordfreq's English list, and for developer English (todo, goto, ints) the "
        "words used in many files of Python's standard library. "
        "Suggestions are the most frequent English word within one (or two) edits; a long word is "
        "also tried with a letter doubled or undoubled twice (tommorow, reccomend). A word that splits "
        "into known parts is still a slip when a common word is one slip away (persue + pursue, "
        "freind, arguement); a known word with an ending (linting, approvers) is not."
    ),
    skips=(
        "words the document also writes as code, as a file extension (.docm) or in a link target, their "
        "possessives (ssloy's) and their stems (gradle beside `./gradlew`)",
        "a spelling the document uses three times or more, unless a common word is one edit away: the "
        "writer's term (readme; 'recieve' three times is still a slip of 'receive')",
        "forms of known words: other endings (attaches, recommender), doubled consonants (committer), "
        "-ings plurals (learnings), -bly adverbs, -y adjectives (lossy), daemon names (systemd)",
        "a word whose only correction changes its first letter (xkey, vsix): typos keep the first letter",
        "abbreviations: the start of a common word cut short by three letters or more (perf, util, resp), "
        "also clipped with -o (presos, convo)",
        "a dropped g written with an apostrophe (nothin', runnin')",
        "foreign set phrases used in English (en masse, lingua franca, de facto, ad hoc), and a month in "
        "another language between a day and a year (30 juin 2016)",
        "capitalised words used as names: inside a sentence, linked, repeated, alone in a cell or item, "
        "or paired with another name (Istio and Dex), or written in a list like the names beside it "
        "('Quarlo for ETL, Zentry for UI'; 'Parvik for tuning' under 'KFlow for serving'), unless one "
        "edit from a common word ('Suport for ...')",
        "a vocabulary name written solid (onnxruntime for ONNX Runtime)",
    ),
    options={"locale": "any"},
    bad=("Our team will recieve your data within one business day.",
         "The integraton runs in your enviroment."),
    good=("Acme's webhooks don't drop events during failover.",
          "Set max_retries in config.yaml or call getClient() from https://api.example.com.",
          "Deploy with Kubernetes and Terraform on AWS, GCP or Azure.",
          "Teams moved en masse; the recommender's GPU util and perf figures come from systemd logs."),
    scopes=frozenset({HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, BLOCKQUOTE, HTML, TITLE, IMAGE_ALT,
                      ATTRIBUTE, COMMENT, TRACKED_DELETION, HIDDEN_TEXT, SPEAKER_NOTES}),
)

# Words worth checking: four letters or more, lower case after the first letter (which
# leaves out acronyms and camelCase names), with inner apostrophes.
CANDIDATE = LazyPattern(r"(?<![\w'’-])[A-Za-z][a-z]{3,}(?:['’][a-z]+)*(?![\w])")
CODE_LIKE = LazyPattern(r"[@/\\_=<>{}\[\]|#~^*$%\d]|://|\w\.\w|[a-z][A-Z]|^[A-Z]{2,}|^\.\w")
WORD = LazyPattern(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # for splitting vocabulary entries
SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "able", "less", "or", "ors", "ness", "ment", "y")
PREFIXES = ("re", "pre", "non", "co", "multi", "sub", "un", "de", "auto", "cross", "self", "inter", "over",
            "under", "out", "mis", "dis", "anti", "post", "super", "micro", "meta", "hyper", "semi", "neo")
DATA = Path(__file__).resolve().parents[1] / "data"
MAX_WORD_LENGTH = 45  # longer than any English word in a dictionary
MAX_CORRECTIONS = 300  # per document: bounds the cost of a document full of unknown words


LETTERS = "abcdefghijklmnopqrstuvwxyz'"
# Two-edit candidates number about (54n)^2 for a word of n letters: only mid-length words get them.
TWO_EDITS = range(5, 8)
MAX_TWO_EDIT_LOOKUPS = 5  # per document


def english_frequencies():
    """pyspellchecker's English word frequencies (shipped with it), read a word at a time: its own
    lookups normalise every word on every call, and reading the whole table slowed every start."""
    from collateral_guard.rules.english_words import english_words

    return english_words()


def _one_edit(word: str, reach: int | None = None) -> set[str]:
    """Every string one edit away; with ``reach``, only the edits made at or before position ``reach`` (what
    follows the edit is the word's own end)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1 if reach is None else reach + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in LETTERS}
            | {a + c + b for a, b in splits for c in LETTERS})


COMMON = 5_000  # occurrences in pyspellchecker's list: "environment" 14,545, "rebuilt" (for prebuilt) 3,289


def _misspelt_form(word: str, start: str, suffix: str = "") -> bool:
    """Whether a derived-looking word is a typo of a common form of the same stem, one edit away:
    "occured" (occur + ed) for "occurred", "enviroment" for "environment". "rankers" (rank + ers) is
    one edit from "rangers" too, but that is another word, so it stands. A neighbour with another
    ending is another form, not the intended spelling: "attaches" is not a slip for "attached", nor
    "recommender" for "recommended"; a plural "s" stays strict ("differents" is not a word)."""
    strict = suffix in ("", "s", "'s")
    return any(w.startswith(start) and (strict or w.endswith(suffix)) for w in _common_neighbours(word))


@functools.lru_cache(maxsize=4096)
def _common_neighbours(word: str) -> tuple[str, ...]:
    """Common dictionary words one edit away; kept, because a word tried as several stems and
    compounds asks more than once."""
    english = english_frequencies()
    return tuple(w for w in english.known_among(_one_edit(word)) if english.get(w, 0) >= COMMON)


@functools.cache
def _tech_words() -> frozenset[str]:
    text = (DATA / "tech-words.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _listed(word: str) -> bool:
    """In the built-in technical terms or the frequency supplement."""
    from collateral_guard.rules.english_words import supplement_words

    return word in _tech_words() or word in supplement_words()


LOCALES = ("any", "en-US", "en-GB")
# (British ending, American ending): the other variety's spelling of a word, for `locale`.
VARIANTS = (("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("yse", "yze"),
            ("our", "or"), ("ours", "ors"), ("tre", "ter"), ("tres", "ters"), ("ogue", "og"), ("mme", "m"),
            ("elled", "eled"), ("elling", "eling"), ("ence", "ense"))


def other_variety(word: str, locale: str, known) -> str | None:
    """The spelling ``locale`` expects when ``word`` is the other variety's, if that spelling is a word."""
    for british, american in VARIANTS:
        if locale == "en-US" and word.endswith(british):
            other = word[: -len(british)] + american
        elif locale == "en-GB" and word.endswith(american) and american not in ("ize", "ized", "izing", "ization"):
            other = word[: -len(american)] + british
        else:
            continue
        if other != word and known(other):
            return other
    return None


RECURRING = 3  # uses of one unknown spelling in a document that make it the writer's term


@functools.cache
def _foreign_phrases():
    """Foreign set phrases used in English ("en masse", "lingua franca"): their words are not typos."""
    text = (DATA / "foreign-phrases.txt").read_text("utf-8")
    phrases = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return compile_re2(r"(?i)\b(?:" + "|".join(escape(p).replace(r"\ ", r"[ \-]") for p in phrases) + r")\b")


# Placeholders and filler text are not prose to spell-check: [add the customer's logo], lorem ipsum.
# Compiled only for a text with an unknown word (its {0,1000} costs a clean one-file check 5 ms).
NOT_PROSE = LazyRE2(r"\[[^\[\]\n]{1,80}\]|<[^<>\n]{1,80}>|\{\{[^{}\n]{0,80}\}\}|«[^»\n]{1,80}»"
                    r"|(?i:lorem ipsum[^\x00]{0,1000})")


class SpellingRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        accepted: set[str] = set()
        vocabulary = config.vocabulary_words()  # reads the vocabulary file: once
        for word in vocabulary | set(config.jargon):
            accepted.update(w.lower() for w in WORD.findall(word))
        for customer in config.customers.values():
            for name in customer.names:
                accepted.update(w.lower() for w in WORD.findall(name))
        self.accepted = frozenset(accepted)
        for name in config.vendor.names:
            accepted.update(w.lower() for w in WORD.findall(name))
        self.accepted = frozenset(accepted)
        self.locale = options.get("locale", "any")
        if self.locale not in LOCALES:
            from collateral_guard.errors import FatalError

            raise FatalError(f"{config.path or 'config'}: rules.misspelling.locale must be one of {', '.join(LOCALES)}")
        self.spelled = {w.lower(): w for w in vocabulary}  # how the vocabulary writes them
        # A name of several words written solid is the same name: "onnxruntime" for "ONNX Runtime".
        self.solid = frozenset(re.sub(r"[\s\-]", "", w) for w in self.spelled if re.search(r"[\s\-]", w))
        # Words already judged, known or not: most words recur from document to document.
        self._known: set[str] = set()
        self._unknown: set[str] = set()
        self._vocabulary_matches: dict[str, str | None] = {}

    def _plain(self, word: str) -> bool:
        return word in self.accepted or word in english_frequencies() or _listed(word)

    def known(self, word: str) -> bool:
        if len(word) > MAX_WORD_LENGTH:
            return True  # no word is this long (an encoded blob is): not worth a quadratic split
        lower = word.lower().replace("’", "'")
        if self._plain(lower):
            return True
        if self.locale != "en-US" and other_variety(lower, "en-US", self._plain):
            return True  # "notarised", "centre": the British spelling of a known American word
        if "'" in lower:  # contractions and possessives: we'll, Acme's
            return self.known(lower.split("'")[0])
        # Built from known parts ("per" + "sue", "argue" + "ment"): a slip of a common word is the slip.
        built = self._derived(lower)
        if built is None:
            return False
        return built == INFLECTED or not (len(lower) >= SLIP_LENGTH and _slip_of_common_word_form(lower))

    def _derived(self, lower: str) -> str | None:
        """How a word not in the lists is built from known parts, if it is: INFLECTED (a known word with
        an ending: "linting", "approvers") or DERIVED (a prefix, another suffix, a compound)."""
        for suffix in SUFFIXES:  # onboarded, dockable, redirector
            if not lower.endswith(suffix) or len(lower) - len(suffix) < 3:
                continue
            stem = lower[: -len(suffix)]
            if suffix == "d" and not stem.endswith("e"):
                if len(stem) >= 4 and self._plain(stem):
                    return DERIVED  # a daemon's name: systemd, statsd, containerd (and "happend" is a slip)
                continue
            if suffix[0] in "aeio" and len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiou" \
                    and not self._plain(stem):
                stem = stem[:-1]  # a doubled consonant: committer, stemmers
            if self._plain(stem) or (suffix[0] in "aeio" and self._plain(stem + "e")):
                if suffix == "s" and stem.endswith("ing"):
                    return INFLECTED  # a gerund used as a noun takes a plural: learnings, trainings
                if _misspelt_form(lower, stem, suffix):
                    return None
                return INFLECTED if suffix in INFLECTIONS else DERIVED
        if lower.endswith("bly") and self._plain(lower[:-1] + "e"):
            return DERIVED  # quantifiably, from quantifiable
        for prefix in PREFIXES:  # resize, subquery, uncheck
            rest = lower[len(prefix):]
            if lower.startswith(prefix) and len(rest) >= 3 and self.known(rest):
                return None if _misspelt_form(lower, prefix) else DERIVED
        # Technical compounds of two known words: filename, breakpoint, helpfile.
        # Only dictionary words make a compound: the supplement's short informal words ("acc", "ross")
        # would otherwise accept typos such as "accross".
        english = english_frequencies()
        compound = any(lower[:i] in english and lower[i:] in english and not _misspelt_form(lower, lower[:i])
                       for i in range(3, len(lower) - 2))  # "successfull" is not success + full
        return DERIVED if compound else None

    def warm_up(self) -> None:
        from collateral_guard.rules.english_words import supplement_words

        # Called before parallel workers fork (several files): they share the tables read here whole.
        # A single file never comes here, and looks up its few words one by one.
        english_frequencies().load_all()
        supplement_words().load_all()
        _tech_words()

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        text = view.text
        # Most words are known: sort them out on the unique words, then visit only the
        # places where an unknown word occurs.
        words = set(CANDIDATE.findall(text))
        for word in words - self._known - self._unknown:  # set operations: no Python step per known word
            (self._known if self.known(word) else self._unknown).add(word)
        unknown = words & self._unknown
        variety: dict[str, str] = {}
        for word in words & self._known if self.locale != "any" else ():
            if word.lower() not in self.accepted:
                other = other_variety(word.lower(), self.locale, self._plain)
                if other:
                    unknown.add(word)
                    variety[word] = other
        if not unknown:
            return
        skipped = None  # placeholders and foreign phrases: looked for once a word gets that far
        linked = terms = None  # the document's link and code terms: gathered once a word gets that far
        alternatives = "|".join(escape(w) for w in sorted(unknown))
        occurrences = compile_re2(r"\b(?:" + alternatives + r")\b")
        uses = None  # counted once a word gets that far
        corrections = two_edit_lookups = 0
        for match in occurrences.finditer(text):
            start, end = match.span()
            word = match.group()
            if text[end:end + 1] in ("'", "’") and (text[end + 1:end + 2].isalpha() or (
                    word.lower().endswith("in") and self.known(word.lower() + "g"))):
                continue  # the front of a longer word with an apostrophe, or a dropped g: nothin', runnin'
            if _repeats(word) or not self._plain_chunk(text, start, end):
                continue
            if linked is None:
                linked, terms = _terms(view, facts)
            if word[0].isupper() and (not _starts_sentence(text, start) or word.lower() in linked
                                      or text.count(word) > 1 or _link_text_or_alone(view, start, end)
                                      or NAME_AFTER.match(text, end) or "'" in word or "’" in word
                                      or _parallel_name(view, word, start, end)):
                continue  # a capitalised word inside a sentence, linked, alone or used again is a name
            base_word = re.split("['’]", word.lower())[0]  # "ssloy's": the possessive of a term
            if _in_code(text, start) or base_word in terms or base_word in self.solid:
                continue
            if uses is None:  # a spelling the writer uses again and again is meant: a term, an abbreviation, a house style
                uses = collections.Counter(m.group().lower() for m in
                                           compile_re2(r"(?i)\b(?:" + alternatives + r")\b").finditer(text))
            if uses[word.lower()] >= RECURRING and not _slip_of_common_word(word.lower()):
                continue
            if skipped is None:
                skipped = [m.span() for m in NOT_PROSE.finditer(text)]
                skipped += [m.span() for m in _foreign_phrases().finditer(text)]
            if any(s <= start < e for s, e in skipped) or _quoted_alone(text, start, end) or _month_of_date(text, start, end) or (
                    text[start - 1:start] == "&" and text[end:end + 1] == ";"):  # &mdash; left as text
                continue
            if word in variety:
                suggestion = variety[word]
                if word[0].isupper():
                    suggestion = suggestion.capitalize()
                yield Hit(start, end, f"Spelling '{word}' is not {self.locale}: use '{suggestion}'.", suggestion)
                continue
            if corrections >= MAX_CORRECTIONS:
                return
            corrections += 1
            two_edits = two_edit_lookups < MAX_TWO_EDIT_LOOKUPS and len(word) in TWO_EDITS
            two_edit_lookups += two_edits
            suggestion = self._correction(word.lower(), two_edits)
            if suggestion is None:
                continue
            if suggestion[0].lower() != word[0].lower() and suggestion[:2].lower() != word[1::-1].lower():
                # Typos keep the first letter ("hte" for "the" aside): "Gartner" is not "Partner", and a
                # letter in front of a word makes a term ("xkey", "vsix", "nboost"), not a slip. A common word
                # one edit away that keeps it is the slip meant in a lower-case word ("aknowledge": "acknowledge").
                suggestion = None if word[0].isupper() else _keeping_first_letter(word)  # "Gartner" is a name
                if suggestion is None:
                    continue
            if _abbreviation(word.lower(), suggestion.lower()):
                continue
            if word[0].isupper() and suggestion.islower():
                suggestion = suggestion.capitalize()
            yield Hit(start, end, f"Possible misspelling '{word}': did you mean '{suggestion}'?", suggestion)

    @staticmethod
    def _plain_chunk(text: str, start: int, end: int) -> bool:
        """Whether the word sits in ordinary text, not in a path, address, identifier or file name."""
        left = start
        while left > 0 and not text[left - 1].isspace() and text[left - 1] != SEPARATOR:
            left -= 1
        right = end
        while right < len(text) and not text[right].isspace() and text[right] != SEPARATOR:
            right += 1
        # A leading full stop stays: ".docm" is a file extension, not a word
        chunk = text[left:right].rstrip(".,;:!?()\"'“”‘’").lstrip("(\"'“‘")
        if CODE_LIKE.search(chunk):
            return False
        # 'multi' in 'multi-tenant', 'pre' in 'pre-built'
        return not (text[end:end + 1] == "-" and text[start:end].lower() in PREFIXES)

    def _correction(self, word: str, two_edits: bool) -> str | None:
        """A vocabulary word (a product name) first, then the most frequent dictionary word."""
        if word not in self._vocabulary_matches:
            # The vocabulary is short: compare with each entry instead of generating candidates.
            close = sorted(w for w in self.spelled if _edit_distance(word, w, limit=2) <= (2 if two_edits else 1))
            self._vocabulary_matches[word] = self.spelled[close[0]] if close else None
        return self._vocabulary_matches[word] or _correction(word, two_edits)


ABBREVIATION_CUT = 3  # letters an abbreviation leaves off at least: perf(ormance), util(ity)
ABBREVIATED = 1_000  # occurrences of the longer word: "utility" 4,101


def _abbreviation(word: str, suggestion: str) -> bool:
    """perf, util, resp, struct, bools: the start of a common word, cut short by several letters, is an
    abbreviation; a typo drops one letter ("desig" for "design": the suggestion completes it)."""
    if len(word) > 6 or suggestion.startswith(word):
        return False
    english = english_frequencies()
    stems = [word] + ([word[:-1]] if word.endswith("s") and len(word) > 4 else [])  # bools
    stems += [stem[:-1] for stem in stems if stem.endswith("o") and len(stem) > 4]  # clipped with -o: presos, convo
    return any(len(longer) >= len(stem) + ABBREVIATION_CUT and count >= ABBREVIATED
               for stem in stems for longer, count in english.starting_with(stem))


def _link_text_or_alone(view: TextView, start: int, end: int) -> bool:
    """A capitalised word that opens a link's text ("[Brevo](https://...)") or stands alone in its list item
    or table cell is a name."""
    found = view.segment_at(start, end)
    if found is None:
        return False
    segment, base = found
    return start - base in segment.markers or segment.text.strip(" *_.:") == segment.text[start - base:end - base]


def _terms(view: TextView, facts: DocumentFacts) -> tuple[set[str], set[str]]:
    """The words of the document's link targets and typed addresses (a name's spelling is in its address),
    and those with the words it writes as code and its file extensions, and their stems: a word the
    document also writes as code or in a link target is a term it uses on purpose ("fsync", "readme"),
    whatever its case; "docx" beside ".docx"; "gradle" beside `./gradlew`."""
    text = view.text
    targets = [target for _, _, target in facts.links]
    if "@" in text or "://" in text or "www." in text:  # what TYPED_ADDRESS cannot match without
        targets += TYPED_ADDRESS.findall(text)
    linked = {w.lower() for target in targets for w in re.findall(r"[A-Za-z]{3,}", target)}
    terms = linked | {w.lower() for segment in view.segments for s, e in segment.code_spans
                      for w in re.findall(r"[A-Za-z]{3,}", segment.text[s:e])}
    terms |= {w.lower() for w in FILE_EXTENSION.findall(text)}
    terms |= {t[:n] for t in terms for n in range(max(STEM_LENGTH, len(t) - STEM_LETTERS), len(t))}
    return linked, terms


TYPED_ADDRESS = LazyPattern(r"(?:https?://|www\.)[^\s\x00)>\]]+|\b[\w.-]+@[\w-]+(?:\.[\w-]+)+")
# "Arcad Software", "Attio, Inc.", "Istio and Dex": a name goes with another name
NAME_AFTER = LazyPattern(r"(?:,? (?:Inc|Ltd|LLC|GmbH|AG|SA|Corp)\b| [A-Z][a-z]+| (?:and|or|&) [A-Z])")


# the full stop first, then what stands before it: the scan jumps from full stop to full stop
FILE_EXTENSION = LazyPattern(r"\.(?<![\w.]\.)([A-Za-z][A-Za-z0-9]{1,5})\b")
STEM_LENGTH = 5  # letters a stem of a code or link term keeps at least
STEM_LETTERS = 3  # letters a stem leaves off at most


# "30 juin 2016", "3 giugno 2021": between a day and a year stands a month, in another language.
DAY_BEFORE = LazyPattern(r"\b\d{1,2}\.? $")
YEAR_AFTER = LazyPattern(r" \d{4}\b")


def _month_of_date(text: str, start: int, end: int) -> bool:
    """Lower case only: English months are capitalised, and "30 Janury 2016" is a typo; so is a lower-case
    English month one edit away ("30 septmber 2026")."""
    word = text[start:end]
    return word.islower() and bool(DAY_BEFORE.search(text[max(0, start - 4):start]) and YEAR_AFTER.match(text, end)) \
        and not _one_edit(word) & ENGLISH_MONTHS


ENGLISH_MONTHS = frozenset("january february march april may june july august september october november december"
                           .split())


# A capitalised word before a linking word, "Katib for tuning", "Kedro for ETL pipelines".
PARALLEL = LazyPattern(r" (for|and|with|as|via|to|on) ")


def _parallel_name(view: TextView, word: str, start: int, end: int) -> bool:
    """A capitalised word in a list item or cell written like a name beside it: "Kedro for ETL, Gradio for
    UI" in one item, or "KServe for serving" in the item next to "Katib for tuning"."""
    joined = PARALLEL.match(view.text, end)
    found = view.segment_at(start, end)
    if not joined or found is None or found[0].scope not in (LIST_ITEM, TABLE_CELL) or \
            _slip_of_common_word(word.lower()) or _dropped_or_swapped(word.lower()):
        return False  # "Suport", "Encrytion" beside "Katib for tuning" are still slips of known words
    index = bisect.bisect_right(view.starts, start) - 1
    near = [s for s in view.segments[max(0, index - 1):index + 2] if s.scope == found[0].scope]
    others = re.compile(r"(?:^|[\s,;:(])([A-Z][\w-]+) " + joined.group(1) + " ")
    english = english_frequencies()
    return any(name != word and (name.lower() not in english or CODE_LIKE.search(name))
               for segment in near for name in others.findall(segment.text))


INFLECTED, DERIVED = "inflected", "derived"
INFLECTIONS = ("'s", "s", "es", "ed", "d", "ing", "er", "ers", "or", "ors", "y")
SLIP_LENGTH = 6  # shorter words built from parts ("unmute", "rerun") are as often terms as slips
VOWELS = "aeiouy"


def _slip_of_common_word_form(word: str) -> bool:
    """A slip of a common word: a letter dropped, doubled or added, two letters swapped ("freind",
    "comming"), or one vowel written for another ("persue", "arguement" aside); the first letter kept.
    Another form of the same word is not the slip meant ("timelines" beside "timeline")."""
    near = _typing_slips(word) | {word[:i] + vowel + word[i + 1:] for i in range(1, len(word)) if word[i] in VOWELS
                                  for vowel in VOWELS}
    known = english_frequencies()
    return any(known.get(w) >= COMMON and not (w.startswith(word) or word.startswith(w) or w.endswith(word[1:]))
               for w in known.known_among(near - {word}))


def _dropped_or_swapped(word: str) -> bool:
    """A known, not rare word with one letter dropped, doubled or two letters swapped, its first letter
    kept ("encrytion", "managment"): the slips of typing. A name one substitution from a word ("Katib",
    "katie") or with another first letter ("Gradio", "radio") is not one."""
    known = english_frequencies()
    return any(known.get(w) >= SLIP_FLOOR for w in known.known_among(_typing_slips(word) - {word}))


def _typing_slips(word: str) -> set[str]:
    """The strings one typing slip from ``word`` that keep its first letter: a letter dropped, added or
    doubled, or two letters swapped."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b for a, b in splits for c in LETTERS})


SLIP_FLOOR = 500  # occurrences: "encryption" 3,721 is a word one slips on; "kero" 50 ("Kedro") is not


def _keeping_first_letter(word: str) -> str | None:
    """The most frequent common word one edit from ``word`` that keeps its first letter, or None."""
    known = english_frequencies()
    found = [w for w in known.known_among(_one_edit(word)) if w[:1] == word[:1] and known.get(w) >= SLIP_FLOOR]
    return max(sorted(found), key=known.get) if found else None


def _quoted_alone(text: str, start: int, end: int) -> bool:
    """A word alone in quotes ("maindb", “spageti”) is a term or an example being discussed."""
    return text[start - 1:start] in ("\"", "“", "'", "‘", "«") and text[end:end + 1] in ("\"", "”", "'", "’", "»")


CODE_SIGNS = LazyPattern(r"[{}();=\[\]]|=>|->|::")
CODE_LINE = LazyPattern(r"^\s*(?:const|let|var|import|export|function|return|def|class|from)\s+[\w{*]|#\s*noqa\b")


def _in_code(text: str, start: int) -> bool:
    """Code that reached the prose (a script or style block in HTML): a line dense with code signs."""
    left = max(text.rfind("\n", 0, start), text.rfind(SEPARATOR, 0, start)) + 1
    right = min((i for i in (text.find("\n", start), text.find(SEPARATOR, start)) if i >= 0), default=len(text))
    line = text[left:right]
    if CODE_LINE.search(line) and (CODE_SIGNS.search(line) or "noqa" in line):
        return True
    signs = len(CODE_SIGNS.findall(line))
    return signs >= 3 and signs * 4 >= len(line.split())


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“‘([*"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?:;" + SEPARATOR


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b; limit + 1 once over the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _repeats(word: str) -> bool:
    """yyyy, mmmm: format strings, not words."""
    return any(word[i] == word[i + 1] == word[i + 2] for i in range(len(word) - 2))


SLIP_OF = 5_000  # occurrences of a word one edit away that make a repeated spelling a repeated slip


def _slip_of_common_word(word: str) -> bool:
    """A writer who types "recieve" three times still means "receive": repetition makes a spelling a term
    only when no common word is one edit away (the most frequent one is the one-edit correction)."""
    nearest = _correction(word, False)
    return nearest is not None and english_frequencies().get(nearest) >= SLIP_OF


@functools.lru_cache(maxsize=65536)
def _correction(word: str, two_edits: bool) -> str | None:
    return _best(word, english_frequencies(), two_edits)


def _best(word: str, known, two_edits: bool) -> str | None:
    """The most frequent known word one edit away (a transposition is one edit), else two."""
    near = _one_edit(word)
    found = known.known_among(near)
    if not found and two_edits:
        found = known.known_among(_two_edits(near, known))
    if not found and len(word) > TWO_EDITS.stop - 1:  # too long for the full search: the common case only
        found = [w for w in known.known_among(_doubling_slips(word)) if known.get(w) >= SLIP_FLOOR]
    if not found:
        return None
    return max(sorted(found), key=lambda w: known.get(w))


def _doubling_slips(word: str) -> set[str]:
    """The strings two doubling slips from ``word``, a letter doubled or undoubled twice ("tommorow",
    "neccesary", "reccomend", "proffesional"): the two-edit slip of long words, at a fraction of the cost of
    every two-edit string."""
    def once(text: str) -> set[str]:
        undoubled = {text[:i] + text[i + 1:] for i in range(1, len(text)) if text[i] == text[i - 1]}
        return undoubled | {text[:i] + text[i] + text[i:] for i in range(1, len(text)) if text[i] not in VOWELS}
    first = once(word)
    return first | {slip for text in first for slip in once(text)}


def _two_edits(near: set[str], known) -> set[str]:
    """The strings one edit from those of ``near`` that can be known words. An edit keeps the letters before it,
    so once no known word starts with a string's first letters, no edit further along it is made: the same
    known words, from about half the strings."""
    starts: dict[str, bool] = {"": True}
    found: set[str] = set()
    for word in near:
        reach = 0
        while reach < len(word):
            start = word[:reach + 1]
            if start not in starts:
                starts[start] = known.has_prefix(start)
            if not starts[start]:
                break
            reach += 1
        found |= _one_edit(word, reach)
    return found


def candidates(word: str, vocabulary: frozenset[str] = frozenset()) -> set[str]:
    """Every word at the smallest edit distance (one, else two), from the vocabulary and the dictionary.

    `check --fix` corrects a word only when this holds exactly one word: a guess is left to a person.
    """
    lowered = word.lower()
    known = english_frequencies()
    for limit in (1, 2):
        found = {w for w in vocabulary if _edit_distance(lowered, w.lower(), limit=limit) <= limit}
        near = _one_edit(lowered)
        if limit == 2:
            near = _two_edits(near, known)
        found |= known.known_among(near) - {w.lower() for w in found} - {lowered}
        if found:
            return found
    return set()
