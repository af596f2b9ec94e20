"""Claims about competitors: factual, sourced and current, or flagged.

Four rules read one shared analysis (rules/competitor_claims.py) of the
sentences and table rows that name a competitor from the registry
(``[competitors.<id>]`` or ``competitors-file``).
"""

from __future__ import annotations

import datetime
import functools
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.errors import FatalError
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.competitor_claims import COMPARISON, DISPARAGEMENT, NEGATIVE, Analyser
from collateral_guard.rules.dates import verification_dates
from collateral_guard.segments import FRONT_MATTER, HEADING, PROSE, TITLE, TextView

SCOPES = PROSE | {FRONT_MATTER}
# A claim about a competitor is one problem: not also a superlative or a vague claim on the same words.
SUPERSEDES = frozenset({"superlative", "vague-claim"})
SOURCES = (
    "A source is in the same sentence (or a \"See ...\" sentence right after it), or for a table in the "
    "same row: a link that leaves your own site (a relative link, an anchor, or a link to a `[vendor]` "
    "`domains` entry is not a source), a footnote, \"according to ...\", a named third-party test or report (\"in the 2025 "
    "Northwind Labs benchmark\"), or a public document or version number together with a date "
    "(\"Acme's public price list, retrieved 1 October 2026\", \"Acme Stream 3.2, released in 2025\")."
)
REGISTRY = (
    "Competitors are registered in the configuration: `[competitors.acme]` with `names` (how documents "
    "name it; same matching rules as customers: whole words, possessives, common-word names only with "
    "their capitals) and `products` (its products count as naming it), `competitors = [\"Acme\", "
    "\"Globex\"]` (names only), or a `competitors-file` (CSV `id,names,products` with lists split on "
    "';', or YAML). The word lists are in "
    "rules/lists/competitor.yml."
)

