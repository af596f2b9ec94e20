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
    "sophisticated quantitative evaluation of interoperability characteristics. Institutional "
    "stakeholders necessitate comprehensive documentation. Organisational readiness indicators "
    "necessitate continuous recalibration across geographically distributed operational "
    "divisions and their contractual dependencies. Interoperability certification presupposes "
    "standardised telemetry, reproducible configuration management and auditable authorisation "
    "hierarchies. Comprehensive modernisation therefore necessitates considerable institutional "
    "commitment, substantial organisational investment and sustained executive sponsorship "
    "throughout the implementation lifecycle. Subsequent operationalisation necessitates "
    "methodical institutionalisation of organisational accountability, comprehensive "
    "interoperability verification and systematic documentation of architectural "
    "considerations. Accordingly, institutional governance necessitates periodic reassessment."
)


def test_section_grade_matches_textstat():
    text = f"# Approach\n\n{SECTION}\n\n# Pricing\n\nIt costs ten dollars a seat. You pay each month.\n"
    result = scan_text(text, select=("hard-to-read-section",))
    expected = textstat.flesch_kincaid_grade(SECTION)  # paragraphs only: the heading is not graded
    ease = textstat.flesch_reading_ease(SECTION)
    [section] = result.findings
    assert (section.line, section.column, section.end_column) == (1, 3, 11)
    assert section.message.startswith(f"Section reads at grade {expected:.1f} (target 16.5 or below; "
                                      f"Flesch reading ease {ease:.1f})")
    [document] = scan_text(text, select=("hard-to-read-document",)).findings
    whole = textstat.flesch_kincaid_grade(f"{SECTION}\nIt costs ten dollars a seat. You pay each month.")
    assert (document.line, document.column) == (1, 3)
    assert document.message.startswith(f"The document as a whole reads at grade {whole:.1f}")


def test_thresholds_are_configurable(tmp_path):
    text = f"# Approach\n\n{SECTION}\n"
    config = make_config({"rules": {"hard-to-read-section": {"max-grade": 60}, "long-sentence": {"max-words": 18}}},
                         tmp_path)
    result = scan_text(text, config=config, select=("readability",))
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("long-sentence", 3, 1)]
    assert result.findings[0].message == "Sentence of 20 words (limit 18): split it and lead with the point."


def test_lists_tables_and_headings_are_not_graded():
    bullets = "\n".join(f"- {w} multidimensional interoperability orchestration capabilities"
                        for w in ("Comprehensive", "Institutional", "Heterogeneous", "Organisational"))
    table = ("| Capability | Description |\n|---|---|\n"
             "| Interoperability | Multidimensional organisational orchestration considerations |\n")
    text = f"# Capabilities\n\n{bullets}\n\n{table}\n# Approach\n\n{SECTION}\n"
    result = scan_text(text, select=("readability",))
    # Only the prose paragraph under "Approach" is graded; it is one section of the document.
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("hard-to-read-section", 12, 3)]


def test_too_few_sentences_to_grade():
    four = SECTION.rsplit(" Interoperability certification", 1)[0]  # 4 sentences: the default minimum is 5
    assert scan_text(f"# Approach\n\n{four}\n", select=("hard-to-read-section",)).findings == []
    result = scan_text(f"# Approach\n\n{SECTION}\n", select=("hard-to-read-section",))
    assert [(f.line, f.column) for f in result.findings] == [(1, 3)]


def test_line_breaks_a_reader_sees_end_sentences():
    words = " ".join(["word"] * 23)
    hard_break = f"Lead {words}  \nnext {words}.\n"  # two trailing spaces: a visible line break
    html_break = f"Lead {words}<br>next {words}.\n"
    soft_break = f"Lead {words}\nnext {words}.\n"
    assert scan_text(hard_break, select=("long-sentence",)).findings == []
    assert scan_text(html_break, select=("long-sentence",)).findings == []
    assert [(f.line, f.column) for f in scan_text(soft_break, select=("long-sentence",)).findings] == [(1, 1)]
    # The sentence shown with a finding stops at the break too.
    [finding] = scan_text(f"Our sync has the {words} features<br>It is fast.\n", select=("vague-claim",)).findings
    assert finding.context == "It is fast."


