"""What a sentence is doing with a claim: making it, or something else.

A claim rule (superlative, vague-claim, commitment, competitor) finds words such as
"fastest" or "coming soon"; ``claim_context`` then says why that occurrence is not
the vendor's own claim, or None when it is. Rule packs switch the reasons on with
``claims: true`` (all of them) or ``claims: [negated, hedged, ...]``:

- negated: "hardly the simplest route", "no longer the fastest option";
- hedged: "this plan might not suit very large teams", "if you need the fastest...";
- reported: what happened, not a promise: "the job finished in 140 ms", "had intended to ship";
- quoted: a claim in quotes the sentence discusses: "avoid vendors who promise 'zero downtime'";
- question: "Is offline mode on the roadmap?";
- other-subject: someone else's claim or quality: "the partner's add-on promises no data loss",
  "the customer's world-class research team", "most teams want the fastest pipeline";
- instruction: advice, idioms and names: "choose whichever plan suits you best",
  "we ship quickly and often", a programme called Fast Track.

``about_us`` answers the opposite question for words that are only a claim when they
describe the vendor's product ("fast", "scalable"): does the clause speak of us?
"""

from __future__ import annotations

import re
from typing import Iterable

REASONS = {
    "negated": "negated (\"not the fastest\", \"no longer the simplest\")",
    "hedged": "hedged or conditional (\"might\", \"may\", \"if you need ...\")",
    "reported": "reported history or measurement (\"was\", \"had planned\", \"finished in 140 ms\")",
    "quoted": "quoted or mentioned (\"avoid vendors who promise 'zero downtime'\", a block quote, "
              "the title of a linked page)",
    "question": "asked, not stated (a sentence ending in '?')",
    "other-subject": "about someone else (\"the partner's add-on\", \"their team\", \"most teams\")",
    "instruction": "advice, idiom or name (\"choose whichever suits you best\", \"Fast Track\")",
}

# A clause ends at these: what comes before belongs to another statement.
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]|—–]|\s-\s|\b(?:but|while|whereas|although|though|because|unlike)\b",
                           re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|never|hardly|barely|scarcely|nor|neither|without|no longer|no|rather than|instead of|"
    r"far from|less|cannot)\b|n['’]t\b", re.IGNORECASE)
_NOT_NEGATION = re.compile(r"\bno (?:other|one else)\b|\bnothing (?:else )?(?:is|comes)\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:might|may(?! \d)|could|would|perhaps|possibly|probably|likely|unlikely|potentially|arguably|"
    r"aims? to|aimed to|try(?:ing)? to|tries to|strives? to|hopes? to|hoping to|if|whether|unless|"
    r"in theory|supposedly)\b", re.IGNORECASE)
_REPORTED = re.compile(
    r"\b(?:was|were|had|did|used to|went|took|finished|completed|stayed|ran|averaged|measured|reached|"
    r"achieved|met|hit|recorded|became|turned out|proved|saw|found|noticed|observed|knew|thought|intended|planned to|"
    r"last (?:year|quarter|month|week|release)|ago|previously|yesterday|originally|back then|at the time)\b",
    re.IGNORECASE)
# "Result: 30% shorter cycle time" in a case study reports what a customer measured.
_RESULT_LEAD = re.compile(r"\W*(?:results?|outcomes?|impact|achievements?)\W*:", re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"\b(?:their|his|her|the (?:customer|client|partner|competitor|vendor|user|reader|prospect|buyer)s?['’]s?|"
    r"(?:customer|client|partner|competitor|user|prospect)s?['’]s?)\s", re.IGNORECASE)