NEGATIVE_INFO = RuleInfo(
    id="competitor-negative-claim",
    category="competitor",
    severity="error",
    summary="Negative claim about a named competitor with no source in the sentence or table row.",
    description=(
        "Says a registered competitor is slow, insecure, unreliable, outdated, legacy, expensive, buggy, "
        "hard to use, lacks a feature (\"doesn't support\", \"can't\", \"has no\"), forces you to do "
        "something, is losing customers, hides fees or traps buyers, is a security liability, times out or "
        "goes down, needs a PhD to run, never answers support, or will not be around (\"its record speaks for "
        "itself\" insinuates as much), without evidence: in prose, and in the text of a comparison "
        "table's competitor row or column. A plainly worded statement of fact counts too (\"BigCo doesn't "
        "support SSO\"): with no source or date it is exactly what legal asks to have sourced. So does a claim "
        "later in the sentence (\"BigCo offers replication, but does not support sharding\", \"BigCo relies "
        "on X, which struggles with Y\", \"unlike BigCo, which still runs a 2015-era engine, ...\"), in the "
        "next sentence when it opens with \"It\" or \"They\" (\"They\" or \"Their\" also when the sentence "
        "before names only that competitor), in a slide's speaker notes that open with \"they\" when the "
        "slide names one competitor, and in "
        "a list item labelled with its name (\"BigCo: lacks an audit log\"). A "
        "feature matrix's values (\"No\", ✗, \"Partial\") are not flagged cell by cell: the table as a whole "
        "needs a verification date (competitor-stale-comparison). Legal and the customer's evaluators check "
        "these first, and an unsupported one costs "
        "credibility. " + SOURCES + " To fix: cite the source, or replace the judgement with the "
        "specific, checkable fact (\"Acme Stream 3.2 has no exactly-once delivery (release notes, "
        "March 2025)\"). " + REGISTRY
    ),
    bad=(
        "BigCo's engine is slow and its console is outdated.",
        "BigCo Stream doesn't support single sign-on.",
        "| Feature | Us | BigCo |\n|---|---|---|\n| Setup | Minutes | Slow and manual |",
    ),
    good=(
        "BigCo Stream 3.2 has no single sign-on, according to its release notes (March 2025).",
        "| Feature | Us | BigCo |\n|---|---|---|\n| Single sign-on | Yes | No |",
        "BigCo is not slow; it is built for a different workload.",
        "Teams moving from BigCo keep their existing dashboards.",
    ),
    scopes=SCOPES,
    supersedes=SUPERSEDES,
)
COMPARISON_INFO = RuleInfo(
    id="competitor-comparison",
    category="competitor",
    severity="warning",
    summary="Comparison with a competitor (\"faster than\", \"unlike\", \"the only one that\") with no basis given.",
    description=(
        "\"3x faster than BigCo\", \"twice as fast as BigCo\", \"cheaper than the competition\", \"unlike BigCo, "
        "we ...\", \"3x faster compared to BigCo\", \"outperforms BigCo\", \"the only platform that ...\" in a "
        "sentence that names a competitor (\"unlike\" and \"compared to\" only when the sentence judges or is about "
        "us: a neutral contrast passes), or a comparative "
        "(\"faster\", \"2x cheaper\") in a comparison table's competitor row or column, or a superlative "
        "(\"Best\", \"Fastest in the market\") in your own column beside a competitor's. Comparisons with "
        "competitors in general (\"the competition\", \"competing products\", \"legacy vendors\") count "
        "even without a registry. " + SOURCES + " To fix: give the basis (the test, its date and set-up), "
        "or state both facts side by side. " + REGISTRY
    ),
    bad=(
        "Our pipelines run 3x faster than BigCo.",
        "Unlike BigCo, we encrypt every backup.",
        "Ingestion is cheaper than the competition.",
    ),
    good=(
        "In the 2026 Northwind Labs ingestion benchmark, our pipelines ran 3x faster than BigCo.",
        "BigCo and our platform both encrypt backups at rest.",
        "Unlike BigCo Stream, where you run the brokers yourself, Globex Queue is a managed service.",
    ),
    scopes=SCOPES,
    supersedes=SUPERSEDES,
)
DISPARAGEMENT_INFO = RuleInfo(
    id="competitor-disparagement",
    category="competitor",
    severity="error",
    summary="Mockery or insult of a named competitor: an error even with a source.",
    description=(
        "Words such as \"a joke\", \"garbage\", \"clueless\", \"dinosaur\", \"a dead end\" or \"useless\" "
        "said of a registered competitor, in prose or in its row or column of a comparison table. A "
        "reviewer removes these whatever the source: they read as unprofessional, invite a legal "
        "complaint, and make every other claim in the document look less trustworthy. To fix: delete "
        "the insult and, if there is a real difference, state it as a sourced fact. " + REGISTRY
    ),
    bad=(
        "BigCo's failover is a joke.",
        "Honestly, BigCo Stream is garbage for streaming analytics, as the 2025 Northwind report shows.",
    ),
    good=(
        "BigCo's failover took 12 minutes in the 2025 Northwind Labs resilience test.",
        "Our holiday party had a joke contest.",
    ),
    scopes=SCOPES,
    supersedes=SUPERSEDES,
)
STALE_INFO = RuleInfo(
    id="competitor-stale-comparison",
    category="competitor",
    severity="warning",
    summary="Comparison with a competitor that has no verification date, or one older than max-age-days.",
    description=(
        "A document that compares itself with a registered competitor (the competitor heads a row or "
        "column of a table, a title or heading sets it against you (\"Us vs BigCo\", \"BigCo "
        "alternatives\"), or the document makes two or more claims about it) must say when the "
        "comparison was last checked: front matter `last-verified: 2026-10-01`, or a line such as "
        "\"Last verified: 1 October 2026\" or \"As of October 2026\" (also 2026-10-01, October 1, 2026, "
        "01/10/2026, read as the later day it may mean, or Q4 2026). A \"last verified\" or \"last checked\" "
        "line makes any document that names a competitor such a comparison. Competitors ship every month, and "
        "a battlecard nobody has checked for half a year loses deals. Without a verification date, the "
        "page's own date in the front matter (`date`, `updated`, `lastUpdated`) stands in for it. Flagged "
        "once per document: on the newest date when it is older than `max-age-days` (default 180; set "
        "it in `[rules.competitor]`), or on the title when there is no date. To fix: check every claim against the competitor's "
        "current public material, then update the date. `today` (YYYY-MM-DD) fixes the date ages are "
        "measured from, for reproducible runs; empty means the current date."
    ),
    bad=(
        "---\ntitle: Us vs BigCo\nlast-verified: 2024-01-15\n---\n\n| Feature | Us | BigCo |\n|---|---|---|\n"
        "| Backups | Hourly | Daily |",
        "# Us vs BigCo\n\n| Feature | Us | BigCo |\n|---|---|---|\n| Backups | Hourly | Daily |",
    ),
    good=(
        "# Migration guide\n\nTeams moving from BigCo keep their existing dashboards.",
    ),
    scopes=SCOPES,
    options={"max-age-days": 180, "today": ""},
)


