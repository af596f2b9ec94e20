"""The baseline: only new findings fail; identity ignores line numbers; no secret is stored."""

from __future__ import annotations

import json
import subprocess
import sys

SECRET = "Zq81!vbNm3Tp-base"


def run(folder, *args):
    return subprocess.run([sys.executable, "-m", "collateral_guard", *args], cwd=folder, capture_output=True,
                          text=True, timeout=120)


def test_baseline_gates_only_new_findings(tmp_path):
    (tmp_path / "legacy.md").write_text(f"Pricing: TBD.\n\nThe password for the lab is {SECRET}.\n")
    made = run(tmp_path, "baseline", ".", "--output", "base.json")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "wrote 2 findings from 1 files to base.json"
    stored = (tmp_path / "base.json").read_text()
    assert SECRET not in stored and SECRET[4:] not in stored
    document = json.loads(stored)
    assert document["version"] == 1
    assert [(e["path"], e["rule"], e["match"]) for e in document["entries"]] == [
        ("legacy.md", "draft-marker", "TBD"), ("legacy.md", "leaked-credential", "Zq81****")]

    assert run(tmp_path, "check", ".", "--baseline", "base.json").returncode == 0

    # Text inserted above moves the old findings down: they stay accepted. A new finding fails.
    (tmp_path / "legacy.md").write_text(f"# New intro\n\nMore text.\n\nPricing: TBD.\n\nThe password for the lab "
                                        f"is {SECRET}.\n\nSupport hours: TODO\n")
    result = run(tmp_path, "check", ".", "--baseline", "base.json", "--format", "json")
    assert result.returncode == 1
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("draft-marker", 9)]


def test_baseline_is_stable_and_reports_stale_entries(tmp_path):
    (tmp_path / "a.md").write_text("Pricing: TBD. Also TBD.\n")
    (tmp_path / "b.md").write_text("Owner: TODO\n")
    run(tmp_path, "baseline", ".", "--output", "first.json")
    run(tmp_path, "baseline", ".", "--output", "second.json")
    assert (tmp_path / "first.json").read_text() == (tmp_path / "second.json").read_text()

    (tmp_path / "a.md").write_text("Pricing: $40 per seat. Also TBD.\n")
    result = run(tmp_path, "check", ".", "--baseline", "first.json")
    assert result.returncode == 0
    assert result.stderr.strip() == ("a.md: note: baseline entry no longer matches (draft-marker 'TBD'): "
                                     "regenerate the baseline to drop it")
    assert result.stdout.strip().splitlines()[-1] == (
        "0 errors, 0 warnings, 0 info in 2 files; 1 baseline entries no longer match (regenerate the baseline)")


def test_invalid_baseline_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text("Fine.\n")
    (tmp_path / "bad.json").write_text("{\"entries\": 3}")
    result = run(tmp_path, "check", "a.md", "--baseline", "bad.json")
    assert result.returncode == 2
    assert result.stderr.strip() == "collateral-guard: error: bad.json: not a collateral-guard baseline (version 1)"


def git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(folder), "PATH": "/usr/bin:/bin"})


def test_since_scans_only_changed_files(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "old.md").write_text("Pricing: TBD\n")
    (tmp_path / "edited.md").write_text("Fine.\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "start")
    (tmp_path / "edited.md").write_text("Owner: TODO\n")
    (tmp_path / "new.md").write_text("Support: TBC\n")
    result = run(tmp_path, "check", ".", "--since", "HEAD", "--format", "json")
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == ["edited.md", "new.md"]
    assert result.returncode == 1
    bad = run(tmp_path, "check", ".", "--since", "no-such-rev")
    assert bad.returncode == 2 and bad.stderr.startswith("collateral-guard: error: --since no-such-rev: ")
