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
        (8, 78, "error", "Fabrikam")]
    assert report["findings"][0]["message"] == (
        "Names customer 'fabrikam' (name 'Fabrikam') in a document for 'contoso': "
        "fabrikam is not a public reference; remove it.")


def test_command_line_customer_wins(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "case-study.md").write_text(CASE_STUDY)
    report = json.loads(run(tmp_path, "case-study.md", "--customer", "fabrikam").stdout)
    assert [(f["line"], f["column"], f["match"]) for f in report["findings"]] == [
        (6, 7, "Contoso"), (8, 1, "Contoso")]


def test_executive_summary_without_target_warns(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "summary.md").write_text("Customers such as Litware and Contoso rely on us.\n")
    result = run(tmp_path, "summary.md")
    assert result.returncode == 0  # a warning does not fail the default gate
    report = json.loads(result.stdout)
    assert [(f["severity"], f["match"]) for f in report["findings"]] == [("warning", "Contoso")]


def test_unknown_customer_ids_are_errors_naming_their_source(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG)
    (tmp_path / "doc.md").write_text("---\ncustomer: tailspin\n---\n\nHello Contoso.\n")
    (tmp_path / "other.md").write_text("Hello Fabrikam.\n")
    result = run(tmp_path, ".")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["files"][0] == {
        "path": "doc.md", "status": "error",
        "error": "unknown customer id 'tailspin' in front matter (line 2) (known: contoso, fabrikam, litware)"}
    assert [f["path"] for f in report["findings"]] == ["other.md"]  # the other file is still scanned

    cli = run(tmp_path, "other.md", "--customer", "tailspin")
    assert cli.returncode == 2
    assert cli.stderr.strip() == ("collateral-guard: error: unknown customer id 'tailspin' in --customer "
                                  "(known: contoso, fabrikam, litware)")
