"""The claim-context API (rules/claims.py) and the distinctions that cases/*.yml cannot show: severities,
sources that are the vendor's own links, document properties, configuration warnings and `explain`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from collateral_guard.rules.claims import REASONS, claim_context, likely_vendor_names
from collateral_guard.rules.evidence import sentence_bounds
from conftest import make_config, scan_text, where
from docx_builder import build_docx


def reason(sentence: str, claim: str, vendor_names=()) -> str | None:
    start = sentence.index(claim)
    left, right = sentence_bounds(sentence, start, start + len(claim))
    return claim_context(sentence, left, right, start, start + len(claim), REASONS, vendor_names)


@pytest.mark.parametrize("sentence, claim, expected", [
    ("Route B is hardly the simplest route.", "the simplest", "negated"),
    ("This plan might suit the most advanced teams.", "the most advanced", "hedged"),
    ("If you need the fastest pipeline, pick the dedicated tier.", "the fastest", "conditional"),
    ("The team had intended to ship it in Q3 2024.", "ship it in Q3", "reported"),
    ('Avoid vendors who promise "zero downtime" in writing.', "zero downtime", "quoted"),
    ("Is offline mode on the roadmap?", "on the roadmap", "question"),
    ("The partner's replication add-on promises no data loss.", "no data loss", "other-subject"),
    ("Choose whichever plan suits you best.", "best", "instruction"),
    ("Our platform is the most advanced option.", "the most advanced", None),
])
def test_claim_context_names_the_reason(sentence, claim, expected):
    assert reason(sentence, claim) == expected


def test_only_the_reasons_asked_for_are_applied():
    sentence = "Route B is hardly the simplest route."
    start = sentence.index("the simplest")
    assert claim_context(sentence, 0, len(sentence), start, start + 12, ["hedged"]) is None


def test_a_named_subject_is_someone_else_only_when_the_vendor_is_known():
    sentence = "Northwind is the market leader in reporting."
    assert reason(sentence, "market leader") is None
    assert reason(sentence, "market leader", ["Tailwind"]) == "other-subject"
    assert reason(sentence, "market leader", ["Northwind"]) is None


def test_the_most_used_name_in_a_document_stands_in_for_the_vendor():
    text = "We built Zentrix for teams. Teams run Zentrix daily, and Zentrix scales. Ask about Zentrix today."
    assert likely_vendor_names(text) == ("Zentrix",)
    assert likely_vendor_names("A short note.") == ()


@pytest.mark.parametrize("link, flagged", [
    ("https://analyst.example.org/2025-report", False),  # leaves the vendor's site: a source
    ("https://www.tailwind.io/why-us", True),  # the vendor's own page
    ("/why-us", True),  # a relative link is the vendor's own site
])
def test_a_link_is_a_source_only_when_it_leaves_the_vendors_site(link, flagged, tmp_path):
    config = make_config({"vendor": {"names": ["Tailwind"], "domains": ["tailwind.io"]}}, tmp_path)
    result = scan_text(f"Tailwind is the [market leader]({link}) in revenue analytics.\n", config=config,
                       select=("superlative",))
    assert where(result.findings) == ([("unsourced-superlative", 1, 13)] if flagged else [])


def test_workspace_links_are_warnings_and_collaboration_sites_errors():
    result = scan_text("See https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWx/edit and "
                       "https://acme.sharepoint.com/sites/sales/deck.pptx\n", select=("internal-url",))
    assert [(f.column, f.severity) for f in result.findings] == [(13, "warning"), (83, "error")]


def test_the_authors_own_name_is_info_and_the_vendors_company_is_not_reported(tmp_path):
    config = make_config({"vendor": {"names": ["Tailwind"]}}, tmp_path)
    data = build_docx("Solution brief.\n[property Author: Jane Doe]\n[property Company: Tailwind]\n"
                      "[property Manager: Sam Lee]")
    result = scan_text(data, name="brief.docx", config=config, select=("metadata",))
    assert [(f.severity, f.message.split(":")[0]) for f in result.findings] == [
        ("info", "Document property Author names a person ('Jane Doe')"),
        ("warning", "Document property Manager is set ('Sam Lee')"),
    ]


def test_one_or_two_character_customer_names_are_a_configuration_warning(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text('[customers.hq]\nnames = ["HQ"]\n')
    (tmp_path / "doc.md").write_text("HQ signed the renewal.\n")
    run = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "doc.md"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert "warning:" in run.stderr and "customer 'hq' has the 2-character name 'HQ'" in run.stderr


def test_explain_lists_the_exceptions_a_rule_applies():
    run = subprocess.run([sys.executable, "-m", "collateral_guard", "explain", "unmeasured-performance"],
                         capture_output=True, text=True)
    assert run.returncode == 0
    exceptions = run.stdout.split("Exceptions (not flagged when the match is):")[1].split("\n\n")[0]
    for text in ("negated", "hedged", "conditional", "reported", "quoted", "asked", "someone else", "advice, idiom or name",
                 "a plain word or open pattern", "next sentence", "refers back"):
        assert text in exceptions