def test_a_long_list_item_is_not_a_long_sentence():
    words = " ".join(["word"] * 40)
    assert scan_text(f"- {words}\n", select=("long-sentence",)).findings == []


def test_long_sentence_default_is_45_words():
    words = " ".join(["word"] * 45)
    assert scan_text(f"{words.capitalize()}.\n", select=("long-sentence",)).findings == []
    result = scan_text(f"Short one. {words.capitalize()} more.\n", select=("long-sentence",))
    assert [(f.line, f.column, f.end_column) for f in result.findings] == [(1, 12, 242)]


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


def test_bounded_scores_decide_as_textstat_on_real_prose(shared):
    """With a target, the scorer may stop early (syllable bounds), but says None exactly when
    textstat's grade is at or under the target, and textstat's numbers otherwise."""
    import tarfile

    from collateral_guard.rules.readability import scores

    decided = {True: 0, False: 0}
    with tarfile.open(shared / "corpora" / "vba-docs-markdown.tar.xz") as archive:
        for member in archive:
            if not member.name.endswith(".md") or sum(decided.values()) >= 300:
                continue
            text = archive.extractfile(member).read().decode("utf-8", "replace")
            if len(text) < 400:
                continue
            expected = textstat.flesch_kincaid_grade(text)
            for target in (expected - 0.5, expected + 0.5):
                bounded = scores(text, above=target)
                if expected <= target:
                    assert bounded is None, member.name
                else:
                    assert bounded.grade == expected, member.name
                decided[expected <= target] += 1
    assert decided == {True: 150, False: 150}


def test_word_lookups_agree_with_the_whole_table_without_reading_it(tmp_path, monkeypatch):
    from collateral_guard.rules import english_words

    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path))
    table = english_words._english_table()
    path = english_words._cached_file("english-words", english_words._english_source(),
                                      english_words._english_table)
    assert path is not None and path.parent == tmp_path
    words = english_words.SortedWords(path, english_words._english_table)
    sample = sorted(table)[::997] + ["abbé", "zzzzq", "recieve", "", "a\tb"]
    assert [words.get(w) for w in sample] == [table.get(w) for w in sample]
    assert ("separate" in words, "seperate" in words) == (True, False)
    assert sorted(words.starting_with("separat")) == sorted((w, c) for w, c in table.items()
                                                            if w.startswith("separat"))
    assert not words.fully_read  # single lookups search the file
    assert words.known_among({"receive", "recieve", "relieve"}) == {"receive", "relieve"}
    assert words.known_among(sorted(table)[:5_000]) == set(sorted(table)[:5_000])  # many: read once
    assert words.fully_read and words.get("separate") == table["separate"]


def test_a_one_file_check_reads_neither_word_table_whole(tmp_path):
    (tmp_path / "doc.md").write_text("We will recieve the data and seperate the tenants' webhooks.\n")
    script = ("import sys\nfrom collateral_guard.cli import cli\n"
              "from collateral_guard.rules.english_words import english_words, supplement_words\n"
              "try:\n    cli(['check', 'doc.md', '--select', 'spelling', '--fail-on', 'never'])\n"
              "except SystemExit:\n    pass\n"
              "print(english_words().fully_read, supplement_words().fully_read, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert "doc.md:1:9" in done.stdout and "separate" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False False"


def test_a_grade_is_compared_as_it_is_shown():
    """Grade 35.6467 reads "35.6": at a target of 35.6 the section is on target, not above it."""
    text = f"# Approach\n\n{SECTION} The team agrees.\n"
    on_target = make_config({"rules": {"hard-to-read-section": {"max-grade": 35.6}}})
    assert [f.rule for f in scan_text(text, config=on_target, select=("hard-to-read-section",)).findings] == []
    below = make_config({"rules": {"hard-to-read-section": {"max-grade": 35.5}}})
    found = scan_text(text, config=below, select=("hard-to-read-section",)).findings
    assert [(f.rule, f.line, f.column) for f in found] == [("hard-to-read-section", 1, 3)]
    assert found[0].message.startswith("Section reads at grade 35.6 (target 35.5 or below")
