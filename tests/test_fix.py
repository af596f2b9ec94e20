"""`check --fix` on real Markdown files: what it changes, what it never touches, what it refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docx_builder import build_docx

CONFIG = '[jargon]\n"Project Falcon" = "the analytics module"\n"Bluebird" = ""\n'


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "collateral_guard", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def project(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".collateral-guard.toml").write_text(CONFIG, encoding="utf-8")
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_glossary_and_single_suggestion_spelling_are_fixed(tmp_path):
    path = project(tmp_path, "# Overview\n\n"
                             "Project Falcon ships the dashboards. We rely on Project Falcon for reports.\n\n"
                             "The agent keeps seperate logs.\n")
    result = run("brief.md", "--fix", "--select", "jargon,spelling", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "brief.md:3:1: fixed glossary-term: 'Project Falcon' -> 'The analytics module'",
        "brief.md:3:49: fixed glossary-term: 'Project Falcon' -> 'the analytics module'",
        "brief.md:5:17: fixed misspelling: 'seperate' -> 'separate'",
    ]
    assert path.read_text() == ("# Overview\n\n"
                                "The analytics module ships the dashboards. We rely on the analytics module for "
                                "reports.\n\nThe agent keeps separate logs.\n")
    assert result.returncode == 0, result.stdout  # nothing left to report
    assert result.stdout.splitlines()[-1] == "0 errors, 0 warnings, 0 info in 1 file"


def test_code_links_front_matter_and_guesses_are_left_alone(tmp_path):
    original = ("---\n"
                "title: Project Falcon overview\n"
                "---\n\n"
                "Run `falcon --project \"Project Falcon\"` first.\n\n"
                "See [Project Falcon](https://docs.example.com/Project-Falcon) and <https://example.com/seperate>.\n\n"
                "```\n"
                "Project Falcon seperate\n"
                "```\n\n"
                "[falcon]: https://example.com/Project Falcon\n\n"
                "Bluebird has no public name. We recieve data.\n\n"
                "Our organisation reads the readme, calls mmap and logs a blorp.\n")
    path = project(tmp_path, original)
    result = run("brief.md", "--fix", "--select", "jargon,spelling", cwd=tmp_path)
    assert path.read_text() == original
    assert "fixed" not in result.stderr
    rules = [line.split()[2] for line in result.stdout.splitlines() if line.startswith("brief.md:")]
    # Still reported for a person to decide: the link text, the term with no public wording, a word with two
    # possible corrections ('recieve': receive or relieve) and a word whose only correction is a rare one
    # ('blorp' -> 'bloop'). British forms ('organisation') and common technical words ('mmap', 'readme') are
    # accepted by the spelling rule itself (issue 12).
    assert "glossary-term" in rules
    flagged = {line.split("'")[1] for line in result.stdout.splitlines() if " misspelling " in line}
    assert {"recieve", "blorp"} <= flagged and not {"organisation", "mmap", "readme"} & flagged


def test_fix_refuses_word_documents(tmp_path):
    (tmp_path / "answer.docx").write_bytes(build_docx("Project Falcon ships."))
    result = run("answer.docx", "--fix", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("collateral-guard: error: answer.docx: --fix changes Markdown only; use "
                             "`collateral-guard clean` for Word documents\n")


def test_fix_in_a_folder_changes_markdown_and_still_checks_word(tmp_path):
    path = project(tmp_path, "Project Falcon ships.\n")
    (tmp_path / "answer.docx").write_bytes(build_docx("Project Falcon ships."))
    result = run(".", "--fix", "--select", "jargon", "--format", "json", cwd=tmp_path)
    assert path.read_text() == "The analytics module ships.\n"
    assert '"path": "answer.docx"' in result.stdout and '"rule": "glossary-term"' in result.stdout


def test_toml_front_matter_is_left_alone(tmp_path):
    original = '+++\ntitle = "Project Falcon notes"\n+++\n\nProject Falcon ships.\n'
    path = project(tmp_path, original)
    run("brief.md", "--fix", "--select", "jargon", cwd=tmp_path)
    assert path.read_text() == original.replace("\nProject Falcon ships", "\nThe analytics module ships")
