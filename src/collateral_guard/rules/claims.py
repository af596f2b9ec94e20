"""What a sentence is doing with a claim: making it, or something else.

A claim rule (superlative, vague-claim, commitment, competitor) finds words such as
"fastest" or "coming soon"; ``claim_context`` then says why that occurrence is not
the vendor's own claim, or None when it is. Rule packs switch the reasons on with
``claims: true`` (all of them) or ``claims: [negated, hedged, ...]``:

- negated: "hardly the simplest route", "no longer the fastest option";
- hedged: "this plan might not suit very large teams";
- conditional: "if you need the fastest...". Commitment packs leave it out: "if a P1 occurs,
  we respond within 15 minutes" is still a promise;
- reported: what happened, not a promise: "the job finished in 140 ms", "had intended to ship";
- quoted: a claim in quotes the sentence discusses: "avoid vendors who promise 'zero downtime'";
- question: "Is offline mode on the roadmap?";
- other-subject: someone else's claim or quality: "the partner's add-on promises no data loss",
  "the customer's world-class research team", "most teams want the fastest pipeline";
- instruction: advice, idioms and names: "choose whichever plan suits you best",
  "we ship quickly and often", a programme called Fast Track;
- velocity: our own team's pace, not the product's: "this lets us resolve issues faster";
- placeholder: "Coming soon" as the whole answer ("Short answer: Coming soon"): the missing-answer
  rule reports it as a placeholder (see empty_sections.py).

``about_us`` answers the opposite question for words that are only a claim when they
describe the vendor's product ("fast", "scalable"): does the clause speak of us?
"""

from __future__ import annotations

import re
from typing import Iterable

from collateral_guard.lazy_re import LazyPattern

REASONS = {
    "negated": "negated (\"not the fastest\", \"no longer the simplest\"; a failure denied is a claim of its own, "
               "not a negation: \"never goes down and scales infinitely\")",
    "hedged": "hedged, an aim or a requirement (\"might\", \"may\", \"aims to\", \"ideally within ...\", "
              "\"a shot at being the most ...\", \"it takes world-class support\", \"a prerequisite for fast "
              "reads\", \"to make X the best ...\", \"reliability means ensuring zero data loss\", "
              "\"Infinitely scalable: it should ...\", \"we look forward to seeing how ...\", "
              "\"we required low latency\", "
              "a section headed 'Design goals', 'Vision', 'Our strategy' or 'Market requirements' unless "
              "the sentence states it of us as a fact: 'We deliver ...', 'Acme is ...')",
    "conditional": "conditional (\"if you need ...\", \"unless\", \"once\")",
    "reported": "reported history or measurement (\"was\", \"had planned\", \"finished in 140 ms\", alt text "
                "that says what a chart or picture shows, a case study's \"The result? A 30% improvement ...\")",
    "quoted": "quoted or mentioned (\"avoid vendors who promise 'zero downtime'\", "
              "the title of a linked page, a testimonial in quotation marks)",
    "question": "asked, not stated (a sentence ending in '?')",
    "other-subject": "about someone else, or in their words (\"the partner's add-on\", \"moved to Vite, a "
                     "modern and performant tool\", \"their team\", \"most teams\", "
                     "\"while cloud providers offer scalable storage\" in a sentence that opens with \"we\", "
                     "a block quote, a section headed 'About <another company>' or "
                     "'About the author', a page in a customer's voice: \"we switched to Acme\"; without a "
                     "[vendor] section, a sentence whose subject is a product other than the page's own (a site the "
                     "page links to most and serves its pictures from): "
                     "\"Airflow is the best tool for ...\", \"Choose MLflow if ... It is the best choice\", "
                     "on a page comparing products a section headed by another product)",
    "instruction": "advice, idiom or name (\"choose whichever suits you best\", \"how fast to re-index\", "
                   "\"the engine determines how scalable the system is\", "
                   "\"Fast Track\", \"the most reliable guardrails are ...\")",
    "velocity": "our own team's pace, not the product's (\"this lets us move faster\", \"made our development "
                "faster\")",
    "placeholder": "a stand-in for a missing answer (\"Short answer: Coming soon\", a section that says only "
                   "\"Coming soon.\"): reported by missing-answer as a placeholder",
}

# A clause ends at these: what comes before belongs to another statement.
_CLAUSE_BREAK = LazyPattern(r"[,;:()\[\]|—–]|\s-\s|\b(?:but|while|whereas|although|though|because|unlike)\b",
                           re.IGNORECASE)
_NEGATION = LazyPattern(
    r"\b(?:not|never|hardly|barely|scarcely|nor|neither|without|no longer|no|rather than|instead of|"
    r"far from|less|cannot)\b|n['’]t\b", re.IGNORECASE)
