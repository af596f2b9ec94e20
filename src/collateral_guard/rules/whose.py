"""Whose words a page or a section is, when a sentence alone cannot tell.

- A page in a customer's voice ("we chose Acme", "we switched to Acme" in the page's own prose, not in
  a quotation) is a guest post or a testimonial: its praise of the product is the customer's.
- A section headed "About <name>" (the closing boilerplate of a case study or a partner post) or
  "About the author" describes that company or person, not the vendor's product.

Claim rules skip both as "other-subject" (see claims.py).
"""

from __future__ import annotations

import bisect
import re

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.segments import BLOCKQUOTE, HEADING, TextView

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
