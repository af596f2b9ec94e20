"""Walks, file names and --output (issue 13, items 7-8): nothing outside the tree is read, nothing
the user asked about passes unseen, no report overwrites an input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from docx_builder import build_docx

CLAIM = "Our market-leading platform ships soon.\n"


def check(cwd: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "collateral_guard", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60, **kwargs)


def test_a_symbolic_link_out_of_the_tree_is_reported_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret-plan.md").write_text("The most advanced platform ever built.\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "brief.md").write_text(CLAIM)
    (tree / "linked.md").symlink_to(outside / "secret-plan.md")
    (tree / "linked-folder").symlink_to(outside)
    (tree / "inside.md").symlink_to(tree / "brief.md")  # inside the tree: read
    done = check(tmp_path, "tree")
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert "tree/linked-folder: error cannot scan: symbolic link to a folder outside tree: not followed" in lines
    assert "tree/linked.md: error cannot scan: symbolic link to a file outside tree: not followed" in lines
    assert "most advanced" not in done.stdout
    assert [line.split(":")[0] for line in lines if "unsourced-superlative" in line] == ["tree/brief.md", "tree/inside.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_never_opened(tmp_path):
    (tmp_path / "brief.md").write_text(CLAIM)
    os.mkfifo(tmp_path / "pipe.md")  # opened for reading, it would block forever
    done = check(tmp_path, ".")
    assert done.returncode == 2
    assert "pipe.md: error cannot scan: not a regular file (a FIFO, socket or device): not read" in done.stdout
    named = check(tmp_path, "pipe.md")  # named on the command line: refused the same way
    assert named.returncode == 2 and "not a regular file" in named.stdout


def test_an_unreadable_folder_is_an_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder, so no folder is unreadable to this run")
    base = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        (base / "docs").mkdir()
        (base / "docs" / "brief.md").write_text(CLAIM)
        (base / "docs" / "locked").mkdir()
        (base / "docs" / "locked" / "plan.md").write_text(CLAIM)
        os.chmod(base / "docs" / "locked", 0)
        done = check(base, "docs")
        assert done.returncode == 2, done.stderr
        assert "docs/locked: error cannot scan: cannot read folder: Permission denied" in done.stdout
        assert "docs/brief.md:1:5: warning unsourced-superlative" in done.stdout
    finally:
        os.chmod(base / "docs" / "locked", 0o755)
        import shutil

        shutil.rmtree(base)


def test_file_names_that_are_not_utf8_are_shown_in_every_format(tmp_path):
    name = b"caf\xe9-brief.md"
    with open(os.path.join(os.fsencode(tmp_path), name), "w") as handle:
        handle.write(CLAIM)
    for output_format in ("text", "json", "sarif", "github", "junit", "gitlab"):
        done = check(tmp_path, ".", "--format", output_format)
        assert done.returncode == 0, (output_format, done.stderr)
        shown = "caf%EF%BF%BD-brief.md" if output_format == "sarif" else "caf\ufffd-brief.md"  # SARIF: a URI
        assert shown in done.stdout, output_format


def test_upper_case_extensions_are_read_everywhere(tmp_path):
    (tmp_path / "BRIEF.MD").write_text(CLAIM)
    (tmp_path / "ANSWER.DOCX").write_bytes(build_docx("The platform is market-leading."))
    done = check(tmp_path, ".")
    assert sorted(re.findall(r"^(\S+?):\d+:\d+: warning unsourced-superlative", done.stdout, re.M)) == [
        "ANSWER.DOCX", "BRIEF.MD"]
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert all(re.search(hook["files"], name) for name in ("a.MD", "b.Markdown", "c.DOCX", "d.md"))
    assert not re.search(hook["files"], "e.txt")


# -- 8. --output -----------------------------------------------------------------------------

def test_output_naming_an_input_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "brief.md").write_text(CLAIM)
    done = check(tmp_path, "brief.md", "--output", "brief.md")
    assert done.returncode == 2
    assert done.stderr == "collateral-guard: error: --output brief.md is one of the files being checked: refused\n"
    assert (tmp_path / "brief.md").read_text() == CLAIM
    inside = check(tmp_path, ".", "--output", "report.md")
    assert inside.returncode == 2 and "would be checked as a document" in inside.stderr
    assert not (tmp_path / "report.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]  # no temporary file left either


def test_a_failed_run_keeps_the_previous_report(tmp_path):
    (tmp_path / "brief.md").write_text(CLAIM)
    (tmp_path / "report.json").write_text("previous report\n")
    done = check(tmp_path, "brief.md", "--output", "report.json", "--format", "json", "--customer", "nobody")
    assert done.returncode == 2
    assert (tmp_path / "report.json").read_text() == "previous report\n"
    ok = check(tmp_path, "brief.md", "--output", "report.json", "--format", "json")
    assert ok.returncode == 0 and '"unsourced-superlative"' in (tmp_path / "report.json").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "report.json"]


def test_since_refuses_an_option_as_revision(tmp_path):
    (tmp_path / "brief.md").write_text(CLAIM)
    done = check(tmp_path, ".", "--since=--output=/tmp/x")
    assert done.returncode == 2
    assert done.stderr == "collateral-guard: error: --since --output=/tmp/x: a revision cannot start with '-'\n"


# -- 10. escaping ------------------------------------------------------------------------------

HOSTILE = "The \x1b[2J\x1b]0;owned\x07market-leading\x0b platform\x1b[0m ships.\n"


def test_junit_stays_well_formed_with_control_characters(tmp_path):
    from xml.etree import ElementTree

    (tmp_path / "brief\x1b[31m.md").write_text(HOSTILE)
    done = check(tmp_path, ".", "--format", "junit")
    root = ElementTree.fromstring(done.stdout)  # raises on a control character
    failure = root.find(".//failure")
    assert "\\x1b[2J" in failure.text and "\x1b" not in failure.text
    assert root.find("testsuite").get("name") == "brief\\x1b[31m.md"


def test_text_output_sends_no_escape_sequence_to_the_terminal(tmp_path):
    (tmp_path / "brief\x1b[31m.md").write_text(HOSTILE)
    (tmp_path / "broken\x1b]0;x\x07.docx").write_bytes(b"PK not a zip")
    done = check(tmp_path, ".")
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\x0b" not in done.stdout
    assert "brief\\x1b[31m.md:1:" in done.stdout
    assert "broken\\x1b]0;x\\x07.docx: error cannot scan" in done.stdout
    json_run = check(tmp_path, ".", "--format", "json")
    assert "\x1b" not in json_run.stderr  # the one-line error on stderr is escaped too
