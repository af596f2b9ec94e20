"""The CI guide installs collateral-guard the way a team can: from its git repository, pinned to a tag."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

GUIDE = ROOT / "docs" / "ci.md"


def test_guide_never_installs_from_a_package_index():
    text = GUIDE.read_text(encoding="utf-8")
    assert not re.search(r"pip install collateral-guard\b", text)
    installs = re.findall(r"pip install (\"collateral-guard @ [^\"]+\"|dist/\S+\.whl)", text)
    assert installs and all("git+" in i or i.endswith(".whl") for i in installs)


def test_git_install_line_works_against_a_tagged_copy(tmp_path):
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if not revision:
        pytest.skip("the project is not a git checkout")
    text = GUIDE.read_text(encoding="utf-8")
    requirement = re.search(r'pip install "(collateral-guard @ git\+https://[^"]+)"', text).group(1)
    url, tag = re.search(r"git\+(https://\S+?)@(v[\d.]+)$", requirement).groups()
    copy = tmp_path / "team-copy"
    env = {**os.environ, "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com"}
    for command in (["git", "clone", "-q", str(ROOT), str(copy)], ["git", "-C", str(copy), "tag", tag, revision]):
        subprocess.run(command, check=True, capture_output=True, env=env)
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(site),
         # file://localhost/...: a PEP 508 URL needs a host, as the guide's https:// URL has
         requirement.replace(url, "file://localhost" + copy.as_posix())], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert install.returncode == 0, install.stderr
    (tmp_path / "brief.md").write_text("Pricing: TBD.\n")
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "brief.md", "--select", "placeholder"],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.startswith("brief.md:1:10: error draft-marker"), result.stdout + result.stderr
    assert (site / "collateral_guard" / "packs").is_dir()
