"""Whose words a page or a section is, when a sentence alone cannot tell.

- A page in a customer's voice ("we chose Acme", "we switched to Acme" in the page's own prose, not in
  a quotation) is a guest post or a testimonial: its praise of the product is the customer's.
- A section headed "About <name>" (the closing boilerplate of a case study or a partner post) or
  "About the author" describes that company or person, not the vendor's product.
- Without a [vendor] section, the vendor is told by the page's own site: a site it links to most that
  also serves the page's pictures ("zenml.io" linked twenty times, its images on assets.zenml.io,
  names ZenML). A claim whose subject is another name ("DocuSign is the
  industry-leading tool"), or "it" after a sentence about one, is that product's; on a page that
  compares products ("X vs Y", "alternatives to X"), so is one in a section headed by another
  product's name ("### Airflow"). A page with no such sign makes its own claims.

Claim rules skip all of them as "other-subject" (see claims.py).
"""

from __future__ import annotations

import bisect
import re

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.claims import common_word
from collateral_guard.segments import BLOCKQUOTE, HEADING, TITLE, TextView

_CHOSE = (r"(?<!why )(?<!how )\bwe (?:chose|selected|picked|adopted|settled on|went with|turned to|switched to|"
          r"migrated to|decided to (?:use|adopt|go with)) (?:the )?")
_ABOUT = LazyPattern(r"\W*About (?:the )?(.+?)\W*$")


