"""What a document says about competitors: the analysis the competitor rules share.

A claim is about a competitor when its sentence names one (a registered name or
product) and the claim's words attach to that name: a negative word after the
name in the same clause ("Acme's engine is slow"), a comparison just before it
("3x faster than Acme", "unlike Acme"), or, in a table, a cell in the row or
column whose header names the competitor. Word lists live in
rules/lists/competitor.yml so that a proposal manager can edit them.
"""

from __future__ import annotations

import bisect
import functools
import re
import weakref
from dataclasses import dataclass, field, replace

from collateral_guard.cache import cached
from collateral_guard.config import Competitor
from collateral_guard.errors import FatalError
from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.base import DocumentFacts
from collateral_guard.rules.claims import names_us, quoted_in
from collateral_guard.rules.evidence import has_measurement, has_source, sentence_bounds
from collateral_guard.rules.names import Name, NameMatcher, is_common_phrase
from collateral_guard.rules.packs import compile_pattern, terms_pattern
from collateral_guard.segments import HEADING, SPEAKER_NOTES, TABLE_CELL, TITLE, Segment, TextView

NEGATIVE, COMPARISON, DISPARAGEMENT = "negative", "comparison", "disparagement"
LISTS = ("negative", "not-negative", "disparagement", "comparison-before", "evaluative", "comparison-anywhere",
         "generic-competitors", "dated-sources")

CONDITIONAL = LazyPattern(r"\W*(?:if|when|whenever|unless|once|in case)\b", re.IGNORECASE)
# Word and most sites write "doesn’t": the word lists and patterns are written with a straight apostrophe.
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
CONTRAST = LazyPattern(r"unlike|compared (?:to|with)|in contrast to|as opposed to", re.IGNORECASE)
SELF = LazyPattern(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)
# Where the words after a competitor's name stop being about it.
CLAUSE_BREAK = LazyPattern(
    r"[;:!?()\[\]\"“”]|\s[—–-]\s|—|–|\s{3,}|\b(?:but|while|whilst|whereas|although|though|however|unlike|instead|"
    r"rather than|compared (?:to|with)|in contrast|because|so that|which means|if|when|and then)\b"
    r"|\b(?:we|our|us|ours)\b",
    re.IGNORECASE,
)
NEGATED = LazyPattern(r"\b(?:not|never|no|hardly|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|won't|can't|cannot|"
                     r"nothing|neither|nor)\s+(?:[\w']+\s+){0,2}$",
                     re.IGNORECASE)
# After the name, these take the sting out of a negative word: "BigCo offers zero-downtime upgrades",
# "BigCo resumes cleanly after crashes".
MITIGATED = LazyPattern(r"\b(?:may|might|zero|without|minimal|avoids?|avoiding|reduces?|reducing|prevents?|preventing|"
                       r"eliminates?|eliminating|free (?:of|from)|less|fewer|after|from|against|survives?|"
                       r"withstands?|tolerates?)[\s-]+(?:[\w']+\s+)?$", re.IGNORECASE)
NEGATION = LazyPattern(r"\b(?:not|isn't|aren't|wasn't|weren't|never|no)\b", re.IGNORECASE)
# A capitalised word after the name (not the sentence's first) may be the claim's real subject.
OTHER_NAME = LazyPattern(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9]+")
# Before the name, a negative noun phrase attaches through "of/in/with": "the hidden fees of Acme".
ATTACHES_BEFORE = LazyPattern(r"^[\w\s'’,-]{0,60}?\b(?:of|in|with|from|for)\s+(?:the\s+)?$", re.IGNORECASE)
# Verbs, verb phrases and a product's status do not attach backwards: "you can't go wrong with Acme",
# "when end-of-life of Acme 1.x was announced".
VERBAL = LazyPattern(r"^(?:can|cannot|won't|will|does|do|don't|doesn't|fails?|forces?|lacks?|lacking|has|have|"
                    r"offers?|provides?|is|are|struggl\w*|suffers?|falls?|locks?|crash\w*|losing|no|end[- ]of[- ]life|"
                    r"deprecated|abandoned|unmaintained)\b", re.IGNORECASE)