_NOT_NEGATION = LazyPattern(r"\bno (?:other|one else)\b|\bnothing (?:else )?(?:is|comes)\b", re.IGNORECASE)
# a failure denied is a claim of its own, not a negation of the next one: "never fails and cannot be hacked",
# "never goes down and scales infinitely"
_DENIED_FAILURE = LazyPattern(r"\b(?:never|cannot|can['’]t|won['’]t|will not|does not|doesn['’]t) (?:fails?|go(?:es)? down|"
                             r"crash(?:es)?|breaks?|stops?|sleeps?|slows? down|misses|drops|loses? (?:data|a [\w-]+))\b"
                             r"(?:,? (?:and|or)\b|,)", re.IGNORECASE)
_HEDGE = LazyPattern(
    r"\b(?:might|may(?! \d)|could|would(?! (?:[a-z]+ly |also )?(?:commit|guarantee|promise|pledge))|perhaps|possibly|probably|likely|unlikely|potentially|arguably|"
    r"aims? to|aimed to|try(?:ing)? to|tries to|strives? to|hopes? to|hoping to|"
    r"must|should|needs? to|has to|have to|calls? for|requires?|demands?|"
    r"(?:who|that) (?:wants?|needs?|demands?|requires?)|(?:will|would|may|might) need|"
    r"(?:we|they|i) (?:required|needed|wanted|were looking for|looked for)|"
    r"in theory|supposedly|in the future|the aim|committed to (?:having|making|being|becoming)|"
    r"(?:looking|searching) (?:at|for) ways|"
    r"scope|room for|which (?:one|of)|goal(?!-)|mission(?!-)|vision(?!-)|aspires?|"
    r"aspiration|ambition|(?:a |its |their |our )?(?:shot|bid|quest|push|drive) (?:at|to|for)|"
    r"to (?:make|become|turn)(?: [\w-]+){0,3} (?:the|a|an|one)|set out to|working towards?|"
    r"(?:looks?|looking) forward to (?:seeing|hearing|watching|learning|empowering|helping|enabling|supporting)|"
    r"can['’]t wait to see)\b|^\W*to (?:be|guarantee|ensure|achieve|get|provide|avoid|prevent|reach|deliver|support)\b",
    re.IGNORECASE)
# an aim: "we are joining Neon to make Lakebase the best platform" (the article follows, in the match);
# "deploy it to make analysis fast" is a purpose the product serves, still a claim
_AIM_BEFORE = LazyPattern(r"\bto (?:make|become|turn)(?: [\w'’-]+){0,3}\s*$", re.IGNORECASE)
# a design goal written as a label and what it should do: "Infinitely scalable: it should handle millions ..."
# a sentence that states an aim: "Our goals for 2019 include ...", "Our mission is simple: be faster than ..."
_AIM_WORDS = LazyPattern(r"\b(?:our|the|its|their|an?) (?:[\w-]+ ){0,2}(?:goals?|missions?|visions?|aims?|objectives?|"
                        r"ambitions?|aspirations?)\b", re.IGNORECASE)
_ARTICLE = LazyPattern(r"(?:the|a|an|one)\b", re.IGNORECASE)
_GOAL_AFTER = LazyPattern(r"[*_\s]*[:—–-]\s*(?:it|they|this|we|the [\w-]+)\s+"
                         r"(?:should|must|needs? to|has to|have to|ought to|is meant to|is supposed to)\b",
                         re.IGNORECASE)
# hedges inside a promise: "we will respond within this issue, ideally within 2 business days"
# what someone wants, said after: "optimizations that yield the fast results we want"
_WANTED_AFTER = LazyPattern(r"(?:\s[\w-]+){0,2}\s(?:we|you|they|teams|users|customers|people)\s(?:want|need|expect|"
                           r"hope for|look for)\b", re.IGNORECASE)
_HEDGE_INSIDE = LazyPattern(r"\b(?:ideally|where possible|when possible|if possible|whenever possible|best[- ]effort|"
                           r"as a rule|in most cases|aims? to|tries to|try to)\b", re.IGNORECASE)
