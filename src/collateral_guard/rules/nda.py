"""Cross-customer references: a document for one customer that names another.

Names and domains of every registered customer are found with the shared name
matcher (rules/names.py), so a document is scanned once however large the
registry is.
"""

from __future__ import annotations

from typing import Iterator

from collateral_guard.config import Config, Customer
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.names import Name, NameMatcher, is_common_phrase
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


def _case_sensitive(customer: Customer, name: str) -> bool:
    if customer.case_sensitive is not None:
        return customer.case_sensitive
    return is_common_phrase(name)


class CustomerReferenceRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        self.customers = config.customers
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
        target = facts.target_customer
        for start, end, name in self._matcher.find(view.text):
            customer = name.owner
            if customer.id == target or customer.public_reference:
                continue
            what = "domain" if name.is_domain else "name"
            if target:
                yield Hit(start, end, f"Names customer '{customer.id}' ({what} '{name.written}') in a document "
                                      f"for '{target}': {customer.id} is not a public reference; remove it.")
            else:
                yield Hit(start, end, f"Names customer '{customer.id}' ({what} '{name.written}'), who is not "
                                      "a public reference: remove it, or set the document's customer.",
                          severity="warning")
