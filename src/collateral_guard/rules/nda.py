"""Cross-customer references: a document for one customer that names another.

Names and domains of every registered customer are found with the shared name
matcher (rules/names.py), so a document is scanned once however large the
registry is.
"""

from __future__ import annotations

import re
from typing import Iterator

from collateral_guard.config import Config, Customer
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.names import Name, NameMatcher, normalise, is_common_phrase
from collateral_guard.segments import CODE_BLOCK, EVERYTHING, INLINE_CODE, LINK_URL, TABLE_CELL, TextView

INFO = RuleInfo(
    id="other-customer",
    category="nda",
    severity="error",
    summary="Another customer named, by name, domain, e-mail or URL, in a document for one customer.",
    description=(
        "Uses the customer registry (`[customers.<id>]` or `customers-file`) and the customer the "
        "document is for: `--customer ID`, else `customer: <id>` under a `collateral-guard:` mapping in "
        "the front matter (a plain top-level `customer:` belongs to other tools and is read as text) "
        "or the DOCX custom property `customer`, else a `customer-paths` rule. Naming another registered "
        "customer is an error unless that customer is a public reference; in a document with no "
        "target customer, naming a customer who is not a public reference is a warning. Names "
        "match as whole words, with possessives, hyphenated forms, line breaks inside a name "
        "and curly apostrophes; names that are ordinary words (Target, Shell, Box) match only "
        "with their capitals unless the entry sets `case-sensitive`. It reads everything, "
        "including comments, tracked deletions, hidden text, link targets and code. Each customer "
        "is reported once per paragraph, list item, table row or card. Not flagged: the "
        "customer's `exclusions` (phrases with its name that do not mean the customer, such as a "
        "cloud product named after the company or its documentation host), the [vendor] names, "
        "and, for names of one or two characters (a configuration warning), anything but the "
        "exact case-sensitive word in prose: not in code, link targets, or phrases like \"3 X\" "
        "or \"X times\". In a document with no target customer, each customer who is not a public "
        "reference is reported once, at its first mention, with the number of mentions."
    ),
    bad=(
        "---\ncollateral-guard: {customer: fabrikam}\n---\n\nThis answer was reused from the Contoso proposal.",
        "---\ncollateral-guard: {customer: fabrikam}\n---\n\nContact jane.doe@contoso.com for a reference call.",
        "Contoso's data team cut reporting time by half.",
    ),
    good=(
        "---\ncollateral-guard: {customer: fabrikam}\n---\n\nFabrikam's data team will review this answer.",
        "---\ncollateral-guard: {customer: fabrikam}\n---\n\nWingtip Toys runs the same deployment.",
        "The agent ships with a container image.",
    ),
    scopes=EVERYTHING,
)


def _case_sensitive(customer: Customer, name: str) -> bool:
    if len(name) <= 2:
        return True
    if customer.case_sensitive is not None:
        return customer.case_sensitive
    return is_common_phrase(name)


class CustomerReferenceRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        vendor = {normalise(name) for name in config.vendor.names}
        # The vendor's own names are never a customer reference (a customer entry may share one).
        self.customers = {cid: c for cid, c in config.customers.items()
                          if not (vendor and all(normalise(n) in vendor for n in c.names))}
        self.vendor_names = vendor
        self._matcher: NameMatcher | None = None

    def warm_up(self) -> None:
        if self.customers and self._matcher is None:
            names = [Name(n, c, _case_sensitive(c, n)) for c in self.customers.values() for n in c.names]
            names += [Name(d.lower(), c, False, is_domain=True) for c in self.customers.values() for d in c.domains]
            self._matcher = NameMatcher(names)

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        if not self.customers:
            return
        self.warm_up()
        matches = [m for m in self._matcher.find(view.text) if self._refers(view, *m)]
        target = facts.target_customer
        if target:
            yield from self._per_unit(view, matches, target)
        else:
            yield from self._first_mentions(matches)

    def _refers(self, view: TextView, start: int, end: int, name: Name) -> bool:
        """Whether the name at [start, end) means the customer: not inside one of its exclusion phrases or a
        vendor name; a one- or two-character name only as a word of prose, not "3 X" or "X times"."""
        found = view.segment_at(start, end)
        if found is None:
            return False
        segment, base = found
        text, local = segment.text, start - base
        lowered = normalise(text)
        for phrase in (*name.owner.exclusions, *self.vendor_names):
            phrase = normalise(phrase)
            at = lowered.find(phrase, max(0, local - len(phrase)))
            while 0 <= at <= local:
                if at + len(phrase) >= local + (end - start):
                    return False
                at = lowered.find(phrase, at + 1)
        if len(name.written) <= 2 and not name.is_domain:
            if segment.scope in (CODE_BLOCK, INLINE_CODE, LINK_URL) or any(
                    s <= local < e for s, e in segment.code_spans):
                return False
            around = text[max(0, local - 12):local + len(name.written) + 12]
            if re.search(rf"\d\s*{re.escape(name.written)}\b|\b{re.escape(name.written)}\s+times\b", around):
                return False
        return True

    def _per_unit(self, view: TextView, matches, target: str) -> Iterator[Hit]:
        reported: set[tuple[str, object]] = set()
        for start, end, name in matches:
            customer = name.owner
            if customer.id == target or customer.public_reference:
                continue
            unit = _unit(view, start)
            if (customer.id, unit) in reported:
                continue  # once per paragraph, list item, table row or card
            reported.add((customer.id, unit))
            what = "domain" if name.is_domain else "name"
            yield Hit(start, end, f"Names customer '{customer.id}' ({what} '{name.written}') in a document "
                                  f"for '{target}': {customer.id} is not a public reference; remove it.")

    def _first_mentions(self, matches) -> Iterator[Hit]:
        """No target customer: the question is whether the customer may be named at all, so once per document."""
        mentions: dict[str, list] = {}
        for start, end, name in matches:
            if not name.owner.public_reference:
                mentions.setdefault(name.owner.id, []).append((start, end, name))
        for customer_id, found in mentions.items():
            start, end, name = found[0]
            what = "domain" if name.is_domain else "name"
            times = f"; named {len(found)} times in this document" if len(found) > 1 else ""
            yield Hit(start, end, f"Names customer '{customer_id}' ({what} '{name.written}'), who is not a public "
                                  f"reference{times}: mark it `public-reference = true` if it may be named, "
                                  "remove it, or set the document's customer.", severity="warning")


def _unit(view: TextView, start: int) -> object:
    """The paragraph, list item or card (a segment) holding ``start``; for a table cell, its row."""
    found = view.segment_at(start, start)
    if found is None:
        return None
    segment, base = found
    if segment.scope == TABLE_CELL:
        return ("row", segment.part, segment.location.rsplit(",", 1)[0] if segment.location else segment.position(0)[0])
    return base