_NAMED_POSSESSIVE = re.compile(r"\b([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?)['’]s\s")
_OTHER_SUBJECT = re.compile(
    r"^(?:\W*)(?:they|he|she|competitors?|rivals?|others|other (?:vendors?|tools?|products?|solutions?|platforms?|"
    r"companies|providers?)|(?:many|most|some|all|few|the best|successful|leading) (?:\w+ ){0,2}"
    r"(?:teams|companies|organi[sz]ations|developers|engineers|vendors|enterprises|businesses|users|customers|"
    r"people|startups|tools|models|products|providers|buyers|leaders)|(?:teams|companies|organi[sz]ations|"
    r"developers|engineers|enterprises|businesses|people|startups|users|customers|buyers) (?:who|that|with|want|need|expect|like))\b",
    re.IGNORECASE)
# the noun a superlative qualifies belongs to someone else: "the most advanced internet companies"
_OTHER_NOUN = re.compile(
    r"^(?:\s[\w-]+){0,2}?\s(?:companies|organi[sz]ations|teams|engineers|developers|researchers|scientists|"
    r"people|minds|talent|experts|universities|enterprises|businesses|firms|brands|athletes|tools|models|llms|"
    r"technologies|libraries|frameworks|research)\b",
    re.IGNORECASE)
_ADVICE_START = re.compile(
    r"^\W*(?:choose|pick|select|decide|consider|compare|evaluate|ask|avoid|beware|check whether|find out|"
    r"look for|watch out|be wary|make sure|remember|note that|imagine|suppose|say)\b", re.IGNORECASE)
