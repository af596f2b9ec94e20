"""The command line as a user runs it: a real subprocess, real files, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

CLEAN = "# Install\n\nThe agent forwards 20,000 events per second on a 4 vCPU host.\n"
DIRTY = "# Brief\n\nOur market-leading platform ships next week. Pricing: TBD.\n"


def run(*args, cwd=None, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "collateral_guard", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0(tmp_path):
    write(tmp_path, "clean.md", CLEAN)
    result = run("check", "clean.md", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 errors, 0 warnings, 0 info in 1 file"


def test_error_finding_exits_1_with_text_format(tmp_path):
    write(tmp_path, "brief.md", DIRTY)
    result = run("check", "brief.md", "--select", "placeholder,superlative", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("brief.md:3:5: warning unsourced-superlative Unverifiable superlative 'market-leading': "
                        "cite a source in the same sentence or state the fact behind it.")
    # The source line with a line-number gutter, the match underlined where it is (as ruff shows it).
    assert lines[1:4] == ["  |", "3 | " + DIRTY.splitlines()[2], "  |     ^~~~~~~~~~~~~~"]
    assert lines[4].startswith("brief.md:3:55: error draft-marker")
    assert lines[-1] == "1 error, 1 warning, 0 info in 1 file"


def test_fail_on_thresholds(tmp_path):
    write(tmp_path, "brief.md", "Our market-leading platform.\n")
    assert run("check", "brief.md", cwd=tmp_path).returncode == 0  # warning < error
    assert run("check", "brief.md", "--fail-on", "warning", cwd=tmp_path).returncode == 1
    assert run("check", "brief.md", "--fail-on", "never", "--select", "superlative", cwd=tmp_path).returncode == 0


def test_select_and_ignore(tmp_path):
    write(tmp_path, "brief.md", DIRTY)
    only = json.loads(run("check", "brief.md", "--format", "json", "--select", "draft-marker", cwd=tmp_path).stdout)
    assert [f["rule"] for f in only["findings"]] == ["draft-marker"]
    rest = json.loads(run("check", "brief.md", "--format", "json", "--ignore", "placeholder",
                          "--select", "superlative,placeholder", cwd=tmp_path).stdout)
    assert [f["rule"] for f in rest["findings"]] == ["unsourced-superlative"]


def test_json_report_contract(tmp_path):
    write(tmp_path, "docs/brief.md", DIRTY)
    result = run("check", "docs", "--format", "json", "--select", "placeholder", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["tool"]["name"] == "collateral-guard"
    assert report["files"] == [{"path": "docs/brief.md", "status": "ok", "error": None}]
    assert report["findings"] == [{
        "path": "docs/brief.md", "rule": "draft-marker", "category": "placeholder", "severity": "error",
        "message": "Draft note 'TBD' left in the text: finish the section or remove the note.",
        "line": 3, "column": 55, "end_line": 3, "end_column": 58, "match": "TBD",
        "context": "Pricing: TBD.", "suggestion": None, "part": None, "location": {},
    }]
    assert report["summary"] == {"files": 1, "findings": 1, "by_severity": {"error": 1},
                                 "by_category": {"placeholder": 1}}


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "report.json"
    result = run("check", "-", "--format", "json", "--output", str(out), "--select", "placeholder",
                 cwd=tmp_path, stdin="Price: TBD\n")
    assert result.returncode == 1
    assert result.stdout == ""
    report = json.loads(out.read_text())
    assert [(f["path"], f["line"], f["column"]) for f in report["findings"]] == [("-", 1, 8)]


def test_unreadable_file_is_reported_and_others_still_scanned(tmp_path):
    write(tmp_path, "good.md", DIRTY)
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe broken \x00 bytes")
    result = run("check", ".", "--format", "json", "--select", "placeholder", cwd=tmp_path)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["files"][0] == {"path": "bad.md", "status": "error",
                                  "error": "not UTF-8 text (byte 0): save the file as UTF-8"}
    assert [f["path"] for f in report["findings"]] == ["good.md"]
    assert result.stderr.strip() == "bad.md: cannot scan: not UTF-8 text (byte 0): save the file as UTF-8"
    assert "Traceback" not in result.stderr


def test_missing_path_is_an_input_error(tmp_path):
    result = run("check", "nope.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.md: error cannot scan: No such file or directory" in result.stdout


def test_config_errors_exit_2_with_one_line(tmp_path):
    write(tmp_path, ".collateral-guard.toml", 'internal-domain = ["corp.acme.io"]\n')
    write(tmp_path, "a.md", CLEAN)
    result = run("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"collateral-guard: error: {tmp_path / '.collateral-guard.toml'}: unknown key 'internal-domain'"

    write(tmp_path, ".collateral-guard.toml", 'vocabulary = "Acme"\n')
    result = run("check", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("key 'vocabulary' must be a list of strings")

    write(tmp_path, ".collateral-guard.toml", '[rules.superlative]\nseverity = "fatal"\n')
    result = run("check", "a.md", cwd=tmp_path)
    assert result.stderr.strip().endswith("key 'rules.superlative.severity' must be one of error, warning, info")

    write(tmp_path, ".collateral-guard.toml", '[rules.no-such-rule]\nenabled = false\n')
    result = run("check", "a.md", cwd=tmp_path)
    assert result.stderr.strip().endswith("unknown rule or category 'rules.no-such-rule'")


def test_unknown_select_name_is_a_usage_error(tmp_path):
    write(tmp_path, "a.md", CLEAN)
    result = run("check", "a.md", "--select", "superlatives", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown rule or category 'superlatives'" in result.stderr


def test_config_overrides_severity_and_disables(tmp_path):
    write(tmp_path, ".collateral-guard.toml",
          '[rules.superlative]\nseverity = "error"\n\n[rules.draft-marker]\nenabled = false\n')
    write(tmp_path, "brief.md", DIRTY)
    report = json.loads(run("check", "brief.md", "--format", "json", cwd=tmp_path).stdout)
    rules = {(f["rule"], f["severity"]) for f in report["findings"]}
    assert ("unsourced-superlative", "error") in rules
    assert not any(rule == "draft-marker" for rule, _ in rules)


def test_rules_and_explain():
    listing = run("rules").stdout.splitlines()
    assert any(line.split()[:3] == ["unsourced-superlative", "superlative", "warning"] for line in listing)
    explained = run("explain", "unmeasured-performance")
    assert explained.returncode == 0
    assert "Flagged:\n  ✗ The platform is fast and scalable." in explained.stdout
    assert "Not flagged:\n  ✓ The platform supports up to 10,000 concurrent connections" in explained.stdout
    assert run("explain", "nope").returncode == 2


def test_init_writes_a_config_that_validates(tmp_path):
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / ".collateral-guard.toml").is_file()
    assert run("init", cwd=tmp_path).returncode == 2  # never overwrites silently
    write(tmp_path, "a.md", CLEAN)
    result = run("check", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_sample_collateral_quick_start():
    """The README's first command: the shipped samples produce real findings."""
    result = run("check", str(FIXTURES), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    categories = set(report["summary"]["by_category"])
    assert {"superlative", "vague-claim", "commitment", "placeholder", "internal-marker", "jargon"} <= categories
