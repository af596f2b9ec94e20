"""Every rule's documented examples are tests: each bad one is flagged by that rule, no good one is."""

from __future__ import annotations

import pytest

from collateral_guard.config import Config
from collateral_guard.rules.registry import documented_rules
from conftest import make_config, scan_text
from docx_builder import build_docx
from office_builder import deck_from_notation

# What the examples in the rule documentation assume: a glossary, internal domains,
# a customer registry, product vocabulary.
EXAMPLE_CONFIG = {
    "internal-domains": ["corp.acme.io"],
    "vocabulary": ["Acme", "AcmeCloud"],
    "jargon": {"Project Falcon": "the analytics module"},
    "customers": {
        "contoso": {"names": ["Contoso"], "domains": ["contoso.com"]},
        "fabrikam": {"names": ["Fabrikam"], "domains": ["fabrikam.com"]},
        "wingtip": {"names": ["Wingtip Toys"], "public-reference": True},
    },
    "competitors": {
        "bigco": {"names": ["BigCo"], "products": ["BigCo Stream"]},
        "globex": {"names": ["Globex"]},
    },
}
INFOS = documented_rules(Config())


@pytest.fixture(scope="module", params=["without [vendor]", "with [vendor]"])
def example_config(request):
    """Examples hold whether or not the team names itself: a [vendor] section once hid roadmap promises
    whose sentence opened with a feature's name ("Multi-region replication is on our roadmap")."""
    if request.param == "with [vendor]":
        return make_config({**EXAMPLE_CONFIG, "vendor": {"names": ["Acme", "AcmeCloud"], "domains": ["acme.io"]}})
    return make_config(EXAMPLE_CONFIG)


def scan_example(info, example: str, config):
    if info.example_format == "docx":
        return scan_text(build_docx(example), name="example.docx", config=config, select=(info.id,))
    if info.example_format == "pptx":
        return scan_text(deck_from_notation(example), name="example.pptx", config=config, select=(info.id,))
    return scan_text(example, config=config, select=(info.id,))


@pytest.mark.parametrize("info", INFOS, ids=lambda i: i.id)
def test_bad_examples_are_flagged(info, example_config):
    for example in info.bad:
        result = scan_example(info, example, example_config)
        assert result.error is None
        assert [f.rule for f in result.findings].count(info.id) >= 1, example


@pytest.mark.parametrize("info", INFOS, ids=lambda i: i.id)
def test_good_examples_are_not_flagged(info, example_config):
    for example in info.good:
        result = scan_example(info, example, example_config)
        assert result.error is None
        assert [f.rule for f in result.findings if f.rule == info.id] == [], example


@pytest.mark.parametrize("info", INFOS, ids=lambda i: i.id)
def test_documentation_is_complete(info):
    assert info.summary and info.description and info.bad and info.good
    assert info.severity in ("error", "warning", "info")
