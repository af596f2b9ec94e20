"""Spelling suggestions, readability scores against textstat, thresholds, and working offline."""

from __future__ import annotations

import subprocess
import sys

import textstat

from conftest import make_config, scan_text


def test_suggestion_is_the_likely_correction():
    result = scan_text("We will recieve the data and seperate the tenants.\n", select=("spelling",))
    assert [(f.match, f.suggestion, f.line, f.column, f.end_column) for f in result.findings] == [
        ("recieve", "receive", 1, 9, 16), ("seperate", "separate", 1, 30, 38)]


SECTION = (
    "The organisational transformation methodology operationalises cross-functional "
    "interdependencies, institutionalising comprehensive governance considerations throughout "
    "heterogeneous infrastructure modernisation initiatives, notwithstanding considerable "
    "implementation complexity. Consequently, multidimensional prioritisation necessitates "
    "sophisticated quantitative evaluation of interoperability characteristics."
)


def test_section_grade_matches_textstat():
    text = f"# Approach\n\n{SECTION}\n\n# Pricing\n\nIt costs ten dollars a seat. You pay each month.\n"
    result = scan_text(text, select=("hard-to-read-section",))
    expected = textstat.flesch_kincaid_grade(f"Approach\n{SECTION}")
    ease = textstat.flesch_reading_ease(f"Approach\n{SECTION}")
    [section] = result.findings
    assert (section.line, section.column, section.end_column) == (1, 3, 11)
    assert section.message.startswith(f"Section reads at grade {expected:.1f} (target 14 or below; "
                                      f"Flesch reading ease {ease:.1f})")
    [document] = scan_text(text, select=("hard-to-read-document",)).findings
    whole = textstat.flesch_kincaid_grade(f"Approach\n{SECTION}\nPricing\nIt costs ten dollars a seat. You pay each month.")
    assert (document.line, document.column) == (1, 3)
    assert document.message.startswith(f"The document as a whole reads at grade {whole:.1f}")


def test_thresholds_are_configurable(tmp_path):
    text = f"# Approach\n\n{SECTION}\n"
    config = make_config({"rules": {"hard-to-read-section": {"max-grade": 60}, "long-sentence": {"max-words": 15}}},
                         tmp_path)
    result = scan_text(text, config=config, select=("readability",))
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("long-sentence", 3, 1)]
    assert result.findings[0].message == "Sentence of 20 words (limit 15): split it and lead with the point."


def test_long_sentence_default_is_35_words():
    words = " ".join(["word"] * 35)
    assert scan_text(f"{words.capitalize()}.\n", select=("long-sentence",)).findings == []
    result = scan_text(f"Short one. {words.capitalize()} more.\n", select=("long-sentence",))
    assert [(f.line, f.column, f.end_column) for f in result.findings] == [(1, 12, 192)]


def test_vocabulary_add_sorts_and_deduplicates(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text('vocabulary-file = "vocabulary.txt"\n')
    (tmp_path / "vocabulary.txt").write_text("# product names\nZentrix\nAcme\n")
    run = [sys.executable, "-m", "collateral_guard", "vocabulary", "add"]
    result = subprocess.run([*run, "Northwind", "Acme", "bluebird"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("added 2 words to " + str(tmp_path / "vocabulary.txt") + ": Northwind, bluebird")
    assert (tmp_path / "vocabulary.txt").read_text() == "# product names\nAcme\nbluebird\nNorthwind\nZentrix\n"
    (tmp_path / "doc.md").write_text("Zentrix and Northwind.\n\nNorthwnd is misspelled.\n")
    check = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "doc.md", "--select", "spelling",
                            "--format", "json"], cwd=tmp_path, capture_output=True, text=True)
    assert '"match": "Northwnd"' in check.stdout and '"suggestion": "Northwind"' in check.stdout


OFFLINE_RUNNER = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network access attempted during the scan")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from collateral_guard.cli import main
sys.argv = ["collateral-guard", *sys.argv[1:]]
main()
"""


def test_spelling_and_readability_work_with_no_network(tmp_path):
    (tmp_path / "doc.md").write_text(f"# Approach\n\n{SECTION}\n\nWe will recieve it.\n")
    (tmp_path / "run.py").write_text(OFFLINE_RUNNER)
    result = subprocess.run([sys.executable, "run.py", "check", "doc.md", "--select", "spelling,readability",
                             "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "network access attempted" not in result.stderr
    assert '"rule": "misspelling"' in result.stdout
    assert '"rule": "hard-to-read-section"' in result.stdout
    assert result.returncode == 0  # warnings and info only


def test_scores_equal_textstat_on_real_prose(shared):
    """The fast scorer gives textstat's numbers exactly, on sections of real documentation."""
    import tarfile

    from collateral_guard.rules.readability import scores

    compared = 0
    with tarfile.open(shared / "corpora" / "vba-docs-markdown.tar.xz") as archive:
        for member in archive:
            if not member.name.endswith(".md") or compared >= 150:
                continue
            text = archive.extractfile(member).read().decode("utf-8", "replace")
            if len(text) < 400:
                continue
            compared += 1
            assert scores(text).grade == textstat.flesch_kincaid_grade(text), member.name
            assert scores(text).ease == textstat.flesch_reading_ease(text), member.name
    assert compared == 150


def test_scores_equal_textstat_on_collateral():
    from collateral_guard.rules.readability import scores

    for text in (SECTION, "Short. Very short.", "", "Don't over-engineer best-in-class, state-of-the-art APIs.",
                 "Über-fast naïve café résumé: 99.9% uptime, P95 of 40 ms!"):
        assert scores(text).grade == textstat.flesch_kincaid_grade(text)
        assert scores(text).ease == textstat.flesch_reading_ease(text)