def customer_voice(view: TextView, names: tuple[str, ...]) -> bool:
    """Whether the page's own prose says it chose the product: "we chose Acme", "we switched to Acme"."""
    from collateral_guard.rules.claims import quoted_in

    if not names:
        return False
    pattern = re.compile(_CHOSE + "(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    for match in pattern.finditer(view.text):
        found = view.segment_at(match.start(), match.end())
        if found is None or found[0].scope == BLOCKQUOTE:
            continue
        segment, base = found
        if not quoted_in(segment.text, match.start() - base, match.end() - base):
            return True
    return False


def others_sections(view: TextView, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """The spans of view.text under an "About <name>" heading whose name is not one of ``names`` (the
    vendor's), up to the next heading: "About i-flow", "About the author"; not "About us", "About Acme"."""
    spans, current = [], None
    ours = {n.lower() for n in names}
    for segment, start in zip(view.segments, view.starts):
        if segment.scope != HEADING:
            continue
        if current is not None:
            spans.append((current, start))
            current = None
        about = _ABOUT.match(segment.text)
        if about:
            subject = about.group(1).lower()
            words = set(re.findall(r"[\w.-]+", subject))
            # with no name known for the vendor, only a heading that says whom it is about
            someone = words & {"author", "authors", "customer", "partner", "speaker", "speakers"}
            if someone or (ours and not words & {"us", "our", "this"}
                           and not any(re.search(rf"\b{re.escape(o)}\b", subject) for o in ours)):
                current = start + len(segment.text)
    if current is not None:
        spans.append((current, len(view.text)))
    return spans


def in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right([s for s, _ in spans], offset) - 1
    return i >= 0 and offset < spans[i][1]


# Hosts that hold everybody's code, videos and posts: a link there names no vendor.
_SHARED_HOSTS = frozenset(
    "github githubusercontent youtube youtu vimeo twitter x linkedin medium google googleapis wikipedia reddit "
    "stackoverflow facebook instagram discord slack unsplash npmjs pypi docker amazonaws cloudfront "
    "bit ly t co".split())
_HOST_WORDS = frozenset("www docs doc blog blogs about app apps api cdn assets static images img dev com org net io "
                        "ai co uk de fr jp en info cloud".split())
SITE_MIN_LINKS = 3  # a site linked this often is the page's own, or a partner's it mostly speaks of


def site_names(links, text: str) -> tuple[str, ...]:
    """The names of the sites a page links to most, as the page writes them ("zenml.io" -> "ZenML"),
    when it writes them at least twice: the page's own site first. Empty when no site stands out."""
    from urllib.parse import urlsplit

    counts: dict[str, int] = {}
    for _, _, target in links:
        if "//" not in target:
            continue
        host = (urlsplit(target.strip()).hostname or "").lower()
        words = {w for part in host.split(".")[:-1] for w in part.split("-")} - _HOST_WORDS
        if host.split(".")[-2:-1] and host.split(".")[-2] in _SHARED_HOSTS:
            continue
        for word in words:
            if len(word) >= 3:
                counts[word] = counts.get(word, 0) + 1
    if not counts:
        return ()
    top = max(counts.values())
    names = []
    for word, count in sorted(counts.items(), key=lambda item: -item[1]):
        if count < SITE_MIN_LINKS or count * 2 < top:
            continue
        written = re.findall(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        if len(written) >= 2:
            names.append(max(set(written), key=written.count))
    return tuple(names)


_IMAGE = LazyPattern(r"(?i)\.(?:png|jpe?g|gif|webp|avif|svg)(?:[?#].*)?$")


def _serves_images(links, name: str) -> bool:
    """Whether the page's pictures come from the site of ``name`` ("assets.zenml.io/....png"): a page
    serves its images from its own site, so that name is surely the page's own, not a partner's."""
    from urllib.parse import urlsplit

    name = name.lower()
    for _, _, target in links:
        if "//" in target and _IMAGE.search(target.strip()):
            host = (urlsplit(target.strip()).hostname or "").lower()
            if name in {w for part in host.split(".") for w in part.split("-")}:
                return True
    return False


def own_site(links, text: str) -> tuple[str, ...]:
    """Without [vendor]: the names taken for the page's own, or () when the page gives no trustworthy sign.
    The sites a page links to most (see site_names) are as often a cloud's, a partner's or a rival's docs
    as the vendor's own, so such a site counts only when the page also serves its pictures from it (a
    case study's title may name the customer first, a comparison's the rival)."""
    return tuple(name for name in site_names(links, text) if _serves_images(links, name))


# case-sensitive: "VS Code" compares nothing
_VERSUS = LazyPattern(r"\b(?:vs\.?|Vs\.?|[Vv]ersus|[Aa]lternatives?|[Cc]ompar(?:e|ed|es|ing|isons?))\b")


def compares_products(view: TextView) -> bool:
    """Whether the page's title or a heading says it compares products ("X vs Y", "The best
    alternatives to X")."""
    return any(segment.scope in (TITLE, HEADING) and _VERSUS.search(segment.text) for segment in view.segments)


_LEAD = r"^\W*(?:[A-Z][\w ]{0,20}[:,]\W*)?(?:(?:[Ww]hile|[Ww]hereas|[Aa]lthough|[Tt]hough|[Ss]ince)\s+)?(?:(?:overall|however|still|also|meanwhile|in short|in contrast|by contrast|" \
        r"similarly|likewise|instead|plus|and|but|so|today|now),?\s+)?"
_SUBJECT = LazyPattern(
    _LEAD + r"((?:[A-Z][\w.&+-]*)(?: [A-Z][\w.&+-]*){0,3})(?:['’]s?(?: [\w-]+){0,3})?\s+(?:[\w-]+ )?"
    r"(?:is|are|has|have|offers|provides|delivers|ensures|supports|lets|allows|enables|brings|excels|remains|"
    r"gives|makes|uses|comes|shines|stands|leads|wins|can|does|acts|was|were|had|made|gave|brought|helps|runs|"
    r"gets|keeps|works|[a-z]{3,}(?:es|ed))\b")
_OWNER = LazyPattern(r"\b([A-Z][\w.&+-]*(?: [A-Z][\w.&+-]*){0,2})(?:['’]s|['’])\s+(?:[\w-]+\s+){0,2}$")
_PRONOUN_START = LazyPattern(r"^\W*(?:it|its|it['’]s|this|that|they|their)\b", re.IGNORECASE)
_NOT_A_NAME = frozenset("the this that these those our we it its their they your you with for in on at by and but so "
                        "then today now here there all every each both a an if when while as".split())


_RECOMMENDED = LazyPattern(r"\W*(?:[Cc]hoose|[Pp]ick|[Uu]se|[Tt]ry|[Cc]onsider|[Gg]o with|[Oo]pt for)\s+"
                           r"([A-Z][\w.&+-]*(?: [A-Z][\w.&+-]*){0,2})\b")


def _named_subject(sentence: str) -> str | None:
    """The capitalised name a sentence starts with as its subject ("Airflow has ...", "Kubeflow's scalable
    execution ...", "Overall, InfluxDB is ..."), or None."""
    match = _SUBJECT.match(sentence)
    if match is None or not match.group(1)[:1].isupper():
        return None
    words = match.group(1).split()
    if words[0] == "The" and len(words) > 1:  # "The RRule schedule is ..."
        words = words[1:]
    if words[0].lower() in _NOT_A_NAME or words[0].endswith("ing") or common_word(words[0], sentence):
        return None
    return " ".join(words)


def nearest_heading(view: TextView, offset: int) -> str | None:
    """The text of the last heading before view.text[offset], or None."""
    if "headings" not in view.shared:  # once per view: asked per match (a workbook has no headings to stop at)
        view.shared["headings"] = [i for i, s in enumerate(view.segments) if s.scope == HEADING]
    headings = view.shared["headings"]
    here = bisect.bisect_right(headings, bisect.bisect_right(view.starts, offset) - 1) - 1
    return view.segments[headings[here]].text if here >= 0 else None


# A section of aims, not achievements: "Self-service vision", "Design goals", "Our mission", "OKRs".
# Only our own aims: a customer's goals, an RFP's requirements, a strategy or principles section still
# hold our claims ("## 3.2 Security requirements" answered with "Acme is the most secure platform").
_AIMS_HEADING = LazyPattern(r"(?i)(?<!customer )(?<!customers['’] )(?<!business )(?<!your )(?<!their )\b(?:goals?|"
                            r"mission|vision|aims?|aspirations?|ambitions?|okrs?|wish ?list|(?:our|product|company) (?:strategy|objectives)|"
                            r"what (?:we|a [\w-]+ layer|it) (?:needs?|wants?|must do|should do)|"
                            # what a market asks of any product, in product marketing's own notes
                            r"market requirements?)\b")


def aims_section(view: TextView, offset: int) -> bool:
    """Whether view.text[offset] is in a section headed as aims or requirements ("Design goals", "Vision"),
    or on a page titled so ("Development goals")."""
    heading = nearest_heading(view, offset)
    if heading is not None and _AIMS_HEADING.search(heading):
        return True
    if "title" not in view.shared:  # once per view: asked per match, a scan of every segment was quadratic
        view.shared["title"] = next((s for s in view.segments if s.scope == TITLE), None)
    title = view.shared["title"]
    return title is not None and _AIMS_HEADING.search(title.text) is not None and len(title.text.split()) <= 6


_BENEFITS_HEADING = LazyPattern(r"(?i)^\W*(?:(?:key|main|top|business|customer) )?(?:benefits|advantages)\W*$")


def benefits_section(view: TextView, offset: int) -> bool:
    """Whether view.text[offset] is in a section headed "Benefits" or "Key benefits": its bullets are the
    product's, subject or none."""
    heading = nearest_heading(view, offset)
    return heading is not None and _BENEFITS_HEADING.match(heading) is not None


def section_subject(view: TextView, offset: int) -> str | None:
    """The name the section holding view.text[offset] is headed by, when the heading is a bare name
    ("Airflow", "3. LangSmith", "InfluxDB details"), else None."""
    heading = nearest_heading(view, offset)
    match = _HEADED_BY_NAME.match(heading) if heading is not None else None
    if match is None or common_word(match.group(1).split()[0], ""):
        return None
    return match.group(1)


_HEADED_BY_NAME = LazyPattern(r"^\W*(?:\d+[.)]\s*)?([A-Z][\w.&+-]*(?: [A-Z][\w.&+-]*){0,2})"
                              r"(?:\s+(?:details|overview|in (?:a )?(?:nutshell|brief)|at a glance|pros and cons|"
                              r"features|strengths|highlights))?\W*$")


def someone_elses_subject(text: str, left: int, start: int, site: tuple[str, ...], section: str | None = None) -> bool:
    """Whether the sentence text[left:...] holding a claim at ``start`` is about a product that is not the
    page's own (``site``: see site_names): its subject is another name, or "it" after a sentence about one
    ("Choose MLflow if ... It is the best choice"), or it has none in a section headed by another name
    (``section``, given on a page comparing products), and nothing before the claim names us."""
    from collateral_guard.rules.claims import _US

    ours = {name.lower() for name in site}
    before = text[left:start]
    owner = _OWNER.search(before)  # "... with Databricks' scalable compute"
    if owner and not any(word.lower() in ours for word in owner.group(1).split()) \
            and not common_word(owner.group(1).split()[0], ""):
        return True
    if _US.search(before) or any(re.search(rf"\b{re.escape(name)}\b", before, re.IGNORECASE) for name in ours):
        return False
    subject = _named_subject(before)
    if subject is None and _PRONOUN_START.match(before) and left > 0:
        from collateral_guard.rules.evidence import sentence_bounds

        previous = text[:left].rstrip()
        if previous:
            previous_left, _ = sentence_bounds(text, len(previous) - 1, len(previous))
            subject = _named_subject(previous[previous_left:])
            recommended = _RECOMMENDED.match(previous, previous_left)
            if subject is None and recommended:  # "Choose MLflow if ... It is the best choice if ..."
                subject = recommended.group(1)
            if subject and any(re.search(rf"\b{re.escape(name)}\b", previous[previous_left:], re.IGNORECASE)
                               for name in ours):
                return False
    if subject is None and section is not None and (_PRONOUN_START.match(before) or not _named_subject(before)):
        subject = section  # "### Airflow" ... "This makes it the best tool for ..."
    return subject is not None and not any(word.lower() in ours for word in subject.split())
