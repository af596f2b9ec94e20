"""The real pre-commit, in a temporary git repository whose config points at this project."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from docx_builder import build_docx

CONFIG = """\
[customers.fabrikam]
names = ["Fabrikam"]
[customers.contoso]
names = ["Contoso"]
"""


def project_revision() -> str | None:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    revision = project_revision()
    if revision is None:
        pytest.skip("the project is not a git checkout")
    folder = tmp_path_factory.mktemp("collateral")
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "PRE_COMMIT_HOME": str(home / "pre-commit"),
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com", "NO_COLOR": "1"}

    def run(*args, check=True):
        done = subprocess.run(list(args), cwd=folder, env=env, capture_output=True, text=True, timeout=900)
        if check and done.returncode != 0:
            raise AssertionError(done.stdout + done.stderr)
        return done

    run("git", "init", "-q", "-b", "main")
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {revision}\n    hooks:\n      - id: collateral-guard\n")
    (folder / ".collateral-guard.toml").write_text(CONFIG)
    run("git", "add", ".")
    run("git", "commit", "-qm", "configure collateral-guard", "--no-verify")
    run(sys.executable, "-m", "pre_commit", "install")
    run.folder = folder
    return run


def commit(repo, name: str, content: bytes):
    (repo.folder / name).write_bytes(content)
    repo("git", "add", name)
    done = repo("git", "commit", "-qm", f"add {name}", check=False)
    committed = name in repo("git", "ls-tree", "-r", "--name-only", "HEAD").stdout.split()
    if not committed:
        repo("git", "reset", "-q", "HEAD", name)
        (repo.folder / name).unlink()
    return done.returncode, done.stdout + done.stderr, committed


def test_clean_commit_goes_through(repo):
    code, output, committed = commit(repo, "guide.md", b"# Install\n\nThe agent forwards 20,000 events per second.\n")
    assert code == 0, output
    assert committed
    assert "collateral-guard" in output and "Passed" in output


def test_leaked_key_blocks_the_commit(repo):
    code, output, committed = commit(repo, "runbook.md", b"Run `export ACME_API_KEY=ak_live_9Qw2vTn4Hf8kLpR7mZx3`.\n")
    assert code != 0 and not committed
    assert "runbook.md:1:26: error leaked-credential" in output
    assert "9Qw2vTn4" not in output


def test_internal_url_blocks_the_commit(repo):
    code, output, committed = commit(repo, "brief.md", b"Sizing: https://wiki.corp.acme-internal.io/sizing\n")
    assert code != 0 and not committed
    assert "brief.md:1:17: error internal-address" in output


def test_docx_comment_naming_another_customer_blocks_the_commit(repo):
    data = build_docx("Our answer.[comment by Jane Doe: reused from the Contoso bid]\n"
                      "[custom property customer: fabrikam]")
    code, output, committed = commit(repo, "answer.docx", data)
    assert code != 0 and not committed
    assert "answer.docx:1:17: error other-customer" in output


def test_a_workbook_with_an_upper_case_suffix_is_checked(repo):
    from office_builder import leaky_workbook

    code, output, committed = commit(repo, "ANSWERS.XLSX", leaky_workbook())
    assert code != 0 and not committed
    assert "ANSWERS.XLSX:1:1: error hidden-content Cell on a hidden sheet" in output
