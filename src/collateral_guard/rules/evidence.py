"""Sentences, and the evidence a sentence can carry: a source or a measurement.

Conditional rules ("flag X unless the same sentence has Y") name these kinds of
evidence in their rule pack: ``unless: [source]`` or ``unless: [measurement]``.
"""

from __future__ import annotations

import bisect
import functools
import re

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.regex import compile_re2
from collateral_guard.segments import SEPARATOR, Segment

ABBREVIATIONS = frozenset(
    "e.g i.e vs etc inc ltd co corp approx no fig dr mr mrs ms st jr sr al cf ca est dept".split()
)
# A sentence ends at terminal punctuation followed by a space or line break, or at a blank
# line. Readers put a blank line where a reader sees a break inside one block of text
# (<br>, a hard line break); list items, table cells and headings are segments of their own.
SENTENCE_END = LazyPattern(r"[.!?]+[\"'”’)\]]*(?=\s)|\n[ \t]*\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around [start, end)."""
    starts, ends, rights = sentence_ends(text)
    i = bisect.bisect_right(ends, start) - 1
    left = ends[i] if i >= 0 else 0
    j = bisect.bisect_left(starts, end - 1)
    right = rights[j] if j < len(starts) else len(text)
    while left < right and text[left].isspace():
        left += 1
    return left, right


@functools.lru_cache(maxsize=32)
def sentence_ends(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where each sentence end starts and ends in ``text``, and where the sentence before it ends.

    Computed once per text (the cache holds the segments of the document being
    checked), so finding the sentence of each match is a binary search, not a scan
    from the start of the paragraph.
    """
    starts, ends, rights = [], [], []
    for match in SENTENCE_END.finditer(text):
        if is_abbreviation(text, match.start()):
            continue
        starts.append(match.start())
        ends.append(match.end())
        rights.append(match.start() if text[match.start()] == "\n" else match.end())
    return starts, ends, rights


def is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if len(word) == 1 and word.isalpha() and LABELLED_LETTER.search(text, max(0, word_start - 12), word_start):
        return False  # "attached as Appendix C. We guarantee ...": a letter that names a part ends a sentence
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


LABELLED_LETTER = re.compile(r"(?i)\b(?:appendix|exhibit|schedule|annex|section|phase|option|tier|plan|part|table|"
                             r"figure|step|level|grade|class|type|model|version)\s$")


_NUMBER = r"\d+(?:[.,]\d+)*"
_UNITS = (
    r"%|percent|per ?cent|x|×|ms|msec|milliseconds?|µs|us|microseconds?|ns|nanoseconds?|s|secs?|"
    r"seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|"
    r"[kmgtp]i?b|[kmgtp]bps|[kmgtp]b/s|bytes|bps|rps|qps|tps|iops|ops|fps|[kmg]?hz|"
    r"nines|vcpus?|cpus?|cores?|nodes?|regions?|zones?"
)
_COUNTED = (
    r"requests?|transactions?|queries|query|connections?|users?|sessions?|jobs?|events?|"
    r"messages?|records?|rows?|documents?|files?|calls?|operations?|writes?|reads?|tenants?|"
    r"devices?|endpoints?|clients?|instances?|servers?|pods?|containers?|threads?|tickets?|"
    r"agents?|workloads?|tables?|objects?|items?|points?|lines?|pages?|accounts?|seats?|"
    r"employees?|sites?|locations?|databases?|clusters?|vms?|machines?|workers?|streams?|"
    r"partitions?|shards?|replicas?|metrics?|logs?|samples?|images?|videos?|tokens?|keys?|"
    r"times?|fold|concurrent|simultaneous|parallel|active|daily|monthly|per"
)
MEASUREMENT = compile_re2(
    r"(?i)(?:\b|sub-|<|>|~)" + _NUMBER + r"(?:\s?[kmb]\b|\s?(?:thousand|million|billion))?\s?-?\s?"
    r"(?:(?:" + _UNITS + r")\b|%|×|(?:[a-z-]+\s){0,2}(?:" + _COUNTED + r")\b|/\s?[a-z]+)"
    r"|\bp\d{2}(?:\.\d+)?\b|\b\d+(?:\.\d+)?\s?(?:th|st|nd|rd) percentile\b"
    r"|\bsub-?(?:milli|micro|nano)?seconds?\b"  # a bound: "sub-millisecond reactivity"
    # a ratio in words, as "10x" is in figures: "an order of magnitude faster than our previous implementation"
    # (without a basis, comparison-without-basis reports it)
    r"|\b(?:an|one|two|three|several) orders? of magnitude\b"
    # a stated before and after: "from months to days"
    r"|\bfrom (?:years|months|weeks|days|hours|minutes|seconds) to (?:months|weeks|days|hours|minutes|seconds)\b"
)
SOURCE_PHRASE = compile_re2(
    r"(?i)\b(?:according to|source[sd]?:|as (?:reported|measured|ranked|rated|named|recognized|recognised) by|"
    r"cited by|published by|verified by|audited by|certified by|independently "
    r"(?:tested|verified|audited|benchmarked)|(?:report|study|survey|benchmark|evaluation|assessment|"
    r"analysis|test) (?:by|from|conducted by|published by)|gartner|forrester|idc|g2 (?:grid|crowd)|"
    r"magic quadrant|forrester wave|marketscape|tpc-[a-z]+|spec(?:int|fp|jbb|web)|mlperf)\b"
    r"|\(\s*(?:source|see)\b|\[\d+\]"
)
# "the 2025 Acme Cloud Benchmark", "in the Northwind Security Report"
NAMED_REPORT = compile_re2(
    r"\b(?:[Nn]amed|[Rr]ecogni[sz]ed|[Rr]anked|[Rr]ated) (?:a |as a |as the |the )?(?:[Ll]eader|#1|[Nn]umber one)"
    r" (?:in|by) (?:the )?[A-Z0-9]"
    r"|\b(?:19|20)\d\d\b[^.]{0,40}\b(?:[Rr]eport|[Ss]tudy|[Ss]urvey|[Bb]enchmark|[Ii]ndex|[Rr]anking)s?\b"
    r"|\b[A-Z][\w&-]*(?: [A-Z][\w&-]*)* (?:Report|Study|Survey|Benchmark|Index|Ranking|Awards?)\b"
    # a public benchmark named as one: "state of the art on the Natural Questions benchmark"
    r"|\b(?:on|in) the [A-Z][\w&-]*(?: [A-Z][\w&-]*)* (?:benchmark|leaderboard)s?\b"
)


def has_measurement(sentence: str) -> bool:
    return MEASUREMENT.search(sentence) is not None


def has_source(segment: Segment, left: int, right: int, facts=None) -> bool:
    # <= right: a footnote reference usually follows the full stop.
    if any(left <= marker <= right and _cites(segment, marker, facts) for marker in segment.markers):
        return True
    sentence = segment.text[left:right]
    return SOURCE_PHRASE.search(sentence) is not None or NAMED_REPORT.search(sentence) is not None or \
        _under_linked_title(segment, left, facts)


def _under_linked_title(segment: Segment, left: int, facts) -> bool:
    """A line quoted right under the linked title of its source ("[IDC Innovators: ...](https://idc...)"
    then "_demonstrated a groundbreaking business model_"): the title is the citation."""
    before = segment.text[:left].rstrip(" \t")
    if not before.endswith("\n"):
        return False  # the sentence does not start a line
    before = before.rstrip()
    start = before.rfind("\n") + 1
    title = before[start:]
    # a title stands alone: it opens its paragraph (or follows a blank line) and ends without a full stop
    alone = start == 0 or not before[:start - 1].rstrip(" \t") or before[:start - 1].rstrip(" \t").endswith("\n")
    return alone and not title.rstrip(" *_").endswith((".", "!", "?", ",", ";")) and len(title.split()) <= 15 \
        and any(start <= m <= start + 2 and _cites(segment, m, facts) for m in segment.markers)


_LINK_SEARCH_LINES = 3  # a reference-style link's target is written elsewhere: unknown, so it counts


def _cites(segment: Segment, marker: int, facts) -> bool:
    """A link or footnote at ``marker`` is a source unless it leads to the vendor's own pages: a relative
    link, an anchor on the page, or a link to one of the [vendor] domains."""
    if facts is None or not facts.links:
        return True
    line, column = segment.position(marker)
    for link_line, link_column, target in facts.links:
        if (link_line, link_column) < (line, column):
            continue
        if link_line > line + _LINK_SEARCH_LINES:
            return True
        return _leaves_site(target, facts.vendor_domains)
    return True


def _leaves_site(target: str, vendor_domains: tuple[str, ...]) -> bool:
    from urllib.parse import urlsplit

    target = target.strip()
    if target.startswith(("#", "/", ".", "mailto:")) and not target.startswith("//"):
        return False
    host = urlsplit(target if "//" in target else "//" + target).hostname or ""
    if not host or "." not in host:
        return False
    return not any(host == d or host.endswith("." + d) for d in vendor_domains)


# The basis of a comparative figure: a test named anywhere in the paragraph ("we ran a series of
# microbenchmarks ... 7x faster writes"), or a stated baseline in the sentence ("than our previous version").
BASIS_IN_PARAGRAPH = compile_re2(
    r"(?i)\b(?:(?:micro)?benchmark(?:s|ed|ing)?|stud(?:y|ies)|survey|tested|measured|test results|"
    r"in our tests|(?:load|performance|stress) tests?|(?:performance |load |benchmark )?test suites?|case study|"
    r"methodology)\b")
BASELINE = compile_re2(
    r"(?i)\b(?:compared (?:to|with)|(?:than|over|versus|vs\.?) (?:the |our |its )?(?:previous|prior|old|older|last|"
    r"current|earlier|original|v?\d)|when (?:running|using|tested)|"
    r"on (?:\d+|one|two|four|eight) (?:threads|cores|nodes|vcpus))")
# "Lookups in a map of 20,000 entries are now 5x faster": against the release before, on a stated workload
# (another figure in the sentence). Not "is now 5x faster" alone, nor money: "is now 40% cheaper".
NOW_FASTER = compile_re2(r"(?i)\bnow (?:up to )?\d+(?:\.\d+)?\s?(?:x|×|times|%) (?:faster|quicker|smaller|lighter)\b")
_FIGURE = compile_re2(r"\d")


def _named_bases(text: str):
    """The tests and benchmarks a text names as its own, not those it dismisses: "we have not benchmarked
    it", "public benchmarks rarely match real workloads"."""
    for match in BASIS_IN_PARAGRAPH.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        after = text[match.end():match.end() + 40]
        if not (_DENIED_BEFORE.search(before) or _DISMISSED_AFTER.match(after)):
            yield match


_DENIED_BEFORE = LazyPattern(r"(?i)(?:\b(?:not|never|no|without)|n['’]t)(?:\s+[\w-]+){0,2}\s+$")
_DISMISSED_AFTER = LazyPattern(r"(?i)\s+(?:rarely|seldom|never|don['’]t|do not|cannot|can['’]t|often fail|"
                               r"are (?:often )?(?:misleading|unreliable))\b")


def has_basis(segment: Segment, left: int, right: int) -> bool:
    sentence = segment.text[left:right]
    if next(_named_bases(segment.text), None) is not None or BASELINE.search(sentence) is not None:
        return True
    now = NOW_FASTER.search(sentence)
    return now is not None and _FIGURE.search(sentence[:now.start()] + sentence[now.end():]) is not None


def document_has_basis(text: str) -> bool:
    """A write-up that names its benchmark or test more than once is itself the basis of its figures."""
    return sum(1 for _ in _named_bases(text)) >= 2


# A before and after stated in figures: "cut p99 latency from ~150 ms to ~40 ms", "~150 ms → ~40 ms",
# "The baseline throughput was 22.5 MB/sec".
BEFORE_AFTER = compile_re2(r"(?i)\bfrom (?:~|about |around )?\d[\d,.:]*\s?[a-z/%]*\s+to (?:~|about |around |under |below )?\d"
                           r"|\d[\d,.:]*\s?[a-z/%]*\s?(?:→|->|=>)\s?~?\d|\bbaseline\b[^.\n]{0,60}\d")
# What a comparative figure measures, when it names it: "cut latency by 3x", "double the throughput".
_QUANTITY = compile_re2(r"(?i)\b(?:latenc(?:y|ies)|throughput|bandwidth|memory|storage|cpu|time|duration|downtime|"
                        r"errors|incidents|bugs|outages|size|footprint|accuracy|startup|build|builds)\b")


@functools.lru_cache(maxsize=32)
def _measured_quantities(text: str) -> frozenset[str]:
    """The quantities named in the sentences of ``text`` that state a before and after in figures."""
    found = set()
    for part in text.split(SEPARATOR):  # a view's text joins its segments; a sentence stays in its own
        for match in BEFORE_AFTER.finditer(part):
            left, right = sentence_bounds(part, match.start(), match.end())
            found.update(q.group().lower() for q in _QUANTITY.finditer(part[left:right]))
    return frozenset(found)


def measured_in_document(text: str, figure: str) -> bool:
    """Whether the document states the before and after of what the comparative figure measures: a post
    titled "How Sophotech cut latency by 3x" that says "p99 latency went from ~150 ms to ~40 ms", or
    "double the throughput" above "the baseline throughput was 22.5 MB/sec ... we achieved 44 MB/sec"."""
    named = {q.group().lower() for q in _QUANTITY.finditer(figure)}
    return bool(named & _measured_quantities(text))


# What a benchmark cannot measure: a customer's spend, savings, revenue or operations need their own source.
_NOT_BENCHMARKABLE = compile_re2(
    r"(?i)\b(?:spend|spending|costs?|cheaper|savings?|expensive|price|pricing|bills?|revenue|"
    r"productivity|deals|leads|conversions?|roi|"
    # a customer's operations, counted: "cuts MTTR by 70%", "40% fewer pages" ("alert latency" is measurable)
    r"mttr|mttd|churn|escalations|(?:fewer|less) (?:incidents|outages|tickets|pages|alerts|escalations|downtime))\b")


def benchmark_can_back(figure: str) -> bool:
    """Whether a document's benchmark (document_has_basis) can be the basis of this comparative figure:
    "7x faster writes" yes, "cut infrastructure spend by 40%" no."""
    return _NOT_BENCHMARKABLE.search(figure) is None


# A popularity claim and the count of its users: "one of the most popular tools, used by more than 100,000
# organizations". The count is the fact behind "popular", not behind "the most secure".
_POPULARITY = compile_re2(r"(?i)\b(?:popular|widely (?:used|adopted|deployed)|most (?:used|adopted|downloaded|starred|"
                          r"deployed)|largest (?:community|user base))\b")
ADOPTION_COUNT = compile_re2(
    r"(?i)\b\d[\d,.]*\s?(?:k|m|million|thousand|billion)?\+?\s(?:[\w-]+\s){0,2}?(?:organi[sz]ations|companies|"
    r"enterprises|businesses|teams|users|customers|developers|engineers|people|projects|downloads|installs|"
    r"installations|stars|contributors|deployments)\b")


def counts_its_users(claim: str, sentence: str) -> bool:
    """Whether a popularity claim has its count of users in the same sentence."""
    return _POPULARITY.search(claim) is not None and ADOPTION_COUNT.search(sentence) is not None


# "adoption" is not a property of a sentence alone: the rule checks it against the claim (counts_its_users)
EVIDENCE_KINDS = ("source", "measurement", "basis", "adoption")


_RESULTS_PAGE = LazyPattern(r"(?i)bench(?:mark)?s?\b|benchmark|performance[-_/]results")


def links_to_results(segment: Segment, left: int, right: int, facts) -> bool:
    """A link in the sentence leads to a benchmarks page ("[fast and scalable](/docs/benchmarks)"):
    the measurement is one click away, on the vendor's own site or not."""
    if facts is None or not facts.links:
        return False
    for marker in segment.markers:
        if left <= marker <= right:
            line, column = segment.position(marker)
            target = next((t for link_line, link_column, t in facts.links
                           if (link_line, link_column) >= (line, column)), "")
            if _RESULTS_PAGE.search(target):
                return True
    return False


def has_evidence(kind: str, segment: Segment, left: int, right: int, facts=None) -> bool:
    if kind == "adoption":
        return False  # evidence for a popularity claim only: see counts_its_users
    if kind == "source":
        return has_source(segment, left, right, facts)
    if kind == "basis":
        return has_basis(segment, left, right)
    return has_measurement(segment.text[left:right]) or links_to_results(segment, left, right, facts)