@functools.cache
def _analyser(competitors: tuple) -> Analyser:
    return Analyser(competitors)


class _ClaimRule:
    """Reports the claims of one kind; sourced ones pass unless the kind ignores sources."""

    kind = ""
    needs_source = True

    def __init__(self, config: Config, options: dict):
        self.competitors = tuple(config.competitors.values())

    def warm_up(self) -> None:
        _analyser(self.competitors)

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        for claim in _analyser(self.competitors).analyse(view, facts).claims:
            if claim.kind == self.kind and not (self.needs_source and claim.sourced):
                yield Hit(claim.start, claim.end, self.message(claim))


class NegativeClaimRule(_ClaimRule):
    info = NEGATIVE_INFO
    kind = NEGATIVE

    @staticmethod
    def message(claim) -> str:
        return (f"Negative claim about competitor {claim.named} ('{claim.words}') with no source: cite a "
                "dated public source, a named test, a link or a footnote, or state the specific fact.")


class ComparisonRule(_ClaimRule):
    info = COMPARISON_INFO
    kind = COMPARISON

    @staticmethod
    def message(claim) -> str:
        return (f"Comparison with {claim.named} ('{claim.words}') with no basis: cite the test or dated "
                "public source in the sentence, or state both facts side by side.")


class DisparagementRule(_ClaimRule):
    info = DISPARAGEMENT_INFO
    kind = DISPARAGEMENT
    needs_source = False

    @staticmethod
    def message(claim) -> str:
        return (f"Disparaging '{claim.words}' about competitor {claim.named}: remove it (a source does not "
                "make it acceptable) and state any real difference as a sourced fact.")


class StaleComparisonRule:
    info = STALE_INFO

    def __init__(self, config: Config, options: dict):
        self.competitors = tuple(config.competitors.values())
        self.max_age = options["max-age-days"]
        if self.max_age < 1:
            raise FatalError(f"{config.path or 'config'}: 'max-age-days' must be a positive number of days")
        self.today = _today(options["today"], config)

    def warm_up(self) -> None:
        _analyser(self.competitors)

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        if not self.competitors:
            return
        analysis = _analyser(self.competitors).analyse(view, facts)
        compared = dict(analysis.compared)
        counts: dict[str, int] = {}
        for claim in analysis.claims:
            if claim.competitor is not None:
                counts[claim.competitor.id] = counts.get(claim.competitor.id, 0) + 1
                if counts[claim.competitor.id] >= 2:
                    compared[claim.competitor.id] = claim.competitor
        dates = list(verification_dates(view))
        if not compared and any(verified and not view.text[start:end].lower().startswith("as of")
                                for _, start, end, verified in dates):
            compared = analysis.named  # "Comparison last verified: March 2024" dates what it says of them
        if not compared:
            return
        names = ", ".join(c.names[0] for c in compared.values())
        # A verification date wins over the page's own date; the newest of either kind counts.
        dates = sorted([d for d in dates if d[3]] or dates, key=lambda d: d[0])
        if not dates:
            start, end = _title(view)
            yield Hit(start, end, f"Comparison with {names} has no verification date: check the claims, then add "
                                  "'last-verified: YYYY-MM-DD' to the front matter or a 'Last verified: <date>' line.")
            return
        date, start, end, verified = dates[-1]
        age = (self.today - date).days
        if age > self.max_age:
            what = "last verified" if verified else "dated (its page date; it gives no verification date)"
            yield Hit(start, end, f"Comparison with {names} {what} {date.isoformat()}, {age} days ago "
                                  f"(more than max-age-days {self.max_age}): check the claims again and update "
                                  "the date.")


def _today(value: str, config: Config) -> datetime.date:
    if not value:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise FatalError(f"{config.path or 'config'}: 'today' must be a date written YYYY-MM-DD") from None


def _title(view: TextView) -> tuple[int, int]:
    """The document's title (front matter title, else its first heading, else its first text)."""
    for scopes in ((TITLE,), (HEADING,), None):
        for segment, base in zip(view.segments, view.starts):
            if scopes is None or segment.scope in scopes:
                text = segment.text
                start = len(text) - len(text.lstrip())
                line_end = text.find("\n", start)
                return base + start, base + (len(text.rstrip()) if line_end < 0 else line_end)
    return 0, 0
