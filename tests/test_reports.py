"""Every report format, byte for byte, in a stable order; SARIF against the official schema."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED

DOCUMENTS = {
    "a/brief.md": "# Brief\n\nOur market-leading platform, per PLAT-125.\n",
    "b/answers.md": "Pricing: TBD, see 10.1.2.3\n",
    "clean.md": "The agent forwards 20,000 events per second.\n",
}


@pytest.fixture
def collateral(tmp_path):
    for name, text in DOCUMENTS.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def report(folder, output_format: str, *extra: str) -> str:
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", output_format,
                             "--select", "superlative,jargon,placeholder,internal-url", *extra],
                            cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_github_annotations_exact(collateral):
    assert report(collateral, "github") == (
        "::warning file=a/brief.md,line=3,col=5,endLine=3,endColumn=19,title=unsourced-superlative (superlative)"
        "::Unverifiable superlative 'market-leading': cite a source in the same sentence or state the fact behind it.\n"
        "::warning file=a/brief.md,line=3,col=34,endLine=3,endColumn=42,title=ticket-reference (jargon)"
        "::Internal ticket reference 'PLAT-125': describe the change instead of the tracker id.\n"
        "::error file=b/answers.md,line=1,col=10,endLine=1,endColumn=13,title=draft-marker (placeholder)"
        "::Draft note 'TBD' left in the text: finish the section or remove the note.\n"
        "::error file=b/answers.md,line=1,col=19,endLine=1,endColumn=27,title=internal-address (internal-url)"
        "::Private IP address 10.1.2.3: it reveals internal network layout; use a documentation address "
        "(192.0.2.0/24) instead.\n")


def test_github_escaping_follows_the_actions_toolkit():
    from collateral_guard.reporters.github import escape_data, escape_property

    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b/c%.md") == "dir%3Aa%2Cb/c%25.md"


def test_junit_exact(collateral):
    assert report(collateral, "junit") == """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="collateral-guard" tests="5" failures="4" errors="0">
  <testsuite name="a/brief.md" tests="2" failures="2" errors="0">
    <testcase classname="a/brief.md" name="unsourced-superlative at 3:5">
      <failure message="Unverifiable superlative 'market-leading': cite a source in the same sentence or state the fact behind it." type="warning">a/brief.md:3:5: warning unsourced-superlative Unverifiable superlative 'market-leading': cite a source in the same sentence or state the fact behind it.
Our market-leading platform, per PLAT-125.</failure>
    </testcase>
    <testcase classname="a/brief.md" name="ticket-reference at 3:34">
      <failure message="Internal ticket reference 'PLAT-125': describe the change instead of the tracker id." type="warning">a/brief.md:3:34: warning ticket-reference Internal ticket reference 'PLAT-125': describe the change instead of the tracker id.
Our market-leading platform, per PLAT-125.</failure>
    </testcase>
  </testsuite>
  <testsuite name="b/answers.md" tests="2" failures="2" errors="0">
    <testcase classname="b/answers.md" name="draft-marker at 1:10">
      <failure message="Draft note 'TBD' left in the text: finish the section or remove the note." type="error">b/answers.md:1:10: error draft-marker Draft note 'TBD' left in the text: finish the section or remove the note.
Pricing: TBD, see 10.1.2.3</failure>
    </testcase>
    <testcase classname="b/answers.md" name="internal-address at 1:19">
      <failure message="Private IP address 10.1.2.3: it reveals internal network layout; use a documentation address (192.0.2.0/24) instead." type="error">b/answers.md:1:19: error internal-address Private IP address 10.1.2.3: it reveals internal network layout; use a documentation address (192.0.2.0/24) instead.
Pricing: TBD, see 10.1.2.3</failure>
    </testcase>
  </testsuite>
  <testsuite name="clean.md" tests="1" failures="0" errors="0">
    <testcase classname="clean.md" name="no findings" />
  </testsuite>
</testsuites>
"""


def test_gitlab_code_quality_exact(collateral):
    issues = json.loads(report(collateral, "gitlab"))
    assert [(i["check_name"], i["severity"], i["location"], i["categories"]) for i in issues] == [
        ("unsourced-superlative", "minor", {"path": "a/brief.md", "lines": {"begin": 3, "end": 3}}, ["Style"]),
        ("ticket-reference", "minor", {"path": "a/brief.md", "lines": {"begin": 3, "end": 3}}, ["Style"]),
        ("draft-marker", "major", {"path": "b/answers.md", "lines": {"begin": 1, "end": 1}}, ["Style"]),
        ("internal-address", "critical", {"path": "b/answers.md", "lines": {"begin": 1, "end": 1}}, ["Security"]),
    ]
    assert all(i["type"] == "issue" and i["description"] for i in issues)
    assert len({i["fingerprint"] for i in issues}) == 4


def sarif(folder) -> dict:
    return json.loads(report(folder, "sarif"))


def test_sarif_meets_github_code_scanning(collateral):
    document = sarif(collateral)
    run = document["runs"][0]
    assert document["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert rules["internal-address"]["properties"]["security-severity"] == "7.0"
    assert "security" in rules["internal-address"]["properties"]["tags"]
    assert "security" not in rules["draft-marker"]["properties"]["tags"]
    results = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]]
    assert results == [
        ("unsourced-superlative", "warning", "a/brief.md", {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 19}),
        ("ticket-reference", "warning", "a/brief.md", {"startLine": 3, "startColumn": 34, "endLine": 3, "endColumn": 42}),
        ("draft-marker", "error", "b/answers.md", {"startLine": 1, "startColumn": 10, "endLine": 1, "endColumn": 13}),
        ("internal-address", "error", "b/answers.md", {"startLine": 1, "startColumn": 19, "endLine": 1, "endColumn": 27}),
    ]
    for result in run["results"]:
        assert rules[result["ruleId"]] == run["tool"]["driver"]["rules"][result["ruleIndex"]]


def test_sarif_fingerprints_survive_inserted_lines(collateral):
    before = [r["partialFingerprints"] for r in sarif(collateral)["runs"][0]["results"]]
    brief = collateral / "a" / "brief.md"
    brief.write_text("# Intro\n\nA new paragraph.\n\nAnother one.\n\n" + brief.read_text())
    after = sarif(collateral)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in after] == before
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9


def test_sarif_structure_always(collateral):
    """A minimal structural check that runs without the official schema."""
    document = sarif(collateral)
    assert set(document) == {"$schema", "version", "runs"}
    run = document["runs"][0]
    assert set(run) >= {"tool", "results", "columnKind", "invocations"}
    for result in run["results"]:
        assert set(result) >= {"ruleId", "level", "message", "locations", "partialFingerprints"}


def test_sarif_validates_against_the_official_schema(collateral):
    import jsonschema

    schema_path = SHARED / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("../shared/sarif-schema-2.1.0.json is not present")
    schema = json.loads(schema_path.read_text())
    jsonschema.Draft4Validator(schema).validate(sarif(collateral))
    (collateral / "broken.docx").write_bytes(b"not a zip")  # a tool notification for an unreadable file
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", "sarif"],
                            cwd=collateral, capture_output=True, text=True, timeout=120)
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(document)
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is False
