"""Rule packs: rules written as YAML data, built on three kinds.

- existence: flag any of ``terms``;
- substitution: flag each key of ``swap`` and suggest its value;
- conditional: flag any of ``terms`` unless the same sentence has the evidence
  named in ``unless`` (``source``, ``measurement``) or matches ``unless-pattern``;
  a heading or a short lead-in sentence may carry its evidence in the next sentence, and a
  measurement in the sentence before backs a claim that refers back to it ("That is fast").

Claim rules add ``claims: true`` (or a list of reasons) to skip what is not the
vendor's own claim (see rules/claims.py), and may list ``terms-about-us``: words
such as "fast" that are a claim only in a sentence about the vendor or its product.

Patterns are RE2 regular expressions (linear time: a pattern from a rule pack
cannot hang a scan). A term that starts or ends with a letter or digit matches
whole words only. A pack's patterns are all compiled the first time it is read (an
invalid one stops the run); later runs compile a rule's pattern only when a text
holds one of the words it cannot match without (rules/prefilter.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import Iterator

from collateral_guard.cache import cached
from collateral_guard.config import load_yaml, read_text
from collateral_guard.errors import FatalError
from collateral_guard.findings import CATEGORIES, SEVERITIES
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.claims import (REASONS, about_us, claim_context, describes_picture, likely_vendor_names,
                                          link_title, plain_subject, product_names, states_of_us)
from collateral_guard.rules.empty_sections import stands_in_at
from collateral_guard.rules.evidence import (
    EVIDENCE_KINDS,
    benchmark_can_back,
    counts_its_users,
    document_has_basis,
    has_evidence,
    links_to_results,
    measured_in_document,
    sentence_bounds,
)
from collateral_guard.rules import prefilter
from collateral_guard.rules.prefilter import lowered, required_words
from collateral_guard.rules.regex import LazyRE2, compile_re2, error
from collateral_guard.rules.whose import (aims_section, benefits_section, compares_products, customer_voice,
                                         in_spans, others_sections, own_site, section_subject, someone_elses_subject)
from collateral_guard.segments import (ALL_SCOPES, BLOCKQUOTE, HEADING, IMAGE_ALT, LIST_ITEM, SCOPE_GROUPS, SEPARATOR,
                                      TITLE, TextView)

KINDS = ("existence", "substitution", "conditional")
PACK_KEYS = {"category", "severity", "scopes", "ignore-case", "rules"}
RULE_KEYS = {
    "kind", "category", "severity", "summary", "description", "message", "scopes", "ignore-case",
    "terms", "swap", "exceptions", "unless", "unless-pattern", "examples", "claims", "terms-about-us",
}
LEAD_IN_WORDS = 8  # a sentence this short may be a lead-in whose evidence follows
REFERS_BACK = re.compile(r"\W*(?:That|This|These|Those|It|Which|Such)\b")
# Characters of a view above which a rule runs its pattern without looking for its words first: the
# lower-cased copy of a large workbook's text would cost memory, and there the pattern is run anyway.
PREFILTER_LIMIT = 1 << 16
PREFILTER_TEXTS = 64  # texts in which a rule looks for its words before it compiles its pattern anyway
# a sentence that backs the claim before it: "It now ...", "In our tests ...", "Benchmarks show ..."
BACKS_UP = re.compile(r"\W*(?:it|this|that|these|those|they|its|their|each|both|compared|specifically|concretely|"
                      r"for (?:example|instance)|e\.g\.|in (?:our|the|a|recent|internal) (?:tests?|benchmarks?|"
                      r"measurements?|runs?))\b", re.IGNORECASE)
NAMES_TEST = re.compile(r"\b(?:benchmark(?:s|ed)?|measured|tested)\b", re.IGNORECASE)


def compile_pattern(pattern: str, where: str, checked: bool = False):
    """The compiled pattern, or a FatalError naming ``where``; with ``checked`` (known to compile), compiled
    on first use."""
    if checked:
        return LazyRE2(pattern)
    try:
        return compile_re2(pattern)
    except error as problem:
        detail = str(problem).strip("b'\"")
        raise FatalError(f"{where}: invalid pattern ({detail})") from None


def _flexible_spaces(term: str) -> str:
    """A space in a term matches any run of white space, so phrases match across line breaks."""
    out = []
    in_class = escaped = False
    for index, char in enumerate(term):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == " ":
            quantified = term[index + 1:index + 2] in ("?", "*", "+", "{")
            char = r"\s" if in_class or quantified else r"\s+"
        out.append(char)
    return "".join(out)


def _bounded(term: str) -> str:
    """Whole words: \\b before a term that starts with a letter, digit or group, and after one that
    ends with a letter, digit or group (write a group so it ends in a word when \\b must apply)."""
    term = _flexible_spaces(term)
    start = r"\b" if term[:1].isalnum() or term.startswith("(") else ""
    end = r"\b" if term[-1:].isalnum() or term.endswith((")", ")?", "?")) and not term.endswith(("\\?", "\\)")) \
        else ""
    return f"{start}(?:{term}){end}"


def terms_pattern(terms: list[str], ignore_case: bool, named: bool = False) -> str:
    """One alternation of whole-word terms; with ``named``, each term in group t<index>."""
    flags = "(?i)" if ignore_case else ""
    if named:
        return flags + "|".join(f"(?P<t{i}>{_bounded(t)})" for i, t in enumerate(terms))
    return flags + "|".join(_bounded(t) for t in terms)


@dataclass
class PatternRule:
    """One rule of a rule pack."""

    info: RuleInfo
    kind: str
    pattern: object  # compiled RE2
    message: str
    exceptions: object | None = None
    unless: tuple[str, ...] = ()
    unless_pattern: object | None = None
    replacements: tuple[str, ...] = ()  # substitution: suggestion per term group
    claims: tuple[str, ...] = ()  # reasons of claims.claim_context this rule skips
    about_us: object | None = None  # compiled terms flagged only in a sentence about the vendor
    words: tuple[str, ...] | None = None  # lower-case; a text holding none of them cannot match (None: unknown)
    word_looks: int = 0  # texts looked at for the words

    def required_words(self) -> tuple[str, ...] | None:
        found = [required_words(p.pattern) for p in (self.pattern, self.about_us) if p is not None]
        return None if any(w is None for w in found) else tuple(sorted(set().union(*found)))

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        text = view.text
        if not self._may_match(view):
            return
        # Without a [vendor] section, the name the document uses most stands in for the vendor's, to
        # tell whether a sentence speaks of the product; it is not trusted to say who is someone else.
        inferred = facts.vendor_names or view.shared.setdefault("likely-names", _LikelyNames(text))  # one per view
        documented = None
        ours = None  # names that speak of the vendor: [vendor], the most used name, products named after them
        site = None  # without [vendor]: the names of the page's own site (whose.own_site)
        voice = None  # (page in a customer's voice, spans of "About <someone else>" sections), once needed
        counted: dict[str, int] = {}

        def mentions(name: str) -> int:  # once per name: counting per match was quadratic in the file size
            if name not in counted:
                counted[name] = text.count(name)
            return counted[name]
        for match, needs_us in self._matches(text):
            start, end = match.start(), match.end()
            if text[start:start + 1] == SEPARATOR:
                start += 1  # a term may begin at a segment's start ("| Offline mode | H2 2027 |"): not before it
            if start == end:
                continue
            found = view.segment_at(start, end)
            if found is None:
                continue
            segment, base = found
            local_start, local_end = start - base, end - base
            if self.exceptions is not None and self._excepted(segment.text, local_start, local_end):
                continue
            left, right = sentence_bounds(segment.text, local_start, local_end)
            if "placeholder" in self.claims and stands_in_at(view, start):
                continue  # the missing-answer rule reports it
            if self.claims and self._not_a_claim(segment, left, right, local_start, local_end, facts, inferred,
                                                 mentions):
                continue
            # "## Design goals", "## Self-service vision": aims, not claims; a date under "Goals" is still a roadmap
            # ... unless the sentence states it of us in the present: "## Vision" "We deliver a best in class ..."
            if "hedged" in self.claims and self.kind == "conditional" and aims_section(view, start) and not (
                    states_of_us(segment.text, left, local_start, facts.vendor_names + inferred[:1])):
                continue
            if "other-subject" in self.claims and not facts.vendor_names:
                if "own-site" not in view.shared:  # the page's own site; once per view, for every claim rule
                    view.shared["own-site"] = own_site(facts.links, text), compares_products(view)
                site, comparing = view.shared["own-site"]
                if site:
                    section = section_subject(view, start) if comparing else None  # "### Airflow" on a "vs" page
                    if someone_elses_subject(segment.text, left, local_start, site, section):
                        continue
            if "other-subject" in self.claims:
                if voice is None:
                    names = facts.vendor_names or inferred[:1]
                    voice = customer_voice(view, names), others_sections(view, facts.vendor_names or site or inferred)
                if voice[0] or in_spans(voice[1], start):
                    continue
            # every [vendor] name, the most used name and the products named after them ([vendor] rarely lists
            # every product: "Northwind Pulse"); not a second prominent name (as likely a partner's or a
            # rival's); a page's own title or description speaks of the vendor's product
            if needs_us and ours is None:
                ours = facts.vendor_names + inferred[:1]
                ours += product_names(text, ours)
            # a bullet that opens with the claim, under "Benefits", has no subject but the product:
            # "## Benefits" "- Massively scalable architecture for the busiest shopping days"
            benefit = needs_us and segment.scope == LIST_ITEM and not segment.text[:local_start].strip(" *_•-") \
                and benefits_section(view, start)
            # with [vendor], whose collateral this is is known: a part of a product as the subject is theirs
            # ("the cluster is massively scalable", "Dashboards load in a blink")
            if needs_us and segment.scope != TITLE and not benefit and \
                    not about_us(segment.text, left, right, local_start, ours) and \
                    not (facts.vendor_names and plain_subject(segment.text, left, local_start)):
                continue
            if self.kind == "conditional" and self._has_evidence(view, segment, base, left, right, facts):
                continue
            if "adoption" in self.unless and counts_its_users(match.group(), segment.text[left:right]):
                continue
            if "basis" in self.unless:
                documented = documented if documented is not None else document_has_basis(text)
                if benchmark_can_back(match.group()) and (documented or measured_in_document(text, match.group())):
                    continue
            suggestion = None
            if self.replacements:
                suggestion = self.replacements[int(match.lastgroup[1:])] or None
            matched = text[start:end]
            message = self.message.replace("{match}", matched).replace("{suggestion}", suggestion or "")
            yield Hit(start, end, message, suggestion)

    def _may_match(self, view: TextView) -> bool:
        """False when the text holds none of the rule's words. Looked for only until the pattern is compiled
        (a pattern scan is as cheap as the look) and in the first texts of a run: past them, compiling the
        pattern costs less than looking, text after text, for words it never finds."""
        if self.words is None or self.word_looks >= PREFILTER_TEXTS or len(view.text) > PREFILTER_LIMIT \
                or getattr(self.pattern, "compiled", True):
            return True
        self.word_looks += 1
        if "lowered" not in view.shared:
            view.shared["lowered"] = lowered(view.text)
        return any(word in view.shared["lowered"] for word in self.words)

    def _excepted(self, text: str, start: int, end: int) -> bool:
        window_start = max(0, start - 60)
        window = text[window_start:end + 60]
        for match in self.exceptions.finditer(window):
            if match.start() + window_start < end and match.end() + window_start > start:
                return True
        return False

    def _not_a_claim(self, segment, left: int, right: int, start: int, end: int, facts, likely_names,
                     mentions) -> bool:
        if "quoted" in self.claims and link_title(segment, left, right, start, facts.links):
            return True
        if "other-subject" in self.claims and segment.scope == BLOCKQUOTE:
            return True  # a block quote holds someone else's words
        if "reported" in self.claims and segment.scope == IMAGE_ALT and describes_picture(segment.text):
            return True  # "A chart ranking databases, ours the clear leader" reports what a picture shows
        return claim_context(segment.text, left, right, start, end, self.claims, facts.vendor_names,
                             likely_names, mentions) is not None

    def _matches(self, text: str):
        spans = []
        for match in self.pattern.finditer(text):
            spans.append((match.start(), match.end()))
            yield match, False
        if self.about_us is not None:
            for match in self.about_us.finditer(text):
                if not any(s < match.end() and match.start() < e for s, e in spans):  # "blazing fast" once
                    yield match, True

    def _has_evidence(self, view: TextView, segment, base: int, left: int, right: int, facts) -> bool:
        if self._sentence_has_evidence(segment, left, right, facts):
            return True
        # A heading, or a short lead-in ("Fast writes." "Built for scale:"), may be backed by the next sentence;
        # a performance claim by a figure in the next two sentences of its paragraph ("Feeds got much faster.
        # Partial updates now run at 40,000 per second."), or in the list its sentence introduces ("... faster:").
        lead_in = segment.scope == HEADING or len(segment.text[left:right].split()) <= LEAD_IN_WORDS
        introduces = segment.text[left:right].rstrip(" *_").endswith(":")
        measured = "measurement" in self.unless
        if lead_in or measured:
            following = _next_sentence(view, segment, base, right, across=segment.scope == HEADING or introduces)
            for _ in range(1 if lead_in or introduces else 2):
                if following is None:
                    break
                # past a lead-in, the figure must speak of the claim ("It ...", "In our tests ...") or link the results
                if self._sentence_has_evidence(*following, facts) and (
                        lead_in or introduces or _backs_up(*following, facts)):
                    return True
                if following[0] is not segment:
                    break
                following = _next_sentence(view, segment, base, following[2], across=False)
        # A measurement just given backs a claim that refers back to it: "P99 is 40 ms. That is fast."
        if "measurement" in self.unless and left > 0 and REFERS_BACK.match(segment.text, left):
            before = segment.text[:left].rstrip()
            if before:
                previous_left, previous_right = sentence_bounds(segment.text, len(before) - 1, len(before))
                if has_evidence("measurement", segment, previous_left, previous_right):
                    return True
        return False

    def _sentence_has_evidence(self, segment, left: int, right: int, facts) -> bool:
        if any(has_evidence(kind, segment, left, right, facts) for kind in self.unless):
            return True
        return self.unless_pattern is not None and self.unless_pattern.search(segment.text[left:right]) is not None


class _LikelyNames(Sequence):
    """``likely_vendor_names(text)``, worked out when first read: a hit skipped for a reason that does not
    read the names (a draft note in quotes) never needs it, and it reads the whole text (0.1 s on a
    questionnaire of 50,000 rows)."""

    __slots__ = ("_text", "_names")

    def __init__(self, text: str):
        self._text, self._names = text, None

    def _read(self) -> tuple[str, ...]:
        if self._names is None:
            self._names = likely_vendor_names(self._text)
        return self._names

    def __getitem__(self, index):
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())


def _backs_up(segment, left: int, right: int, facts) -> bool:
    """Whether a sentence with a figure speaks of the claim before it, or links the results."""
    return (BACKS_UP.match(segment.text, left) is not None or NAMES_TEST.search(segment.text, left, right) is not None
            or links_to_results(segment, left, right, facts))


def _next_sentence(view: TextView, segment, base: int, right: int, across: bool):
    """(segment, left, right) of the sentence after the one ending at ``right``: in the same segment, or
    with ``across`` (a heading), the first sentence of the next segment. A table cell never borrows from
    the next cell, which describes something else."""
    text = segment.text
    start = right
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text):
        if not across:
            return None
        following = view.segment_at(base + len(text) + 1, base + len(text) + 1)
        if following is None or following[0] is segment:
            return None
        segment, text, start = following[0], following[0].text, 0
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text):
            return None
    left, end = sentence_bounds(text, start, start + 1)
    return segment, left, end


def _scopes(value, where: str) -> frozenset[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise FatalError(f"{where}: 'scopes' must be a scope name or a list of them")
    scopes: set[str] = set()
    for name in names:
        if name in SCOPE_GROUPS:
            scopes |= SCOPE_GROUPS[name]
        elif name in ALL_SCOPES:
            scopes.add(name)
        else:
            raise FatalError(f"{where}: unknown scope '{name}' (known: {', '.join(sorted(ALL_SCOPES | set(SCOPE_GROUPS)))})")
    return frozenset(scopes)


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise FatalError(f"{where}: {message}")


def _str_list(value, where: str, key: str) -> list[str]:
    _require(isinstance(value, list) and value and all(isinstance(v, str) and v for v in value),
             where, f"'{key}' must be a non-empty list of strings")
    return value


def build_rule(rule_id: str, spec: dict, defaults: dict, where: str, checked: bool = False) -> PatternRule:
    """A PatternRule from its YAML table, checked against the rule-pack schema; with ``checked`` (its patterns
    are known to compile), each pattern is compiled on first use."""
    _require(isinstance(spec, dict), where, "a rule must be a table")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise FatalError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    merged = {**defaults, **spec}
    kind = merged.get("kind")
    _require(kind in KINDS, where, f"'kind' must be one of {', '.join(KINDS)}")
    category = merged.get("category")
    _require(category in CATEGORIES, where, f"'category' must be one of {', '.join(CATEGORIES)}")
    severity = merged.get("severity", "warning")
    _require(severity in SEVERITIES, where, f"'severity' must be one of {', '.join(SEVERITIES)}")
    for key in ("summary", "description", "message"):
        _require(isinstance(merged.get(key), str) and merged[key].strip(), where, f"'{key}' is required")
    examples = merged.get("examples")
    _require(isinstance(examples, dict) and set(examples) <= {"bad", "good"}, where,
             "'examples' must be a table with 'bad' and 'good' lists")
    bad = _str_list(examples.get("bad"), where, "examples.bad")
    good = _str_list(examples.get("good"), where, "examples.good")
    ignore_case = merged.get("ignore-case", True)
    _require(isinstance(ignore_case, bool), where, "'ignore-case' must be true or false")

    replacements: tuple[str, ...] = ()
    if kind == "substitution":
        swap = merged.get("swap")
        _require(isinstance(swap, dict) and swap and all(isinstance(v, str) for v in swap.values()),
                 where, "'swap' must be a table of term: replacement")
        terms = [str(t) for t in swap]
        replacements = tuple(swap.values())
        pattern = compile_pattern(terms_pattern(terms, ignore_case, named=True), where, checked)
    else:
        _require("swap" not in merged, where, "'swap' belongs to substitution rules")
        terms = _str_list(merged.get("terms"), where, "terms")
        pattern = compile_pattern(terms_pattern(terms, ignore_case), where, checked)

    unless: tuple[str, ...] = ()
    unless_pattern = None
    if kind == "conditional":
        raw = merged.get("unless", [])
        unless = tuple([raw] if isinstance(raw, str) else raw)
        _require(all(u in EVIDENCE_KINDS for u in unless), where,
                 f"'unless' takes {', '.join(EVIDENCE_KINDS)}")
        if "unless-pattern" in merged:
            unless_pattern = compile_pattern(
                terms_pattern(_str_list(merged["unless-pattern"], where, "unless-pattern"), True), where, checked)
        _require(unless or unless_pattern is not None, where,
                 "a conditional rule needs 'unless' or 'unless-pattern'")
    else:
        _require("unless" not in merged and "unless-pattern" not in merged, where,
                 "'unless' belongs to conditional rules")
    exceptions = None
    if "exceptions" in merged:
        exceptions = compile_pattern(
            terms_pattern(_str_list(merged["exceptions"], where, "exceptions"), True), where, checked)

    claims: tuple[str, ...] = ()
    raw_claims = merged.get("claims", False)
    if raw_claims is True:
        claims = tuple(r for r in REASONS if r != "placeholder")  # named where it applies (roadmap)
    elif isinstance(raw_claims, list):
        _require(all(r in REASONS for r in raw_claims), where, f"'claims' takes true or a list of {', '.join(REASONS)}")
        claims = tuple(raw_claims)
    else:
        _require(raw_claims is False, where, f"'claims' takes true or a list of {', '.join(REASONS)}")
    about = None
    if "terms-about-us" in merged:
        about = compile_pattern(
            terms_pattern(_str_list(merged["terms-about-us"], where, "terms-about-us"), ignore_case), where, checked)
    skips = tuple(REASONS[r] for r in claims)
    if about is not None:
        skips += ("a plain word or open pattern (such as 'fast', 'the fastest way to') in a sentence that does "
                  "not speak of the vendor (we, our, the platform, a [vendor] name, the name the document uses "
                  "most, a product named after the vendor: 'Acme Pulse'; a bullet that opens with it under a "
                  "'Benefits' heading speaks of the product: '- Massively scalable architecture')",)
    if kind == "conditional":
        skips += ("evidence for a heading or a short lead-in may come in the next sentence; a measurement in "
                  "the sentence before backs a claim that refers back to it ('That is fast'); a figure in the next "
                  "two sentences of the paragraph that speaks of the claim ('It ...', 'In our tests ...') or in the "
                  "list a sentence ending in ':' introduces backs a performance claim",)

    info = RuleInfo(
        id=rule_id,
        skips=skips,
        category=category,
        severity=severity,
        summary=merged["summary"].strip(),
        description=merged["description"].strip(),
        bad=tuple(bad),
        good=tuple(good),
        scopes=_scopes(merged.get("scopes", "prose"), where),
    )
    return PatternRule(info, kind, pattern, merged["message"].strip(), exceptions, unless,
                       unless_pattern, replacements, claims, about)


def load_pack(path: Path, label: str | None = None) -> list[PatternRule]:
    label = label or str(path)

    built: list[PatternRule] = []

    def parse_yaml() -> dict:
        data = load_yaml(read_text(path, "rule pack"), label)
        built.extend(parse_pack(data, label))  # every pattern compiled: an invalid one stops the run here
        return {"pack": data, "words": {rule.info.id: rule.required_words() for rule in built}}

    if not path.is_file():
        raise FatalError(f"{label}: cannot read rule pack: no such file")
    # The words depend on how patterns are built and read: this module and the prefilter are sources too.
    stored = cached("checked-rule-pack", [path, Path(__file__), Path(prefilter.__file__)], parse_yaml)
    if built:
        for rule in built:
            rule.words = stored["words"][rule.info.id]
        return built
    return parse_pack(stored["pack"], label, stored["words"])


def parse_pack(data, label: str, words: dict | None = None) -> list[PatternRule]:
    """The pack's rules; with ``words`` (from an earlier run that compiled them all), each rule's required
    words, and patterns compiled on first use."""
    _require(isinstance(data, dict), label, "a rule pack must be a table")
    unknown = set(data) - PACK_KEYS
    if unknown:
        raise FatalError(f"{label}: unknown key '{sorted(unknown)[0]}'")
    rules = data.get("rules")
    _require(isinstance(rules, dict) and rules, label, "'rules' must be a table of rule id: rule")
    defaults = {k: v for k, v in data.items() if k != "rules"}
    built = [build_rule(str(rule_id), spec, defaults, f"{label}: rule '{rule_id}'", words is not None)
             for rule_id, spec in rules.items()]
    for rule in built if words is not None else ():
        rule.words = words.get(rule.info.id)
    return built