# A feature matrix's value: a mark or a one-word answer, possibly with a short qualifier ("No (plugin)").
MATRIX_VALUE = LazyPattern(r"^\s*(?:no|yes|✗|✘|❌|✓|✔|✅|×|—|-|n/a|not (?:supported|available)|unsupported|limited|"
                          r"partial(?:ly)?)\s*[.!]?\s*(?:\([^()]{0,40}\))?\s*$", re.IGNORECASE)
COMPARATIVE = LazyPattern(r"\b(?:\d+(?:\.\d+)?\s?(?:x|×|times)\s+)?(?:faster|quicker|cheaper|better|easier|simpler|"
                         r"safer|lighter|more (?:secure|reliable|scalable|flexible|powerful)|less (?:expensive|complex))\b",
                         re.IGNORECASE)
# In our column beside a competitor's, a superlative is a comparison with it: "Best", "Fastest in the market".
SUPERLATIVE_CELL = LazyPattern(r"\b(?:best(?![- ](?:effort|practices?))|fastest|quickest|cheapest|easiest|simplest|"
                              r"safest|strongest|most (?:secure|reliable|scalable|flexible|powerful|complete|advanced|"
                              r"accurate|affordable)|(?:market|industry|category)[- ]leading|unmatched|unrivall?ed|"
                              r"unbeatable|second to none|#1|number one)\b", re.IGNORECASE)
POINTER = LazyPattern(r"\s*\(?(?:see|source[sd]?|for details|details|read more|learn more|more in|ref)\b",
                     re.IGNORECASE)
BENCHMARK = LazyPattern(r"\b(?:benchmark(?:s|ed|ing)?|test suite|load tests?|performance tests?|we tested|"
                       r"we measured|test results|test setup)\b", re.IGNORECASE)
SECTION_LOOKBACK = 6
VERSUS = LazyPattern(r"\b(?:vs\.?|versus|compared|comparison|alternatives?)\b", re.IGNORECASE)
SHEET_CELL = LazyPattern(r"([A-Z]{1,3})(\d+)")

# Capitalised words right after a name are part of it: an unregistered product ("BigCo Cloud Console").
PRODUCT_TAIL = LazyPattern(r"(?:['’]s)?(?:[ \t]+[A-Z][\w.+-]*){1,3}(?=[\s,.;:]|$)")
APPOSITIVE = LazyPattern(r",[^,;:.!?]{1,60},")
# A clause that keeps the previous one's subject: it opens with a verb, "which", or "it"/"they".
SAME_SUBJECT = LazyPattern(
    r",?\s*(?:(?:but|yet|and|so)\s+(?:also\s+|still\s+|then\s+)?(?:it\s+|they\s+|its\s+|their\s+)?|which\s+|"
    r"(?=(?:it|they)\s))(?=(?:it|they|its|their|does|doesn't|do|don't|did|didn't|is|isn't|are|aren't|was|has|have|"
    r"hasn't|haven't|can|can't|cannot|could|will|won't|would|lacks?|offers?|provides?|requires?|needs?|relies|"
    r"struggles?|suffers?|fails?|forces?|falls?|becomes?|gets?|remains?|only|still|often|also)\b)",
    re.IGNORECASE)

# A sentence whose subject is the name it opens with, and the next sentence's pronoun that refers back to it.
SUBJECT_OPENING = LazyPattern(r"(?:(?:however|but|and|also|meanwhile|today|currently|by default|by contrast|"
                             r"in contrast|in practice|on the other hand),?\s+)?(?:the\s+)?", re.IGNORECASE)
