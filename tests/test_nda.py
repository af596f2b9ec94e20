"""The target customer: where it comes from, and unknown ids as errors that name their source."""

from __future__ import annotations

import json
import subprocess
import sys

CONFIG = """
[customers.fabrikam]
names = ["Fabrikam"]
[customers.contoso]
names = ["Contoso"]
[customers.litware]
names = ["Litware"]
public-reference = true
"""
CASE_STUDY = """---
title: Case study
collateral-guard:
  customer: contoso
---

# How Contoso cut reporting time

Contoso moved 40 TB in six weeks. Litware, a public reference, did the same. Fabrikam is evaluating it.
"""


def run(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "collateral_guard", "check", *args, "--format", "json",
                           "--select", "nda"], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_front_matter_declares_the_target(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "case-study.md").write_text(CASE_STUDY)
    report = json.loads(run(tmp_path, "case-study.md").stdout)
    assert [(f["line"], f["column"], f["severity"], f["match"]) for f in report["findings"]] == [
        (9, 78, "error", "Fabrikam")]
    assert report["findings"][0]["message"] == (
        "Names customer 'fabrikam' (name 'Fabrikam') in a document for 'contoso': "
        "fabrikam is not a public reference; remove it.")


def test_command_line_customer_wins(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "case-study.md").write_text(CASE_STUDY)
    report = json.loads(run(tmp_path, "case-study.md", "--customer", "fabrikam").stdout)
    assert [(f["line"], f["column"], f["match"]) for f in report["findings"]] == [
        (7, 7, "Contoso"), (9, 1, "Contoso")]


def test_executive_summary_without_target_warns(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "summary.md").write_text("Customers such as Litware and Contoso rely on us.\n")
    result = run(tmp_path, "summary.md")
    assert result.returncode == 0  # a warning does not fail the default gate
    report = json.loads(result.stdout)
    assert [(f["severity"], f["match"]) for f in report["findings"]] == [("warning", "Contoso")]


def test_unknown_customer_ids_are_errors_naming_their_source(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "doc.md").write_text("---\ncollateral-guard:\n  customer: tailspin\n---\n\nHello Contoso.\n")
    (tmp_path / "other.md").write_text("Hello Fabrikam.\n")
    result = run(tmp_path, ".")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["files"][0] == {"path": "doc.md", "status": "ok", "error": None}
    assert result.stderr.splitlines()[0] == (
        "doc.md: configuration error: unknown customer id 'tailspin' in front matter 'collateral-guard: customer' "
        "(line 3) (known: contoso, fabrikam, litware); scanned without a target customer")
    # Both files are scanned; doc.md as a document without a target customer (a warning).
    assert [(f["path"], f["line"], f["column"], f["severity"]) for f in report["findings"]] == [
        ("doc.md", 6, 7, "warning"), ("other.md", 1, 7, "warning")]

    cli = run(tmp_path, "other.md", "--customer", "tailspin")
    assert cli.returncode == 2
    assert cli.stderr.strip() == ("collateral-guard: error: unknown customer id 'tailspin' in --customer "
                                  "(known: contoso, fabrikam, litware)")


def test_unknown_customer_in_text_report_says_the_file_was_scanned(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "doc.md").write_text("+++\ntitle = \"Brief\"\n[collateral-guard]\ncustomer = \"tailspin\"\n+++\n\n"
                                     "Hello Contoso.\n")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "doc.md", "--select", "nda"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        "doc.md: error configuration: unknown customer id 'tailspin' in front matter [collateral-guard] customer "
        "(line 3) (known: contoso, fabrikam, litware); scanned without a target customer")
    assert "doc.md:7:7: warning other-customer" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("in 1 file; 1 with a configuration error")


def test_a_cms_customer_key_is_only_a_field(tmp_path):
    """A case-study template's `customer:` names the featured company; it is not the target customer."""
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "story.md").write_text("---\ntitle: How a retailer scaled\ncustomer: tailspin\n"
                                       "featured: Contoso\n---\n\nFabrikam and Contoso both use it.\n")
    result = run(tmp_path, "story.md")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == [{"path": "story.md", "status": "ok", "error": None}]
    # No target customer: each customer who is not a public reference is a warning once, at its first
    # mention (the front-matter field included), with the number of mentions.
    assert [(f["line"], f["column"], f["match"], f["severity"]) for f in report["findings"]] == [
        (4, 11, "Contoso", "warning"), (7, 1, "Fabrikam", "warning")]
    assert "named 2 times" in report["findings"][0]["message"]
    assert "times" not in report["findings"][1]["message"]


def test_a_cached_rerun_still_reports_the_unknown_customer(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "doc.md").write_text("---\ncollateral-guard:\n  customer: tailspin\n---\n\nHello Contoso.\n")
    for _ in range(2):
        result = run(tmp_path, "doc.md", "--cache")
        assert result.returncode == 2
        assert "unknown customer id 'tailspin'" in result.stderr