_IDIOM = re.compile(
    r"\b(?:whichever|whatever|which(?:ever)? (?:\w+ )?(?:suits?|fits?|works?)|suits? (?:you|your \w+) best|"
    r"(?:works?|fits?|suits?) best|best (?:suits?|fits?)|(?:quickly|fast|often) and (?:often|quickly|safely)|"
    r"move fast|fail fast|as (?:fast|quickly|soon|rapidly) as (?:possible|you can|they can)|"
    r"best[- ]effort|at (?:its|their|our|your) best|at best|do (?:our|your|their) best|all the best|"
    r"best (?:regards|wishes)|the best (?:part|thing)|rapid(?:ly)? (?:iteration|prototyping|evolving|changing|"
    r"growing|expanding)|fast[- ]growing)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_US = re.compile(r"\b(?:we|we['’](?:re|ve|ll)|our|ours|us)\b", re.IGNORECASE)
_OUR_PRODUCT = re.compile(
    r"\b(?:the|this|our) (?:\w+ )?(?:platform|product|service|solution|engine|system|tool|app|application|"
    r"database|api|sdk|software|suite|stack|offering|cloud|runtime|server|agent|pipeline)s?\b",
    re.IGNORECASE)


def clause_start(text: str, left: int, start: int) -> int:
    """Where the clause holding text[start] begins, no earlier than the sentence start ``left``."""
    begin = left
    for match in _CLAUSE_BREAK.finditer(text, left, start):
        begin = match.end()
    return begin


def _quoted(sentence: str, at: int, end: int) -> bool:
    before, after = sentence[:at], sentence[end:]
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    for opening, closing in (("“", "”"), ("‘", "’"), ("«", "»")):
        if before.rfind(opening) > before.rfind(closing) and closing in after:
            return True
    # 'zero downtime': an opening straight single quote follows a space, the closing one precedes a non-letter
    single = before.rfind(" '")
    return single >= 0 and "'" not in before[single + 2:] and re.match(r"[^']*'(?![A-Za-z])", after) is not None


def _title_cased_name(sentence: str, at: int, end: int) -> bool:
    """The match is part of a capitalised name ("Fast Track", "Best in Class DevOps") inside a sentence
    that is not itself written in title case (a heading in title case names nothing)."""
    matched = sentence[at:end]
    if not matched[:1].isupper() or at == 0 or not sentence[:at].strip(" *_\"'“‘`"):
        return False
    words = _WORD.findall(sentence)
    capitalised = sum(w[0].isupper() for w in words)
    if words and capitalised / len(words) > 0.5:
        return False
    before = _WORD.findall(sentence[:at])
    after = _WORD.findall(sentence[end:])
    neighbour = (before[-1:] and before[-1][0].isupper()) or (after[:1] and after[0][0].isupper())
    return bool(neighbour) or all(w[0].isupper() for w in _WORD.findall(matched) if len(w) > 3)


def claim_context(text: str, left: int, right: int, start: int, end: int,
                  skip: Iterable[str] = REASONS, vendor_names: Iterable[str] = ()) -> str | None:
    """Why text[start:end], in the sentence text[left:right], is not the vendor's own claim; None if it is.

    Only the reasons named in ``skip`` are considered; each is a key of REASONS.
    """
    skip = set(skip)
    sentence = text[left:right]
    at, stop = start - left, end - left
    clause = text[clause_start(text, left, start):start]
    near = " ".join(clause.split()[-6:])
    if "quoted" in skip and _quoted(sentence, at, stop):
        return "quoted"
    if "question" in skip and sentence.rstrip(" *_)\"'”’").endswith("?"):
        return "question"
    if "negated" in skip and _NEGATION.search(near) and not _NOT_NEGATION.search(near + " " + text[start:end]):
        return "negated"
    if "hedged" in skip and _HEDGE.search(clause):
        return "hedged"
    if "reported" in skip and (_REPORTED.search(clause) or _RESULT_LEAD.match(sentence)):
        return "reported"
    if "other-subject" in skip and _other_subject(text, clause, end, vendor_names):
        return "other-subject"
    if "instruction" in skip and (_ADVICE_START.search(sentence) or _IDIOM.search(sentence[max(0, at - 40):stop + 40])
                                  or _title_cased_name(sentence, at, stop)):
        return "instruction"
    return None


def _other_subject(text: str, clause: str, end: int, vendor_names: Iterable[str]) -> bool:
    ours = {name.lower() for name in vendor_names}
    if _POSSESSIVE.search(clause) or _OTHER_SUBJECT.search(clause):
        return True
    if _OTHER_NOUN.match(text[end:end + 40]):
        return True
    if ours:
        owner = _NAMED_POSSESSIVE.search(clause)
        if owner and owner.group(1).lower() not in ours:
            return True
        subject = re.match(r"\W*((?:[A-Z][\w.&-]*)(?: [A-Z][\w.&-]*)*)\s+(?:is|are|has|offers|provides|delivers|"
                           r"promises|claims|guarantees|makes|gives|lets|was|were)\b", clause)
        if subject and subject.group(1).lower() not in ours and subject.group(1).split()[0] not in (
                "The", "This", "Our", "We", "It", "These", "That", "Its"):
            return True
    return False


def link_title(segment, left: int, right: int, start: int, links) -> bool:
    """Whether text[start] is in the text of a link that makes up (nearly) the whole sentence: the title
    of a linked page ("[Faster insights with X](https://...)") is mentioned, not claimed."""
    opened = [m for m in segment.markers if left <= m <= start]
    if not opened:
        return False
    marker = opened[-1]
    line, column = segment.position(marker)
    here = segment.position(start)
    for link_line, link_column, _ in links:
        if (link_line, link_column) > (line, column):
            if here >= (link_line, link_column) or link_line != line:
                return False
            title_length = link_column - column - 2  # "[text](" : the target starts two after the text
            sentence = segment.text[left:right].strip(" *_-•")
            return marker - left <= 3 and title_length >= 0.8 * len(sentence)
    return False


def about_us(text: str, left: int, right: int, start: int, vendor_names: Iterable[str] = ()) -> bool:
    """Whether the clause speaks of the vendor or its product before the match: we, our, us, "the
    platform", "this service", or one of the vendor's names."""
    before = text[clause_start(text, left, start):start]
    if _US.search(before) or _OUR_PRODUCT.search(before):
        return True
    lowered = before.lower()
    return any(re.search(rf"\b{re.escape(name.lower())}\b", lowered) for name in vendor_names)