# A name "which" or "it" could refer to instead (a capitalised word, not the first half of "Unicode-based").
OTHER_NOUN = LazyPattern(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9]+\b(?!-)")
LABEL = LazyPattern(r"\s*(?::|\s[—–-])\s*")
REFERRING = LazyPattern(r"\b(?:which|it|they|its|their)\b", re.IGNORECASE)
PRONOUN_SUBJECT = LazyPattern(r"\s+(?:(?:but|however|also|still),?\s+)?((?:it|they|its|their)\b)", re.IGNORECASE)
# After a sentence that names a competitor only in passing, "their" + what a vendor has is still the
# competitor's ("Their platform went down"); a bare "they" is as likely the customers the sentence spoke of.
VENDOR_POSSESSIVE = LazyPattern(
    r"\s+(?:(?:but|however|also|still),?\s+)?(their)(?=\s+(?:[\w-]+\s+)?(?:platform|product|service|software|"
    r"cloud|agents?|collectors?|clusters?|engine|database|tool|app|system|api|sla|uptime|stack|architecture|"
    r"infrastructure|roadmap|company|sales|licen[cs]es?|licensing|contracts?|renewals?|bills?|billing|invoices?|"
    r"pricing|prices|support|console|documentation|docs|storage|index|indexes|query|queries)\b)", re.IGNORECASE)
NOTES_SUBJECT = LazyPattern(r"\s*((?:they|their)\b)", re.IGNORECASE)
# "Unlike Acme, which still relies on a row store, ...": a relative clause that is about the competitor.
RELATIVE = LazyPattern(r",\s*(?:which|whose|who)\b[^,;:.!?()]{1,100}")

