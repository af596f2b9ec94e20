"""Cross-customer references: a document for one customer that names another.

Every name and domain of every registered customer goes into one Aho-Corasick
automaton (two: case-insensitive and case-sensitive names), so a document is
scanned once however large the registry is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator

from collateral_guard.config import Config, Customer
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import EVERYTHING, TextView

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
        "including comments, tracked deletions, hidden text, link targets and code."
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

# Same-length normalisation: every offset in the normalised text is the offset in the original.
SAME_LENGTH = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\u00a0": " ", "’": "'", "‘": "'"})


@dataclass(frozen=True)
class Entry:
    customer: Customer
    written: str  # the name or domain as registered
    is_domain: bool


@functools.cache
def _common_words() -> dict[str, int]:
    from collateral_guard.rules.spelling import english_frequencies

    return english_frequencies()


def _normalise(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ")
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(SAME_LENGTH)


def _key(name: str) -> str:
    return " ".join(name.split()).translate(SAME_LENGTH)


def _case_sensitive(customer: Customer, name: str) -> bool:
    if customer.case_sensitive is not None:
        return customer.case_sensitive
    words = name.lower().split()
    return all(word.strip("'.,&") in _common_words() for word in words)


class CustomerReferenceRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        self.customers = config.customers
        self._automata = None

    def _build(self):
        import ahocorasick

        folded, exact = ahocorasick.Automaton(), ahocorasick.Automaton()
        for customer in self.customers.values():
            for name in customer.names:
                if _case_sensitive(customer, name):
                    exact.add_word(_key(name), _append(exact, _key(name), Entry(customer, name, False)))
                else:
                    key = _normalise(_key(name))
                    folded.add_word(key, _append(folded, key, Entry(customer, name, False)))
            for domain in customer.domains:
                key = domain.lower()
                folded.add_word(key, _append(folded, key, Entry(customer, domain, True)))
        automata = [a for a in (folded, exact) if len(a)]
        for automaton in automata:
            automaton.make_automaton()
        return [(a, a is folded) for a in automata]

    def warm_up(self) -> None:
        if self.customers and self._automata is None:
            self._automata = self._build()

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        if not self.customers:
            return
        self.warm_up()
        text = view.text
        folded_text = exact_text = None
        matches: list[tuple[int, int, Entry]] = []
        for automaton, folds in self._automata:
            if folds:
                folded_text = folded_text or _normalise(text)
                haystack = folded_text
            else:
                exact_text = exact_text or text.translate(SAME_LENGTH)
                haystack = exact_text
            for end, entries in automaton.iter(haystack):
                for entry in entries:
                    start = end + 1 - len(_key(entry.written))
                    if _bounded(text, start, end + 1, entry.is_domain):
                        matches.append((start, end + 1, entry))
        yield from self._report(matches, facts.target_customer)

    def _report(self, matches, target: str | None) -> Iterator[Hit]:
        last_end = -1
        for start, end, entry in sorted(matches, key=lambda m: (m[0], -(m[1] - m[0]))):
            if start < last_end:
                continue  # the longer name at this place was reported: "Contoso Pharmaceuticals"
            last_end = end
            customer = entry.customer
            if customer.id == target or customer.public_reference:
                continue
            what = "domain" if entry.is_domain else "name"
            if target:
                yield Hit(start, end, f"Names customer '{customer.id}' ({what} '{entry.written}') in a document "
                                      f"for '{target}': {customer.id} is not a public reference; remove it.")
            else:
                yield Hit(start, end, f"Names customer '{customer.id}' ({what} '{entry.written}'), who is not "
                                      "a public reference: remove it, or set the document's customer.",
                          severity="warning")


def _append(automaton, key: str, entry: Entry) -> tuple[Entry, ...]:
    """Several customers may share a name: each key holds every entry registered under it."""
    return (*automaton.get(key, ()), entry)


def _bounded(text: str, start: int, end: int, is_domain: bool) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after == "_":
        return False
    continues_host = after in ".-" and end + 1 < len(text) and text[end + 1].isalnum()
    if is_domain:
        # contoso.com in mail.contoso.com, jane@contoso.com, https://contoso.com/x; not in my-contoso.com
        # or contoso.com.evil.net
        return before != "-" and not continues_host
    # A name inside a hyphenated host name (my-contoso.com) is another name.
    return not (before == "-" and continues_host)
