"""A new user's first run and daily use: where the configuration comes from, what a run says, small commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

BRIEF = "# Brief\n\nSizing is on https://wiki.corp.acme.io/sizing. Ask Contoso about it.\n"


def run(*args, cwd, env: dict | None = None, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "collateral_guard", *args], cwd=cwd, input=stdin,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def internal_hosts(result) -> list[str]:
    return [f["match"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "internal-address"]


# -- configuration discovery -------------------------------------------------------

def test_each_file_uses_its_nearest_configuration(tmp_path):
    hosts = "Hosts: portal.acme.io and portal.other.io.\n"
    write(tmp_path / "acme" / ".collateral-guard.toml", 'internal-domains = ["acme.io"]\n')
    write(tmp_path / "acme" / "brief.md", hosts)
    write(tmp_path / "other" / "pyproject.toml", '[tool.collateral-guard]\ninternal-domains = ["other.io"]\n')
    write(tmp_path / "other" / "deep" / "brief.md", hosts)
    result = run("check", "acme", "other", "--format", "json", "--select", "internal-url", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["match"]) for f in findings] == [("acme/brief.md", "portal.acme.io"),
                                                           ("other/deep/brief.md", "portal.other.io")]


def test_order_config_option_then_environment_then_nearest_then_user(tmp_path):
    write(tmp_path / "docs" / ".collateral-guard.toml", 'internal-domains = ["nearest.io"]\n')
    write(tmp_path / "docs" / "brief.md", "Hosts: a.nearest.io, b.env.io, c.option.io, d.user.io.\n")
    write(tmp_path / "env.toml", 'internal-domains = ["env.io"]\n')
    write(tmp_path / "option.toml", 'internal-domains = ["option.io"]\n')
    write(tmp_path / "xdg" / "collateral-guard" / "config.toml", 'internal-domains = ["user.io"]\n')
    args = ("check", "docs/brief.md", "--format", "json", "--select", "internal-url")
    user = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    env = {**user, "COLLATERAL_GUARD_CONFIG": str(tmp_path / "env.toml")}
    assert internal_hosts(run(*args, "--config", "option.toml", cwd=tmp_path, env=env)) == ["c.option.io"]
    assert internal_hosts(run(*args, cwd=tmp_path, env=env)) == ["b.env.io"]
    assert internal_hosts(run(*args, cwd=tmp_path, env=user)) == ["a.nearest.io"]
    (tmp_path / "docs" / ".collateral-guard.toml").unlink()
    assert internal_hosts(run(*args, cwd=tmp_path, env=user)) == ["d.user.io"]


def test_environment_naming_a_missing_file_is_one_line(tmp_path):
    write(tmp_path / "brief.md", BRIEF)
    result = run("check", "brief.md", cwd=tmp_path, env={"COLLATERAL_GUARD_CONFIG": str(tmp_path / "nope.toml")})
    assert result.returncode == 2
    assert result.stderr == f"collateral-guard: error: COLLATERAL_GUARD_CONFIG={tmp_path / 'nope.toml'}: " \
                            "no such configuration file\n"


def test_no_configuration_is_said_once_on_stderr(tmp_path):
    write(tmp_path / "downloads" / "a.md", BRIEF)
    write(tmp_path / "downloads" / "b.md", BRIEF)
    empty = {"XDG_CONFIG_HOME": str(tmp_path / "empty")}
    result = run("check", "downloads/a.md", "downloads/b.md", cwd=tmp_path, env=empty)
    assert result.stderr.count("no configuration found") == 1
    note = result.stderr
    assert f"no configuration found for {tmp_path / 'downloads' / 'a.md'}" in note
    assert "customers:" in note and "internal domains:" in note and "jargon:" in note
    assert "collateral-guard init" in note and "COLLATERAL_GUARD_CONFIG" in note
    assert "no configuration" not in run("check", "downloads", "--quiet", cwd=tmp_path, env=empty).stderr
    write(tmp_path / ".collateral-guard.toml", "")
    assert "no configuration" not in run("check", "downloads", cwd=tmp_path, env=empty).stderr


def test_config_command_describes_what_is_in_effect(tmp_path):
    write(tmp_path / ".collateral-guard.toml", """\