YEAR = LazyPattern(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class Claim:
    kind: str
    start: int  # offsets in the view's text
    end: int
    competitor: Competitor | None  # None: competitors in general ("the competition")
    named: str  # the competitor as the document names it
    words: str  # the words that make the claim
    sourced: bool


@dataclass
class Analysis:
    claims: list[Claim] = field(default_factory=list)
    # Competitors the document sets itself against: in a table's row or column header, or a "vs" title.
    compared: dict[str, Competitor] = field(default_factory=dict)
    # Every registered competitor the document names.
    named: dict[str, Competitor] = field(default_factory=dict)


@dataclass(frozen=True)
class Patterns:
    negative: object
    not_negative: object
    disparagement: object
    comparison_before: object
    evaluative: object
    comparison_anywhere: object
    generic_competitors: object
    dated_sources: object


@functools.cache
def patterns() -> Patterns:
    from collateral_guard.rules.registry import packs_folder  # the registry imports this module

    path = packs_folder() / "lists" / "competitor.yml"
    label = "rules/lists/competitor.yml"

    compiled: dict[str, object] = {}  # when the file is read (not cached): all compiled, an invalid one refused

    def parse() -> dict:
        import yaml

        try:
            lists = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise FatalError(f"{label}: cannot read word lists: {' '.join(str(error).split())}") from None
        compiled.update(_compiled(lists, label, checked=False))
        return {"lists": lists}

    lists = cached("competitor-lists", [path], parse)["lists"]
    return Patterns(**(compiled or _compiled(lists, label, checked=True)))


def _compiled(lists, label: str, checked: bool) -> dict[str, object]:
    """The lists' patterns; ``checked`` (they compiled when the file was read): each compiled on first use."""
    if not isinstance(lists, dict) or set(lists) != set(LISTS) or not all(
            isinstance(v, list) and v and all(isinstance(t, str) for t in v) for v in lists.values()):
        raise FatalError(f"{label}: must hold non-empty lists of patterns named {', '.join(LISTS)} "
                         "(quote an entry that holds ': ', or YAML reads it as a mapping)")
    return {key.replace("-", "_"): compile_pattern(terms_pattern(terms, True), f"{label}: {key}", checked)
            for key, terms in lists.items()}


class Analyser:
    """Finds the claims a view makes about the registered competitors (and competitors in general)."""

    def __init__(self, competitors: tuple[Competitor, ...]):
        self.words = patterns()
        names = []
        for competitor in competitors:
            for written in competitor.names + competitor.products:
                sensitive = competitor.case_sensitive
                names.append(Name(written, competitor, is_common_phrase(written) if sensitive is None else sensitive))
        self.matcher = NameMatcher(names) if names else None
        # The last view analysed, held weakly: a strong reference kept a large workbook's every
        # segment alive after its check, into the next file's and until the process exited.
        self._last: tuple[weakref.ref, Analysis] | None = None
        self.facts: DocumentFacts | None = None

    def analyse(self, view: TextView, facts: DocumentFacts | None = None) -> Analysis:
        # The competitor rules read the same view one after another: analyse it once.
        if self._last is not None and self._last[0]() is view:
            return self._last[1]
        self.facts = facts  # where the document's links lead: a link to the vendor's own site is no source
        analysis = Analysis()
        found: dict[tuple, Claim] = {}
        by_segment: dict[int, list] = {}
        for start, end, competitor in self._mentions(view.text):  # one pass over the whole document
            index = bisect.bisect_right(view.starts, start) - 1
            base = view.starts[index]
            by_segment.setdefault(index, []).append((start - base, end - base, competitor))
            if competitor is not None:
                analysis.named[competitor.id] = competitor
        for index, mentions in by_segment.items():
            segment, base = view.segments[index], view.starts[index]
            if segment.scope in (TITLE, HEADING) and VERSUS.search(segment.text):
                analysis.compared.update((c.id, c) for _, _, c in mentions if c is not None)
            for claim_key, claim in self._sentence_claims(segment, base, mentions,
                                                          lambda i=index: _tested_above(view, i)):
                _add(found, (base, *claim_key), claim)
        for index, claim_key, claim in self._notes_claims(view, by_segment):
            _add(found, (view.starts[index], *claim_key), claim)
        if self.matcher:  # a table claim needs a registered competitor in a header cell
            for key, claim in self._table_claims(view, analysis):
                _add(found, key, claim)
        analysis.claims = sorted(found.values(), key=lambda c: (c.start, c.kind))
        self._last = (weakref.ref(view), analysis)
        return analysis

    # -- prose ------------------------------------------------------------------
    def _mentions(self, text: str) -> list[tuple[int, int, Competitor | None]]:
        mentions = [(s, e, name.owner) for s, e, name in self.matcher.find(text)] if self.matcher else []
        mentions += [(m.start(), m.end(), None) for m in self.words.generic_competitors.finditer(text)]
        return sorted(mentions, key=lambda m: m[0])

    def _sentence_claims(self, segment: Segment, base: int, mentions: list, tested_above):
        text = segment.text.translate(APOSTROPHES)
        words = _Words(self.words, text)
        for start, end, competitor in mentions:
            left, right = sentence_bounds(text, start, end)
            if text[left:right].rstrip().endswith("?"):
                continue  # a question claims nothing
            if quoted_in(text[left:right], start - left, end - left):
                continue  # an objection or a saying discussed: '"You are smaller than Vantix": point to ...'

            named = text[start:end]
            sourced = None

            def claim(kind: str, low: int, high: int, said: str) -> tuple[tuple, Claim]:
                """A claim spanning text[low:high] (the name and the words that make the claim)."""
                nonlocal sourced
                if sourced is None:
                    sourced = self._sourced(segment, left, right)
                return (left, kind), Claim(kind, base + low, base + high, competitor, named,
                                           " ".join(said.split()), sourced)

            before = self._comparison_before(text, left, start)
            contrast = CONTRAST.match(text, before) if before is not None else None
            if contrast:
                # "unlike Acme, ..." judges the rest of the sentence; "3x faster compared to Acme" the words before
                low = end if contrast.group().lower().startswith("unlike") else left
                if any(other is not None and other is not competitor and end <= s < right
                       for s, _, other in mentions):
                    before = None  # "unlike Acme, BigCo ...": a contrast between two others, not a claim of ours
                elif not (names_us(text[low:right], self.facts.vendor_names if self.facts else ())
                          or words.within("evaluative", low, right)
                          or words.within("negative", low, right)):
                    before = None  # "unlike Solr cores, an application can hold several indexes": a neutral contrast
            if before is not None and competitor is None and named.lower() == "the competition" \
                    and not re.search(r"\b(?:than|unlike|as \w+ as)\b", text[before:start], re.IGNORECASE):
                before = None  # "outpace the competition": usually the reader's own competitors
            if before is not None:
                found = claim(COMPARISON, before, end, text[before:end])
                sentence = text[left:right]
                if not found[1].sourced and (has_measurement(sentence) or BENCHMARK.search(sentence)) \
                        and tested_above():
                    # "1.7x faster than Acme", or a chart's "results showing us outperforming Acme", under a
                    # section that describes the benchmark they come from
                    found = found[0], replace(found[1], sourced=True)
                yield found
            if competitor is None:
                continue
            for low, high in words.within("comparison_anywhere", left, right)[:1]:
                yield claim(COMPARISON, low, high, text[low:high])
            relative = RELATIVE.match(text, end, right) if contrast else None
            for kind, name in ((DISPARAGEMENT, "disparagement"), (NEGATIVE, "negative")):
                clause_right = right
                if kind == NEGATIVE and before is not None:
                    if not relative:
                        continue  # "faster than Acme": Acme is what is compared, not what is criticised
                    clause_right = relative.end()  # "unlike Acme, which still relies on ...": that clause is its
                if kind == NEGATIVE and CONDITIONAL.match(text, left):
                    continue  # "If Acme cannot resolve the name, ...": how it behaves, not a verdict on it
                span = self._attached(words, name, text, left, clause_right, start, end)
                if span is not None:
                    yield claim(kind, min(start, span[0]), max(end, span[1]), text[span[0]:span[1]])
            tail = PRODUCT_TAIL.match(text, end)
            if SUBJECT_OPENING.fullmatch(text, left, start) and not OTHER_NOUN.search(text, tail.end() if tail else end,
                                                                                      right):
                yield from self._pronoun_claims(segment, base, words, mentions, competitor, named, right)
            elif not any(o is not competitor and left <= s < right for s, _, o in mentions) \
                    and not OTHER_NOUN.search(text[left:start] + " " * (end - start) + text[end:right]) \
                    and not SELF.search(text, end, right):
                # "We moved a bank off Acme last year. Their platform went down for two days": only Acme, and
                # no other name, is there for "their platform" to mean.
                yield from self._pronoun_claims(segment, base, words, mentions, competitor, named, right,
                                                VENDOR_POSSESSIVE)

    def _pronoun_claims(self, segment: Segment, base: int, words: _Words, mentions: list, competitor: Competitor,
                        named: str, right: int, subject=PRONOUN_SUBJECT):
        """Claims in the next sentence when it goes on about the competitor its subject: "BigCo keeps every
        index in memory. It cannot shard." """
        text = segment.text.translate(APOSTROPHES)
        pronoun = subject.match(text, right)
        if not pronoun:
            return
        start, end = pronoun.span(1)
        left, next_right = sentence_bounds(text, start, end)
        if left != pronoun.start(0) + len(pronoun.group(0)) - len(pronoun.group(0).lstrip()) \
                or any(left <= s < next_right for s, _, _ in mentions) or SELF.search(text, left, next_right) \
                or text[left:next_right].rstrip().endswith("?"):
            return  # another name or we/our take over the subject
        for kind, name in ((DISPARAGEMENT, "disparagement"), (NEGATIVE, "negative")):
            span = self._attached(words, name, text, left, next_right, start, end)
            if span is not None:
                yield (left, kind), Claim(kind, base + start, base + span[1], competitor, named,
                                          " ".join(text[start:span[1]].split()), self._sourced(segment, left, next_right))

    def _notes_claims(self, view: TextView, by_segment: dict):
        """Claims in a slide's notes that open with "They" or "Their" when the slide names one competitor, and
        only one: "Why teams leave Acme" on the slide, "they are running out of money" in its notes."""
        on_slide: dict[object, dict] = {}
        for index, mentions in by_segment.items():
            place = view.segments[index].place or {}
            if "slide" in place and not place.get("notes"):
                for start, end, competitor in mentions:
                    if competitor is not None:
                        on_slide.setdefault(place["slide"], {}).setdefault(
                            competitor.id, (competitor, view.segments[index].text[start:end]))
        for index, segment in enumerate(view.segments):
            place = segment.place or {}
            named = on_slide.get(place.get("slide")) if segment.scope == SPEAKER_NOTES else None
            if not named or len(named) > 1 or index in by_segment:
                continue
            competitor, name = next(iter(named.values()))
            words = _Words(self.words, segment.text.translate(APOSTROPHES))
            for claim_key, claim in self._pronoun_claims(segment, view.starts[index], words, [], competitor, name, 0,
                                                         NOTES_SUBJECT):
                yield index, claim_key, claim

    def _comparison_before(self, text: str, left: int, start: int) -> int | None:
        """Where a comparison phrase ending right before the name starts ("3x faster than "), if any."""
        window_start = max(left, start - 120)
        # One character of the name is kept so that the phrase's trailing word boundary can match.
        for match in self.words.comparison_before.finditer(text, window_start, start + 1):
            if match.end() == start:
                clause_start = max([left, *(b.end() for b in CLAUSE_BREAK.finditer(text, left, match.start()))])
                if NEGATION.search(text, clause_start, match.start()):
                    return None  # "isn't necessarily faster than Acme"
                return match.start()
        return None

    @staticmethod
    def _attached(words: _Words, name: str, text: str, left: int, right: int, start: int, end: int):
        """The span of words from list ``name`` that attach to the competitor at [start, end), or None."""
        candidates = words.within(name, left, right)
        if not candidates:
            return None  # most sentences that name a competitor say nothing about it
        harmless = words.within("not_negative", left, right) if name == "negative" else []
        labelled = SUBJECT_OPENING.fullmatch(text, left, start) is not None
        for low_bound, high_bound in _clauses_about(text, left, right, end, labelled):
            for low, high in candidates:
                if not (low_bound <= low and high <= high_bound):
                    continue
                between = text[low_bound:low]
                if OTHER_NAME.search(between) or len(between.split()) > 12:
                    break
                preceding = text[max(left, low - 30):low]
                if not NEGATED.search(preceding) and not MITIGATED.search(preceding) \
                        and not any(s <= low and high <= e for s, e in harmless):
                    return low, high
        clause_start = left
        for brk in CLAUSE_BREAK.finditer(text, left, start):
            clause_start = brk.end()
        for low, high in candidates:
            if not (clause_start <= low and high <= start):
                continue
            if not VERBAL.match(text[low:high]) and ATTACHES_BEFORE.match(text[high:start]) \
                    and not NEGATED.search(text[max(left, low - 30):low]):
                return low, high
        return None

    def _sourced(self, segment: Segment, left: int, right: int) -> bool:
        if has_source(segment, left, right, self.facts):
            return True
        sentence = segment.text[left:right]
        if YEAR.search(sentence) and self.words.dated_sources.search(sentence) is not None:
            return True
        # "Acme is slower. See [this talk](...)": a pointer sentence right after the claim sources it.
        pointer = POINTER.match(segment.text, right)
        if pointer:
            next_left, next_right = sentence_bounds(segment.text, pointer.end(), pointer.end() + 1)
            return has_source(segment, next_left, next_right, self.facts)
        return False

    # -- tables -----------------------------------------------------------------
    def _table_claims(self, view: TextView, analysis: Analysis):
        for rows in _tables(view):
            header = rows[0]
            columns = {number: c for number, cells in header.items() for c in self._named(cells)}
            for row in rows[1:]:
                row_competitor = next(iter(self._named(row.get(1, []))), None)
                for competitor in [row_competitor, *columns.values()]:
                    if competitor is not None:
                        analysis.compared[competitor.id] = competitor
                if row_competitor is None and not columns:
                    continue
                cells = [c for number in sorted(row) for c in row[number]]
                sourced = any(self._sourced(s, 0, len(s.text)) for s, _ in cells)
                # One finding per kind and row, on its first cell: "No" in four columns is one problem.
                firsts: dict[str, tuple[tuple, Claim]] = {}
                others: dict[str, list[str]] = {}
                for number in sorted(row):
                    if number == 1:
                        continue  # the row's header: the feature compared, or the competitor
                    competitor = columns.get(number) if len(row) == len(header) else None
                    competitor = competitor or row_competitor
                    for segment, base in row[number]:
                        rival = competitor or next(iter(columns.values()), None)  # our column is compared with it
                        for key, claim in self._cell_claims(segment, base, competitor, rival, sourced):
                            if claim.kind in firsts:
                                others[claim.kind].append(f"{claim.named}: {claim.words}")
                            else:
                                firsts[claim.kind], others[claim.kind] = (key, claim), []
                for kind, (key, claim) in firsts.items():
                    if others[kind]:
                        words = "; ".join([f"{claim.named}: {claim.words}", *others[kind]])
                        claim = Claim(kind, claim.start, claim.end, claim.competitor, claim.named, words, claim.sourced)
                    yield key, claim

    def _named(self, cells) -> list[Competitor]:
        if not self.matcher:
            return []
        return [name.owner for segment, _ in cells for _, _, name in self.matcher.find(segment.text)]

    def _cell_claims(self, segment: Segment, base: int, competitor, rival, sourced: bool):
        """A cell's claims: of the competitor whose row or column it is in, or of ours beside ``rival``'s."""
        text = segment.text.translate(APOSTROPHES)
        named = _first_name(rival)

        def claim(kind, match_start, match_end, is_sourced=sourced):
            left, _ = sentence_bounds(text, match_start, match_end)
            return (base, left, kind), Claim(kind, base + match_start, base + match_end, competitor, named,
                                             text[match_start:match_end], is_sourced)

        if competitor is not None:
            insult = self.words.disparagement.search(text)
            if insult:
                yield claim(DISPARAGEMENT, insult.start(), insult.end())
            negative = self.words.negative.search(text)
            # A matrix value ("No", ✗, "Partial") states the row's feature, as our own column does: the
            # table is dated or flagged as a whole (competitor-stale-comparison), not cell by cell.
            if negative and not MATRIX_VALUE.match(text) \
                    and not NEGATED.search(text[max(0, negative.start() - 30):negative.start()]):
                yield claim(NEGATIVE, negative.start(), negative.end())
        if rival is not None:
            comparative = COMPARATIVE.search(text) or (SUPERLATIVE_CELL.search(text) if competitor is None else None)
            if comparative:
                yield claim(COMPARISON, comparative.start(), comparative.end())


def _clauses_about(text: str, left: int, right: int, end: int, labelled: bool = False) -> list[tuple[int, int]]:
    """The stretches of a sentence after a name at ``end`` that are still about it: its own clause, and
    the clauses after it that keep it as their subject ("BigCo offers replication, but does not shard",
    "BigCo relies on X, which struggles with Y"). The first stretch starts after the name's own
    capitalised words ("BigCo Cloud Console"), an unregistered product name being the competitor's too;
    when the name opens the sentence as a label ("BigCo: no audit log"), after the label's colon or dash."""
    tail = PRODUCT_TAIL.match(text, end)
    low = tail.end() if tail else end
    label = LABEL.match(text, low) if labelled else None
    if label:
        low = label.end()
    clauses = []
    appositive = APPOSITIVE.match(text, low, right)  # "BigCo, founded in 2009, is ..."
    if appositive:
        if RELATIVE.match(text, low, right):
            clauses.append((low + 1, appositive.end() - 1))  # "BigCo, which still relies on X, ...": about BigCo
        low = appositive.end()
    while len(clauses) < 4:
        high = right
        brk = CLAUSE_BREAK.search(text, low, right)
        if brk:
            high = brk.start()
        comma = text.find(",", low + 1, high)
        if comma > 0:
            high = comma
        clauses.append((low, high))
        carried = SAME_SUBJECT.match(text, high, right)
        if not carried or (REFERRING.search(carried.group()) and OTHER_NOUN.search(text, low, high)):
            break  # "BigCo integrates with Okta, which ...": "which" and "it" may be the other name
        low = carried.end()
    return clauses


def _add(found: dict[tuple, Claim], key: tuple, claim: Claim) -> None:
    """One claim of each kind per sentence: a second one widens the first."""
    first = found.get(key)
    if first is None:
        found[key] = claim
    elif claim.words not in first.words:
        found[key] = Claim(first.kind, min(first.start, claim.start), max(first.end, claim.end), first.competitor,
                           first.named, f"{first.words}', '{claim.words}", first.sourced and claim.sourced)


class _Words:
    """Where each word list matches in one segment's text, found once for all its mentions."""

    def __init__(self, patterns: Patterns, text: str):
        self.patterns, self.text, self.found = patterns, text, {}

    def within(self, name: str, low: int, high: int) -> list[tuple[int, int]]:
        if name not in self.found:
            self.found[name] = [(m.start(), m.end()) for m in getattr(self.patterns, name).finditer(self.text)]
        return [(s, e) for s, e in self.found[name] if low <= s and e <= high]


def _tested_above(view: TextView, index: int) -> bool:
    """Whether the claim's section (its heading, or the few segments before it) names the test behind it."""
    for segment in reversed(view.segments[max(0, index - SECTION_LOOKBACK):index + 1]):
        if BENCHMARK.search(segment.text):
            return True
        if segment.scope == HEADING:
            return False
    return False


def _first_name(competitor: Competitor | None) -> str:
    return competitor.names[0] if competitor else "competitors"


@functools.lru_cache(maxsize=4096)
def _column_number(letters: str) -> int:
    """C -> 3, AA -> 27; a workbook has few distinct columns and many cells in each."""
    return functools.reduce(lambda number, letter: number * 26 + ord(letter) - 64, letters, 0)


def _tables(view: TextView) -> list[list[dict[int, list[tuple[Segment, int]]]]]:
    """Each table as its rows in order; a row maps a cell number (from 1) to that cell's segments.

    Word and PowerPoint cells give their place as data ({"table": 2, "row": 3, "cell": 2}), a
    workbook cell its sheet and its row and column numbers (a sheet is one table); a
    Markdown row is the cells on one source line, and a table the rows read one after another.
    """
    tables: dict[tuple, dict[tuple, dict[int, list]]] = {}
    markdown_table = None
    previous = None
    for index, segment in enumerate(view.segments):
        base = view.starts[index]
        if segment.scope != TABLE_CELL:
            if previous is None or segment.anchors[0][1] != previous.anchors[0][1]:
                previous = None  # an image's alt text in a cell does not end the table
            continue
        place = segment.place or {}
        grid = getattr(place, "grid", None)  # a workbook cell's (row, column), given by its reader
        if grid is not None:
            table_key, (row_key, cell) = (segment.part, place["sheet"]), grid
        elif "row" in place and "cell" in place:
            table_key = (segment.part, *sorted((k, str(v)) for k, v in place.items() if k not in ("row", "cell")))
            row_key, cell = place["row"], place["cell"]
        elif "sheet" in place and (reference := SHEET_CELL.fullmatch(str(place.get("cell", "")))):
            # A cell of a workbook embedded in another document: its place is a plain dict.
            table_key, row_key = (segment.part, place["sheet"]), int(reference.group(2))
            cell = _column_number(reference.group(1))
        else:
            line = segment.anchors[0][1] if segment.anchors else 0
            if previous is None or previous.location or line - previous.anchors[0][1] > 2:
                markdown_table = ("markdown", index)
            table_key, row_key = markdown_table, line
            cell = len(tables.get(table_key, {}).get(row_key, {})) + 1
        tables.setdefault(table_key, {}).setdefault(row_key, {}).setdefault(cell, []).append((segment, base))
        previous = segment
    return [[rows[key] for key in sorted(rows)] for rows in tables.values() if len(rows) > 1]
