"""What a rule is: its documentation, the scopes it reads, and a check over one text view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol

from collateral_guard.segments import LINK_URL, TextView


@dataclass(frozen=True)
class RuleInfo:
    id: str
    category: str
    severity: str
    summary: str  # one line, for `rules`
    description: str  # for `explain`
    bad: tuple[str, ...]  # examples that must produce a finding of this rule
    good: tuple[str, ...]  # near misses that must not
    scopes: frozenset[str]
    options: dict = field(default_factory=dict)  # option name -> default; config may override
    # "docx": the examples describe Word documents, in the notation [comment by Name: text],
    # [deleted: text], [hidden: text], [property Author: value] around ordinary text.
    example_format: str = "markdown"
    # Categories whose findings on the same words give way to this rule's: one finding per problem
    # (a competitor comparison is not also a vague claim).
    supersedes: frozenset[str] = frozenset()
    skips: tuple[str, ...] = ()  # what the rule does not flag, as `explain` lists it


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offsets in TextView.text
    end: int
    message: str
    suggestion: str | None = None
    severity: str | None = None  # overrides the rule's severity for this hit
    secret: bool = False  # the matched text is a credential: never shown in full


@dataclass(frozen=True)
class DocumentFacts:
    """What a rule may know about the document besides its text."""

    target_customer: str | None = None
    vendor_names: tuple[str, ...] = ()  # [vendor] names: the vendor's own, never a customer or a typo
    vendor_domains: tuple[str, ...] = ()
    links: tuple[tuple[int, int, str], ...] = ()  # (line, column, target) of each link, in source order


def document_links(segments) -> tuple[tuple[int, int, str], ...]:
    """Where each link target of a document is written, for rules that ask where a link leads."""
    return tuple(sorted((*segment.position(0), segment.text) for segment in segments if segment.scope == LINK_URL))


class Rule(Protocol):
    info: RuleInfo

    def check(self, view: TextView, facts: DocumentFacts) -> Iterable[Hit]: ...