# what a good tool needs, said of none in particular: "reliability involves ... ensuring zero data loss"
_REQUIREMENT = LazyPattern(r"\b(?:must|should|needs? to|has to|have to|involves?|entails?|requires?|means|calls? for|"
                          r"is about)\b[^.;]*\b(?:ensuring|guaranteeing|maintaining|providing|delivering|achieving|"
                          r"offering|supporting)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# "Acme delivers the blazing fast performance you need": what we give, however much someone wants it
_PROVIDES_BEFORE = LazyPattern(r"\b(?:delivers?|gives?|provides?|offers?|brings?)\s+(?:you\s+|your\s+[\w-]+\s+)?"
                              r"(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
# what a thing takes, not what anyone has: "It takes world-class DX", "a prerequisite for fast reads"
_TAKES_BEFORE = LazyPattern(r"\b(?:(?:it|this|that|which) takes|(?:a |the )?(?:prerequisite|precondition) (?:for|of)|"
                           r"(?:essential|necessary|vital|critical|crucial|key) (?:for|to))(?: (?:an?|more|the))?\s*$",
                           re.IGNORECASE)
_CONDITIONAL = LazyPattern(r"\b(?:if|whether|unless|once|until)\b", re.IGNORECASE)
_REPORTED = LazyPattern(
    r"\b(?:was|were|had|did|used to|went|took|finished|completed|stayed|ran|averaged|measured|reached|"
    r"achieved|met|hit|recorded|needed|wanted|required|helped|since|"
    r"became|turned out|proved|saw|found|noticed|observed|knew|thought|intended|planned to|"
    r"last (?:year|quarter|month|week|release)|ago|previously|yesterday|originally|back then|at the time)\b",
    re.IGNORECASE)
# "Result: 30% shorter cycle time" in a case study reports what a customer measured.
_RESULT_LEAD = LazyPattern(r"\W*(?:results?|outcomes?|impact|achievements?)\W*:", re.IGNORECASE)
# ... or asked just before: "The result? A 30% improvement in forecast accuracy."
_RESULT_ASKED = LazyPattern(r"\b(?:results?|outcomes?|impact|payoff)\?[\s*_]*$", re.IGNORECASE)
_NEGATED_AFTER = LazyPattern(r"(?:\s[\w-]+){0,2}?\s(?:is|are|was|were|does|do)(?:n['’]t|\snot)\b", re.IGNORECASE)
_REPORTED_AFTER = LazyPattern(r"(?:\s[\w-]+){0,3}?\s(?:was|were|had been)\b", re.IGNORECASE)
# the reader's own system: "your production pipeline is always available"
_YOUR_SUBJECT = LazyPattern(r"\byour (?:[\w-]+ ){0,3}(?:is|are|must|should|needs?|stays?|remains?)\b", re.IGNORECASE)
_POSSESSIVE = LazyPattern(
    r"\b(?:their|his|her|the (?:customer|client|partner|competitor|vendor|user|reader|prospect|buyer)s?['’]s?|"
    r"(?:customer|client|partner|competitor|user|prospect)s?['’]s?)\s", re.IGNORECASE)
_CONTRACTIONS = r"(?!(?:It|That|What|There|Here|Let|He|She|Who|This|Where|Now|Today|Everyone|Everything)['’])"
_OWNER_BEFORE = LazyPattern(r"\b" + _CONTRACTIONS + r"([A-Z][\w.&-]*)(?:['’]s?|['’])\s+(?:[\w-]+\s+){0,2}$")
# a name and what it is, right before the claim: "we moved to Vite, a modern and performant alternative"
_APPOSITIVE_BEFORE = LazyPattern(r"\b([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?),\s+(?:a|an|the)\s+(?:[\w-]+,?\s+){0,3}$")
_NAMED_POSSESSIVE = LazyPattern(r"\b" + _CONTRACTIONS + r"([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?)['’]s\s")
_OTHER_SUBJECT = LazyPattern(
    r"^(?:\W*)(?:(?:and|or|so|then|yet) )?(?:they|he|she|competitors?|rivals?|others|hyperscalers|"
    r"(?:cloud|hosting|service|infrastructure) providers|other (?:vendors?|tools?|products?|solutions?|platforms?|"
    r"companies|providers?)|(?:many|most|some|all|few|the best|successful|leading) (?:\w+ ){0,2}"
    r"(?:teams|companies|organi[sz]ations|developers|engineers|vendors|enterprises|businesses|users|customers|"
    r"people|startups|tools|models|products|providers|buyers|leaders)|(?:teams|companies|organi[sz]ations|"
    r"developers|engineers|enterprises|businesses|people|startups|users|customers|buyers) (?:expect|like|say|report))\b",
    re.IGNORECASE)
# a sentence about a kind of thing in general: "Large language models offer unparalleled ..."
_GENERIC_SUBJECT = LazyPattern(
    r"\W*(?:(?:large )?language models|llms|models|companies|organi[sz]ations|teams|enterprises|businesses|"
    r"developers|engineers|people|startups|vendors|competitors)\b", re.IGNORECASE)
# the noun a superlative qualifies belongs to someone else: "the most advanced internet companies"
_OTHER_NOUN = LazyPattern(
    r"^(?:\s(?!(?:for|to|of|with|by|in|on|at)\b)[\w-]+){0,2}?\s(?:companies|organi[sz]ations|teams|engineers|developers|researchers|scientists|"
    r"people|minds|talent|experts|universities|enterprises|businesses|firms|brands|athletes|models|llms|"
    r"technologies|libraries|frameworks|uis|vendors|providers|"
    r"research|requirements?|needs|demands|examples?|things?|parts?|aspects?|questions?|problems?|"
    r"challenges?|mistakes?|reasons?|topics?|comments?|ways? to (?:discover|learn|understand|think|start))\b",
    re.IGNORECASE)
# nouns that are never the product, whoever the sentence names: "applications with high performance requirements"
_NEVER_OURS = LazyPattern(r"^(?:\s(?!(?:for|to|of|with|by|in|on|at)\b)[\w-]+){0,2}?\s(?:research|requirements?|needs|"
                         r"demands|examples?|questions?|problems?|challenges?|mistakes?|reasons?|topics?|comments?)\b",
                         re.IGNORECASE)
_OTHER_TOOLS = LazyPattern(r"^(?:\s(?!(?:for|to|of|with|by|in|on|at|than|as)\b)[\w-]+){0,2}?\s"
                          r"(?:tools|services|products|platforms|solutions)\b", re.IGNORECASE)
_SUPERLATIVE_START = LazyPattern(r"\W*the (?:most|best|least)\b", re.IGNORECASE)
_GENERAL_RULE = LazyPattern(r"(?:\s[\w-]+){0,2}?\s[\w-]+s\s(?:are|tend to|come from|have|start|share)\b", re.IGNORECASE)
_ADVICE_START = LazyPattern(
    r"^\W*(?:choose|pick|select|decide|consider|compare|evaluate|avoid|beware|check whether|find out|"
    r"look for|watch out|be wary|make sure|imagine|suppose|check out|see|visit|view|browse|read|follow)\b",
    re.IGNORECASE)
_IDIOM = LazyPattern(
    r"\b(?:whichever|whatever|which(?:ever)? (?:\w+ )?(?:suits?|fits?|works?)|suits? (?:you|your \w+) best|"
    r"(?:works?|fits?|suits?) best|best (?:suits?|fits?)|(?:quickly|fast|often) and (?:often|quickly|safely)|"
    r"move fast|fail fast|as (?:fast|quickly|soon|rapidly) as (?:possible|you can|they can)|"
    r"best[- ]effort|at (?:its|their|our|your) best|at best|do (?:our|your|their) best|all the best|"
    r"best (?:regards|wishes)|the best (?:part|thing)|the best (?:[\w-]+ ){0,2}possible|"
    r"the (?:best|right|ideal) (?:[\w-]+ ){0,2}(?:is|are) (?:the )?(?:one|ones|whichever|what|that)|"
    r"awards? for (?:the )?best|rapid(?:ly)? (?:iteration|prototyping|evolving|changing|"
    r"growing|expanding)|fast[- ]growing|how (?:fast|quickly|rapidly|soon)|"
    # what something depends on, not a claim about it: "the engine determines how reliable and scalable it is"
    r"(?:determines?|decides?|affects?|influences?|shapes?|governs?|dictates?|depends on) how)\b", re.IGNORECASE)
_WORD = LazyPattern(r"[A-Za-z][\w'’.-]*")
_US = LazyPattern(r"\b(?:we|we['’](?:re|ve|ll)|our|ours|us|it['’]s designed|it is designed|it['’]s built|it is built)\b",
                 re.IGNORECASE)
_OUR_PRODUCT = LazyPattern(
    r"\b(?:the|this|our) (?:\w+ )?(?:platform|product|service|solution|engine|system|tool|app|application|"
    r"database|api|sdk|software|suite|stack|offering|cloud|runtime|server|agent|pipeline)s?\b",
    re.IGNORECASE)


# our own team's pace: "this lets us move faster", "made our development faster", "we ship fixes quickly"
_OUR_TEAM = LazyPattern(r"\b(?:we|us|our (?:own )?(?:team|teams|development|engineers|developers|engineering))\b",
                       re.IGNORECASE)
# (not "respond": "we respond fast" is a service promise)
_VELOCITY_BEFORE = LazyPattern(r"\b(?:move|moving|resolve|resolving|fix|fixing|ship|shipping|iterate|iterating|develop|"
                              r"developing|development|build|building|release|releasing|work|working|"
                              r"debug|debugging|learn|learning|add|adding|deliver|delivering|provide|providing)\b"
                              r"(?:\s[\w-]+){0,6}?\s*(?:\w+\s+)?$",
                              re.IGNORECASE)
# "we deliver blazing fast restores": the speed belongs to a thing delivered, not to the team's pace
_NOUN_AFTER = LazyPattern(r" (?!(?:and|or|than|to|for|with|by|in|on|at|every|each|as|because|so|when|while|now|"
                         r"too|enough|again)\b)[a-z]")
_SPEED = LazyPattern(r"fast|quick|rapid|speed|swift", re.IGNORECASE)
_FOR_READER = LazyPattern(r"\b(?:you|your|customers?|users?|clients?|teams|everyone|anyone|people|developers|engineers|"
                          r"organi[sz]ations)\b", re.IGNORECASE)


def clause_start(text: str, left: int, start: int) -> int:
    """Where the clause holding text[start] begins, no earlier than the sentence start ``left``."""
    begin = left
    for match in _CLAUSE_BREAK.finditer(text, left, start):
        begin = match.end()
    return begin


# the value of an HTML/JSX attribute that describes something: alt="A chart showing ... as a clear leader"
_ATTRIBUTE = LazyPattern(r"\b(?:alt|title|aria-label|caption|label)\s*=\s*[\"'{][^\"'}]*$", re.IGNORECASE)


_PICTURE = LazyPattern(r"\W*(?:(?:an?|the|this|our) )?(?:[\w-]+ ){0,2}(?:chart|graph|diagram|screenshot|image|photo|"
                      r"picture|illustration|figure|plot|map|animation|table)s?(?:\s+(?:of|showing|shows|with|that|"
                      r"comparing|ranking|illustrating|depicting|from)\b|\s*[:,—–])", re.IGNORECASE)


def describes_picture(alt: str) -> bool:
    """Alt text that says what a picture shows ("A chart ranking databases ...") reports it; alt text
    written as a slogan ("The most advanced dashboard") is read as one."""
    return _PICTURE.match(alt) is not None


def quoted_in(sentence: str, at: int, end: int) -> bool:
    """Whether sentence[at:end] is inside quotation marks or an attribute's value."""
    before, after = sentence[:at], sentence[end:]
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    for opening, closings in (("“", "”\""), ("‘", "’"), ("«", "»")):
        # a testimonial opened with a curly quote may close with a straight one
        if before.rfind(opening) > max(before.rfind(c) for c in closings) and any(c in after for c in closings):
            return True
    if _ATTRIBUTE.search(before):
        return True  # alt text or a title attribute describes an image or a link
    # 'zero downtime': an opening straight single quote follows a space, the closing one precedes a non-letter
    single = before.rfind(" '")
    return single >= 0 and "'" not in before[single + 2:] and re.match(r"[^']*'(?![A-Za-z])", after) is not None


def _title_cased_name(sentence: str, at: int, end: int) -> bool:
    """The match is part of a capitalised name ("Fast Track", "Best in Class DevOps") inside a sentence
    that is not itself written in title case (a heading in title case names nothing)."""
    if sentence[at:end].lower().startswith("the "):  # "the Best DevOps Solution" award
        at += 4
    matched = sentence[at:end]
    if not matched[:1].isupper() or at == 0 or not sentence[:at].strip(" *_\"'“‘`"):
        return False
    if re.match(r"\s*\([A-Z]{2,}\)", sentence[end:]):
        return True  # "Best In Class (BIC)": a named thing with its acronym, in a heading too
    words = _WORD.findall(sentence)
    capitalised = sum(w[0].isupper() for w in words)
    if words and capitalised / len(words) > 0.5:
        return False
    before = _WORD.findall(sentence[:at])
    after = _WORD.findall(sentence[end:])
    neighbour = (before[-1:] and before[-1][0].isupper()) or (after[:1] and after[0][0].isupper())
    return bool(neighbour) or all(w[0].isupper() for w in _WORD.findall(matched) if len(w) > 3)


def claim_context(text: str, left: int, right: int, start: int, end: int,
                  skip: Iterable[str] = REASONS, vendor_names: Iterable[str] = (),
                  likely_names: Iterable[str] = (), mentions=None) -> str | None:
    """Why text[start:end], in the sentence text[left:right], is not the vendor's own claim; None if it is.

    Only the reasons named in ``skip`` are considered; each is a key of REASONS. ``vendor_names`` are the
    configured [vendor] names. Without them, ``likely_names`` (see likely_vendor_names) stand in, and
    ``mentions(name)`` (how often the document names it) keeps a recurring name from being taken for
    someone else's.
    """
    skip = set(skip)
    sentence = text[left:right]
    at, stop = start - left, end - left
    clause = text[clause_start(text, left, start):start]
    near = " ".join(clause.split()[-6:])
    if "quoted" in skip and (quoted_in(sentence, at, stop) or quoted_in(text, start, end)):
        return "quoted"  # in the sentence, or in a quotation of several sentences in the paragraph
    if "question" in skip and sentence.rstrip(" *_)\"'”’").endswith("?"):
        return "question"
    after = text[end:min(right, end + 40)]
    near = _DENIED_FAILURE.sub(" ", near)
    if "negated" in skip and ((_NEGATION.search(near) and not _NOT_NEGATION.search(near + " " + text[start:end]))
                              or _NEGATED_AFTER.match(after)):
        return "negated"
    # an element of a list takes the hedge of the list: "it has to stay cheap, fast and throwaway"
    listed = len(clause.split()) <= 1 and clause_start(text, left, start) > left
    if "hedged" in skip and (_HEDGE.search(clause) or (listed and _HEDGE.search(text, left, start))
                             or _HEDGE_INSIDE.search(text, start, end)
                             or (_WANTED_AFTER.match(text, end) and not _PROVIDES_BEFORE.search(text, left, start))
                             or (_REQUIREMENT.search(text[left:start])
                                 and not names_us(text[left:start], vendor_names, likely_names[:1]))
                             or _AIM_WORDS.search(text, left, start)
                             or _TAKES_BEFORE.search(text, left, start)
                             or (_AIM_BEFORE.search(clause) and _ARTICLE.match(text, start))
                             or _GOAL_AFTER.match(text, end, right)):
        return "hedged"
    if "conditional" in skip and _CONDITIONAL.search(clause):
        return "conditional"
    line = text[max(left, text.rfind("\n", 0, start) + 1):start]
    if "reported" in skip and (_reported_clause(clause) or _RESULT_LEAD.match(sentence) or _RESULT_LEAD.match(line)
                               or _RESULT_ASKED.search(text, max(0, left - 30), left)
                               or _REPORTED_AFTER.match(after)):
        return "reported"
    if "other-subject" in skip and _other_subject(text, left, clause, sentence, start, end, vendor_names,
                                                                 likely_names, mentions):
        return "other-subject"
    if "velocity" in skip and _SPEED.search(text, start, end) and _OUR_TEAM.search(sentence, 0, at) \
            and _VELOCITY_BEFORE.search(text[left:start]) and not _FOR_READER.search(sentence) \
            and not _NOUN_AFTER.match(text, end):
        return "velocity"
    if "instruction" in skip and _GENERAL_RULE.match(text, end) and _SUPERLATIVE_START.match(sentence, at):
        return "instruction"  # "The most reliable guardrails are built in code": advice about a kind of thing
    if "instruction" in skip and (_ADVICE_START.search(sentence) or _IDIOM.search(sentence[max(0, at - 40):stop + 40])
                                  or _title_cased_name(sentence, at, stop)):
        return "instruction"
    return None


_PRESENT = LazyPattern(r"\b(?:is|are|has|have|offers|provides|delivers|remains|stays|gives|makes|runs|scales)\b",
                      re.IGNORECASE)


def _reported_clause(clause: str) -> bool:
    """A past-tense verb before the claim, unless a present-tense one follows it: "the rollout was smooth and
    the platform is best-in-class" makes a claim now."""
    last = None
    for last in _REPORTED.finditer(clause):
        pass
    return last is not None and not _PRESENT.search(clause, last.end())


def _other_subject(text: str, left: int, clause: str, sentence: str, start: int, end: int,
                   vendor_names: Iterable[str], likely_names: tuple[str, ...], mentions) -> bool:
    ours = {name.lower() for name in vendor_names}
    named = ours | {name.lower() for name in likely_names}
    if _POSSESSIVE.search(clause) or _YOUR_SUBJECT.search(clause):
        return True
    # "Databricks' scalable compute": a quality owned by a name that is not ours, right before the claim
    # Without [vendor], the owner of a quality named a third as often as the document's most used name, or
    # less, is not taken for ours: a partner post names the partner often ("Databricks' scalable compute").
    prominent = set() if ours or not likely_names or mentions is None else {name.lower() for name in likely_names}

    def minor(name: str) -> bool:
        return bool(prominent) and not _ours(name, prominent) and mentions(name) * 3 <= mentions(likely_names[0])
    owner = _OWNER_BEFORE.search(text[max(left, start - 60):start]) or _APPOSITIVE_BEFORE.search(
        text[max(left, start - 60):start])
    if owner and not _ours(owner.group(1), ours or named) and (mentions is None or mentions(owner.group(1)) <= 2):
        return True
    if owner and minor(owner.group(1)) and not _common_word_at_start(owner.group(1), clause, text):
        return True
    if _OTHER_NOUN.match(" " + text[start:end].split()[-1]):
        return True  # "the world's largest companies"
    # what follows "than" is the baseline of a comparison, not its subject: "60% lower than typical tools"
    compares = text[start:end].rstrip().lower().endswith("than")
    if _NEVER_OURS.match(text[end:end + 40]) and not compares:
        return True
    if _OTHER_NOUN.match(text[end:end + 40]) and not compares and \
            not names_us(text[left:start], vendor_names, likely_names[:1]):
        return True  # "the most talented teams", but not "Acme is one of the most trusted vendors"
    # "integrations with the most popular cloud and open-source tools": others' tools, unless we are the subject
    # ("we are among the simplest tools to deploy")
    if _OTHER_TOOLS.match(text[end:end + 40]) and not compares and \
            not names_us(text[left:start], vendor_names, likely_names[:1]):
        return True
    # "Most teams want ...", "Large language models offer ...": unless the sentence names us first
    # ("Enterprises come to Acme for its unrivalled ...").
    before = text[left:start]
    # Only the vendor's names, or the document's most used one, count as naming us: "models like GPT-4" names
    # an example, not the speaker.
    speaker = ours or {name.lower() for name in likely_names[:1]}
    # a clause of its own ("We saw that, while cloud providers offer scalable storage, ..."): only that
    # clause may name us
    said = clause if _OTHER_SUBJECT.search(clause) and len(clause) < len(before) else before
    if (_OTHER_SUBJECT.search(clause) or _GENERIC_SUBJECT.match(sentence)) and not (
            _US.search(said) or _OUR_PRODUCT.search(said) or any(n in said.lower() for n in speaker)):
        return True
    # Without [vendor], the document's prominent names stand in. Either way, only a name the document
    # hardly mentions (twice at most) is taken for someone else: the vendor's own names, products
    # included ("Pulse is ..."), recur; [vendor] rarely lists every product.
    ours = ours or named

    def other(name: str) -> bool:
        return (not _ours(name, ours) and (mentions is None or mentions(name.split()[0]) <= 2)
                and not _common_word_at_start(name, clause, text))

    if ours:
        owner = _NAMED_POSSESSIVE.search(clause)
        if owner and other(owner.group(1)):
            return True
        # A capitalised phrase before a common noun is a feature, not a company ("Native SAML support is
        # planned", "Multi-region replication is on our roadmap"); so is any subject of a sentence that
        # says "we" or "our" ("SSO is on our roadmap").
        subject = re.match(r"\W*((?:[A-Z][\w.&-]*)(?: [A-Z][\w.&-]*)*)\s+(\w+ )?(?:is|are|has|offers|provides|"
                           r"delivers|promises|claims|guarantees|makes|gives|lets|was|were|can|remains)\b", clause)
        if subject and (subject.group(2) and subject.group(2).strip().islower() or _US.search(sentence)):
            subject = None
        first = subject.group(1).split()[0] if subject else ""
        if subject and other(subject.group(1)) and not first.endswith("ing") and first not in (
                "The", "This", "Our", "We", "It", "These", "That", "Its", "With", "For", "In", "On", "At", "By",
                "And", "But", "So", "Then", "Today", "Now", "Here", "There", "All", "Every", "Each", "Both"):
            return True
    return False


def _common_word_at_start(name: str, clause: str, text: str) -> bool:
    """"Pipelines are fast": a sentence's first word is capitalised, so a common word there, or one the
    text also writes in lower case, is no name."""
    if " " in name or not clause.lstrip(" *_\"'“‘(-•").startswith(name):
        return False
    return common_word(name, text)


def common_word(word: str, text: str) -> bool:
    """A capitalised common word ("Pipelines", "Teams") is no name, nor a word the text also writes in
    lower case; the plural of a common word ("pipeline") is as common."""
    from collateral_guard.rules.spelling import english_frequencies

    lower = word.lower()
    forms = {lower} | ({lower[:-1]} if lower.endswith("s") and len(lower) > 4 else set())
    return any(english_frequencies().get(form, 0) >= 1_000 or re.search(rf"\b{re.escape(form)}\b", text) is not None
               for form in forms)


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
            lead = segment.text[left:marker].strip(" *_-•")
            if lead and not lead.endswith((":", "-", "–", "—")):
                return False  # the link is part of a sentence, not a title after a label ("Guide: [...]")
            rest = segment.text[marker:right].strip(" *_-•")
            return title_length >= 0.8 * len(rest)
    return False


def _ours(name: str, ours: set[str]) -> bool:
    """"Vespa Cloud" is the vendor's when "Vespa" is one of its names."""
    name = name.lower()
    return name in ours or name.split()[0] in ours or any(name.startswith(o + " ") for o in ours)


_NAME = LazyPattern(r"(?<=[a-z,;] )[A-Z][A-Za-z0-9]+(?:[ -][A-Z][A-Za-z0-9]+)?")


def likely_vendor_names(text: str) -> tuple[str, ...]:
    """Without a [vendor] section: the names a document uses most inside sentences (not as a sentence's
    first word), taken as possibly the vendor's own: the top name and any used at least half as often.
    A vendor's page names its own product more than most others; a comparison page may name a rival as
    often, so these names are never used to say a claim is ours, only to say whose it may be."""
    counts: dict[str, int] = {}
    for match in _NAME.finditer(text):
        word = match.group().split()[0].split("-")[0]
        counts[word] = counts.get(word, 0) + 1
    if not counts:
        return ()
    top = max(counts.values())
    if top < 3:
        return ()
    return tuple(sorted((w for w, n in counts.items() if n * 2 >= top), key=lambda w: (-counts[w], w)))


def product_names(text: str, names: Iterable[str]) -> tuple[str, ...]:
    """The vendor's products, named after it: "Pulse" in "Northwind Pulse", "Cloud" in "Vespa Cloud"."""
    found = []
    for name in names:
        for match in re.finditer(rf"\b{re.escape(name)}\s+([A-Z][\w-]+)", text):
            word = match.group(1)
            if word.lower() not in _NOT_PRODUCT and word not in found and word not in names:
                found.append(word)
    return tuple(found)


_NOT_PRODUCT = frozenset("the a an and or is are was were has have to of in on for with by at as it its this that "
                         "we our you your they their".split())


def about_us(text: str, left: int, right: int, start: int, vendor_names: Iterable[str] = ()) -> bool:
    """Whether the clause speaks of the vendor or its product before the match: we, our, us, "the
    platform", "this service", or one of the vendor's names."""
    before = text[left:start]
    if re.match(r"\W*(?:and\s+)?(?:it|its|it['’]s|they|their)\b", before, re.IGNORECASE):
        before = text[max(0, left - 200):start]  # "It is fast": what "it" is was said just before
    if _US.search(before) or _OUR_PRODUCT.search(before):
        return True
    lowered = before.lower()
    return any(re.search(rf"\b{re.escape(name.lower())}\b", lowered) for name in vendor_names)


def plain_subject(text: str, left: int, start: int) -> bool:
    """Whether the clause before a claim is a plain product noun and its verb, naming nobody: "the cluster is
    massively scalable", "Dashboards load in a blink", "Switching is instant". Used only where [vendor] says
    whose collateral this is: there, a product noun is the vendor's."""
    before = text[left:start]
    return _PLAIN_SUBJECT.fullmatch(before) is not None and not _SOMEONE_ELSE.search(before)


# the parts of a product a brief speaks of; a clause start (a sentence, or after a comma), the part, and a verb
# of being or doing: "Plenty of headroom, the cluster is ", "Queries return "
PRODUCT_NOUNS = ("cluster", "clusters", "platform", "dashboards?", "queries", "query engine", "search", "ingest(?:ion)?",
                 "sync", "interactions", "restores", "backups", "deploys", "deployments", "index(?:ing)?", "engine",
                 "api", "console", "agent", "collector", "pipelines?", "reports", "alerting", "setup", "onboarding",
                 "migration", "switching", "upgrades", "failover", "recovery", "rollbacks", "writes", "reads",
                 "storage", "replication", "service")
_PLAIN_SUBJECT = LazyPattern(r"(?:[^.!?\n]*,\s+)?(?:[*_\s-]*)(?:[Tt]he |[Oo]ur |[Tt]his |[Ee]very |[Aa]ll )?(?:[a-z-]+ )?"
                             r"(?i:" + "|".join(PRODUCT_NOUNS) + r") (?:is|are|feels?|loads?|runs?|scales?|stays?|"
                             r"returns?|starts?|becomes?|gets?|responds?|syncs?|works?)"
                             r"(?: (?:always|now|just|also|truly|so|really))? ")
# someone else's subject, or the market's: "their platform", "most teams", "the industry"
_SOMEONE_ELSE = LazyPattern(r"\b(?:they|their|them|he|she|his|her|others?|competitors?|rivals?|vendors?|providers?|"
                            r"customers?|users?|teams?|companies|organi[sz]ations|people|industry|market|adoption|"
                            r"demand|if|when|whether|unless|once|before|after|until|how|why|what|goal|aim|it|that|"
                            r"there|which|who|these|those|old|current|existing|legacy|your|enough)\b", re.IGNORECASE)


def states_of_us(text: str, left: int, start: int, vendor_names: Iterable[str]) -> bool:
    """Whether the clause before a claim states something of the vendor (by name, as "we", or a name as
    its subject) in the present tense ("Acme is", "we deliver", "With Acme Vault, restores are"): a fact
    claimed, even among aims."""
    before = text[left:start]
    # "The query engine is blazing fast" under "Design goals" may be the goal itself
    return _STATES.search(before) is not None and names_us(before, vendor_names)


_STATES = LazyPattern(r"\b(?:is|are|offers?|provides?|delivers?|remains|gives?|makes?|runs?|scales?|ensures?|"
                      r"guarantees?)\b", re.IGNORECASE)
# a name as the subject, before the verb: "Acme is", "Acme Vault provides", "With Acme Vault, restores are"
_NAME_STATES = LazyPattern(r"\W*(?:With |At |For )?(?!(?:The|This|That|These|Those|It|Its|A|An|Each|Every|All)\b)"
                          r"([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*)(?:,? [a-z]+)? (?:is|are|has|have|offers|provides|"
                          r"delivers|remains|gives|makes|runs|scales)\b")


def names_us(before: str, vendor_names: Iterable[str], likely_names: Iterable[str] = ()) -> bool:
    """Whether the words before a claim name the vendor: we, our, us, one of its (likely) names, or a name
    stated as the subject ("Acme offers the most secure managed services": whoever Acme is, the claim is
    about a product, not about "services" in general)."""
    return _US.search(before) is not None or _name_states(before) or any(
        re.search(rf"\b{re.escape(name)}\b", before, re.IGNORECASE) for name in (*vendor_names, *likely_names))


def _name_states(before: str) -> bool:
    """A name, not a capitalised common word ("Metrics are"), as the subject of a present-tense verb."""
    match = _NAME_STATES.match(before)
    return match is not None and not _common_word_at_start(match.group(1), before, before)