internal-domains = ["corp.acme.io", "acme.internal"]
baseline = "accepted.json"
[vendor]
names = ["Northwind"]
domains = ["northwind.example"]
[competitors.bigco]
names = ["BigCo"]
[customers.contoso]
names = ["Contoso"]
public-reference = true
[customers.fabrikam]
names = ["Fabrikam"]
[rules.superlative]
severity = "error"
""")
    write(tmp_path / "rfp" / "a.md", BRIEF)
    result = run("config", "rfp/a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["configuration for rfp/a.md:",
                         f"  file: {tmp_path / '.collateral-guard.toml'} (nearest to the path)"]
    assert "  vendor: Northwind (domains northwind.example)" in lines
    assert "  customers: 2 (1 public reference)" in lines
    assert "  competitors: 1" in lines
    assert "  internal domains: corp.acme.io, acme.internal" in lines
    assert '  rule overrides: superlative (severity="error")' in lines
    assert f"  baseline: {tmp_path / 'accepted.json'} (missing)" in lines

    check = run("config", "--check", cwd=tmp_path)
    assert check.returncode == 2
    assert check.stderr.strip() == (f"collateral-guard: error: {tmp_path / '.collateral-guard.toml'}: baseline "
                                    f"'{tmp_path / 'accepted.json'}' does not exist")
    assert run("baseline", "rfp", cwd=tmp_path).returncode == 0  # writes accepted.json, as configured
    check = run("config", "--check", cwd=tmp_path)
    assert (check.returncode, check.stdout) == (0, f"{tmp_path / '.collateral-guard.toml'}: ok\n")
    write(tmp_path / ".collateral-guard.toml", "[rules.superlative]\nmax-words = 3\n")
    check = run("config", "--check", cwd=tmp_path)
    assert check.returncode == 2 and "unknown key 'rules.superlative.max-words'" in check.stderr


def test_config_command_without_a_configuration(tmp_path):
    empty = {"XDG_CONFIG_HOME": str(tmp_path / "empty")}
    shown = run("config", cwd=tmp_path, env=empty)
    assert shown.returncode == 0 and shown.stdout.startswith("configuration for .: none found\n")
    assert run("config", "--check", cwd=tmp_path, env=empty).returncode == 2


# -- the team's baseline -------------------------------------------------------------

def test_baseline_key_is_used_without_an_option(tmp_path):
    write(tmp_path / ".collateral-guard.toml", 'internal-domains = ["corp.acme.io"]\nbaseline = "accepted.json"\n')
    write(tmp_path / "old.md", BRIEF)
    assert run("baseline", ".", cwd=tmp_path).stdout.startswith("wrote 1 finding from 1 files to ")
    assert (tmp_path / "accepted.json").is_file()
    assert run("check", "old.md", "--select", "internal-url", cwd=tmp_path).returncode == 0
    write(tmp_path / "new.md", BRIEF)
    result = run("check", ".", "--select", "internal-url", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("new.md:3:22: error internal-address")
    assert "old.md" not in result.stdout


# -- first run -------------------------------------------------------------------------

def test_readme_command_1_ends_by_saying_the_samples_are_wrong_on_purpose():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "check fixtures/" in line and "pip install" in line)
    check_part = command.split(" && ", 2)[2]  # after creating the venv and installing
    check_part = check_part.replace(".venv/bin/collateral-guard", f"{sys.executable} -m collateral_guard")
    done = subprocess.run(["bash", "-c", check_part], cwd=ROOT, capture_output=True, text=True, timeout=300)
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("exit code 1: these samples contain problems on purpose. Next: run "
                           "'collateral-guard init' in your own repository")
    assert "ends with exit code 1" in readme


def test_init_lists_next_steps_and_vocabulary_works_at_once(tmp_path):
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0
    assert "Next steps:" in result.stdout and "collateral-guard config --check" in result.stdout
    assert "collateral-guard check ." in result.stdout
    added = run("vocabulary", "add", "Northwind", "Zorblax", cwd=tmp_path)
    assert added.stdout == f"added 2 words to {tmp_path / 'vocabulary.txt'}: Northwind, Zorblax\n"
    assert run("vocabulary", "list", cwd=tmp_path).stdout.splitlines() == ["AcmeQL", "Northwind", "Zorblax"]
    removed = run("vocabulary", "remove", "Zorblax", "AcmeQL", cwd=tmp_path)
    assert removed.stdout.splitlines() == [
        f"removed 1 word from {tmp_path / 'vocabulary.txt'}: Zorblax",
        f"still accepted from `vocabulary` in {tmp_path / '.collateral-guard.toml'}: AcmeQL (edit it there)"]
    assert (tmp_path / "vocabulary.txt").read_text() == "Northwind\n"
    assert run("config", "--check", cwd=tmp_path).returncode == 0


# -- daily use ---------------------------------------------------------------------------

DIRTY = "# Brief\n\nOur market-leading, best-in-class platform ships next week. Pricing: TBD.\n"


def test_statistics_counts_per_rule(tmp_path):
    write(tmp_path / "a.md", DIRTY)
    write(tmp_path / "b.md", DIRTY)
    result = run("check", ".", "--statistics", "--select", "superlative,placeholder", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "4  unsourced-superlative  warning  superlative",
        "2  draft-marker           error    placeholder",
        "2 errors, 4 warnings, 0 info in 2 files",
    ]
    assert run("check", ".", "--statistics", "--format", "json", cwd=tmp_path).returncode == 2


def test_quiet_prints_only_the_summary_and_unchecked_files(tmp_path):
    write(tmp_path / "a.md", DIRTY)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    result = run("check", ".", "--quiet", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "broken.docx: error cannot scan: not a DOCX file (not a zip package)",
        "1 error, 2 warnings, 0 info in 2 files; 1 could not be checked: broken.docx",
    ]


def test_summary_line_names_files_not_checked(tmp_path):
    for number in range(7):
        (tmp_path / f"broken-{number}.docx").write_bytes(b"not a zip")
    result = run("check", ".", cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == (
        "0 errors, 0 warnings, 0 info in 7 files; 7 could not be checked: broken-0.docx, broken-1.docx, "
        "broken-2.docx, broken-3.docx, broken-4.docx and 2 more")


def test_explain_a_category_and_did_you_mean(tmp_path):
    listed = run("explain", "superlative", cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0] == "superlative: 2 rules"
    assert [line.split()[0] for line in lines[2:4]] == ["absolute-claim", "unsourced-superlative"]
    wrong = run("explain", "superlatives", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr == ("collateral-guard: error: unknown rule or category 'superlatives': did you mean "
                            "'superlative' or 'unsourced-superlative'? (see `collateral-guard rules`)\n")
    selected = run("check", "-", "--select", "draft-markers", cwd=tmp_path, stdin="x\n")
    assert "did you mean 'draft-marker'?" in selected.stderr


def test_output_into_a_missing_folder_is_one_line(tmp_path):
    write(tmp_path / "a.md", DIRTY)
    result = run("check", "a.md", "--format", "html", "--output", "reports/today/report.html", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("collateral-guard: error: --output reports/today/report.html: folder reports/today "
                             "does not exist\n")
    result = run("baseline", ".", "--output", "reports/accepted.json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "collateral-guard: error: --output reports/accepted.json: folder reports does not exist\n")


def test_sample_html_report_screenshot_is_linked():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [target] = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", readme)
    assert (ROOT / target).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert FIXTURES.is_dir()
