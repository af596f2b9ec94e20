"""The built wheel ships the rule packs: installed from it, run from elsewhere, the built-in rules apply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    [path] = out.glob("collateral_guard-*.whl")
    return path


def test_wheel_contains_rule_packs(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    packs = sorted(n for n in names if n.startswith("collateral_guard/packs/"))
    shipped = sorted([*(ROOT / "rules").glob("*.yml"), *(ROOT / "rules").glob("lists/*.yml")])
    assert packs == sorted(f"collateral_guard/packs/{p.relative_to(ROOT / 'rules').as_posix()}" for p in shipped)
    assert "collateral_guard/data/starter-config.toml" in names


def test_wheel_contains_every_module_of_the_source_tree(wheel):
    """A subpackage missing from pyproject's list works in an editable install and breaks in a real one."""
    names = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "src"
    modules = sorted(p.relative_to(source).as_posix() for p in source.rglob("*.py"))
    assert [m for m in modules if m not in names] == []


def test_installed_wheel_applies_builtin_rules_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "brief.md").write_text("Our market-leading platform. Pricing: TBD.\n")
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import collateral_guard; print(collateral_guard.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True)
    assert probe.stdout.startswith(str(target))  # the wheel's copy, not the source tree
    result = subprocess.run(
        [sys.executable, "-m", "collateral_guard", "check", "brief.md", "--format", "json",
         "--select", "superlative,placeholder"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [
        ("unsourced-superlative", 1, 5), ("draft-marker", 1, 39)]
