"""The real pre-commit, in a temporary git repository whose config points at this project."""

from __future__ import annotations

import os
import re
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


def test_team_baseline_from_the_configuration(repo):
    """A folder whose configuration names a baseline: its old findings pass, a new one blocks the commit."""
    legacy = repo.folder / "legacy"
    legacy.mkdir()
    (legacy / ".collateral-guard.toml").write_text('internal-domains = ["corp.acme.io"]\nbaseline = "accepted.json"\n')
    (legacy / "old.md").write_text("Sizing: https://wiki.corp.acme.io/old-sizing\n")
    made = repo(sys.executable, "-m", "collateral_guard", "baseline", "legacy")
    assert "wrote 1 finding" in made.stdout
    repo("git", "add", "legacy")
    code, output, committed = commit(repo, "legacy/notes.md", b"The agent forwards 20,000 events per second.\n")
    assert code == 0 and committed, output  # old.md's accepted finding does not block
    code, output, _ = commit(repo, "legacy/old.md", b"Sizing: https://wiki.corp.acme.io/old-sizing\n\n"
                                                    b"Also https://wiki.corp.acme.io/new-page\n")
    assert code != 0, output  # the new link blocks the edit
    assert "legacy/old.md:3:14: error internal-address" in output
    assert "legacy/old.md:1:" not in output


# -- the README's snippets, as pasted ------------------------------------------------------

def readme_snippets() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert len(blocks) == 2, "the README has the pinned snippet and the repo: local one"
    return blocks


@pytest.fixture
def fresh(tmp_path):
    revision = project_revision()
    if revision is None:
        pytest.skip("the project is not a git checkout")
    folder = tmp_path / "collateral"
    folder.mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com", "NO_COLOR": "1",
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}

    def run(*args, cwd=folder, check=True):
        done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
        if check and done.returncode != 0:
            raise AssertionError(done.stdout + done.stderr)
        return done

    run("git", "init", "-q", "-b", "main")
    (folder / ".collateral-guard.toml").write_text(CONFIG)
    run.folder, run.tmp, run.revision = folder, tmp_path, revision
    return run


def first_commit_with_a_leak(run) -> str:
    run("git", "add", ".")
    run("git", "commit", "-qm", "configure", "--no-verify")
    run(sys.executable, "-m", "pre_commit", "install")
    (run.folder / "runbook.md").write_bytes(b"Run `export ACME_API_KEY=ak_live_9Qw2vTn4Hf8kLpR7mZx3`.\n")
    run("git", "add", "runbook.md")
    done = run("git", "commit", "-qm", "add runbook", check=False)
    assert done.returncode != 0
    return done.stdout + done.stderr


def test_readme_snippet_pinned_to_a_tag_the_team_created(fresh):
    pinned, _ = readme_snippets()
    team_copy = fresh.tmp / "team-copy"  # the team's own copy, tagged as the README says
    fresh("git", "clone", "-q", str(ROOT), str(team_copy))
    fresh("git", "checkout", "-q", fresh.revision, cwd=team_copy)
    fresh("git", "tag", "v0.1.0", cwd=team_copy)
    url = re.search(r"repo: (\S+)", pinned).group(1)
    (fresh.folder / ".pre-commit-config.yaml").write_text(pinned.replace(url, str(team_copy)))
    output = first_commit_with_a_leak(fresh)
    assert "runbook.md:1:26: error leaked-credential" in output and "9Qw2vTn4" not in output
    # `pre-commit autoupdate` moves rev to the copy's newest tag.
    fresh("git", "commit", "-q", "--allow-empty", "-m", "the team's next release", cwd=team_copy)
    fresh("git", "tag", "v0.1.1", cwd=team_copy)
    fresh(sys.executable, "-m", "pre_commit", "autoupdate")
    assert "rev: v0.1.1" in (fresh.folder / ".pre-commit-config.yaml").read_text()


def test_readme_snippet_repo_local(fresh):
    _, local = readme_snippets()
    (fresh.folder / ".pre-commit-config.yaml").write_text(local)  # exactly as pasted
    output = first_commit_with_a_leak(fresh)
    assert "runbook.md:1:26: error leaked-credential" in output and "9Qw2vTn4" not in output
