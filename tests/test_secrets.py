"""Secrets are never shown in full: not in any report format, log line, or error message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from collateral_guard.reporters import FORMATS
from conftest import scan_text

# Values that appear nowhere else (not in any rule's documentation), so any occurrence is a leak.
PLANTED = [
    "ak_live_9Qw2vTn4Hf8kLpR7mZx3",
    "Zq81!vbNm3Tp",
    "Winter-Cutover#42",
    "AKIAR7PLKQ2MX9TNWV4C",
    "m3Vx8Rk2qL7pTn9Wc4YhB6dZf1Gs5Jx0Ka2Ne7Uj",
    "ghp_7hJ2xQ9mLp4RvT3nWc8YhB6dZs1Gj5Xk0Eb3",
    "MIIEpAIBAAKCAQEAx9Lm3Qv7TnR2wPk8YhB6dZf1Gs5Jx0Ka",
]
DOCUMENT = f"""---
title: POC runbook
token: {PLANTED[5]}
---

# Access

The password for the demo tenant is {PLANTED[2]}. Our market-leading platform is ready.

```bash
export ACME_API_KEY={PLANTED[0]}
psql "postgres://poc:{PLANTED[1]}@db.poc.acme-cloud.net/poc"
aws_access_key_id = {PLANTED[3]}
aws_secret_access_key = {PLANTED[4]}
```

-----BEGIN RSA PRIVATE KEY-----
{PLANTED[6]}
-----END RSA PRIVATE KEY-----
"""


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_planted_secret_appears_in_any_output(output_format, tmp_path):
    (tmp_path / "runbook.md").write_text(DOCUMENT)
    report = tmp_path / "report.out"
    to_file = subprocess.run(
        [sys.executable, "-m", "collateral_guard", "check", "runbook.md", "--format", output_format,
         "--output", str(report)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    to_stdout = subprocess.run(
        [sys.executable, "-m", "collateral_guard", "check", "runbook.md", "--format", output_format],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert to_file.returncode == to_stdout.returncode == 1
    outputs = [to_file.stdout, to_file.stderr, report.read_text(), to_stdout.stdout, to_stdout.stderr]
    assert "leaked-credential" in report.read_text()  # the report is not empty: secrets were found
    for secret in PLANTED:
        for output in outputs:
            assert secret not in output
            assert secret[4:] not in output  # nothing past the first four characters either


def test_findings_are_masked_to_four_characters():
    from conftest import scan_text

    result = scan_text(DOCUMENT, select=("secret",))
    masked = sorted(f.match for f in result.findings)
    assert masked == sorted(["Wint****", "ak_l****", "Zq81****", "AKIA****", "m3Vx****", "ghp_****", "BEGI****"])
    assert [(f.line, f.column) for f in result.findings] == [
        (3, 8), (8, 37), (11, 21), (12, 22), (13, 21), (14, 25), (17, 6)]


def test_a_key_block_opening_the_file_is_not_taken_for_front_matter():
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n" \
          "-----END OPENSSH PRIVATE KEY-----\n"
    text = key + "\nSee the notes below.\n\n...\n\nThe password is Wint3r-Harb0r!2026x for login.\n"
    found = [(f.rule, f.line) for f in scan_text(text, select=("secret",)).findings]
    assert ("leaked-credential", 1) in found and ("leaked-credential", 9) in found
    # A real front matter block still is one: its keys are not read as prose.
    assert scan_text("---\ntitle: Brief\n---\n\nText.\n", select=("secret",)).findings == []


def test_a_keyword_and_a_key_with_only_a_space_between_in_a_workbook_cell():
    from office_builder import workbook

    secret = "7c1e9a44f0b2d8e6a3c5b7f9d1e2a4c6"
    data = workbook({"Integration": {"A1": "Setting", "B1": "Value", "A2": "OAuth app",
                                     "B2": f"client_secret {secret}", "A3": "Token", "B3": "read from env: ACME_TOKEN"}})
    result = scan_text(data, name="answers.xlsx", select=("secret",))
    assert result.error is None
    assert [(f.rule, f.match, f.location.get("cell")) for f in result.findings] == [
        ("leaked-credential", "7c1e****", "B2")]
    assert all(secret[4:] not in f.context and secret[4:] not in f.message for f in result.findings)


def test_secrets_are_found_without_loading_requests():
    """detect-secrets imports requests to check secrets online, which never happens here: it is not loaded."""
    code = ("import sys\n"
            "from collateral_guard.rules.secrets import find_secrets\n"
            "found = [s.kind for s in find_secrets('password: Hx7qLm2!zz')]\n"
            "print(found, 'requests' in sys.modules, 'urllib3' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "['password'] False False"
