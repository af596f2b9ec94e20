"""The text report: the underline marks the finding's own position, one line per finding, a line gutter."""

from __future__ import annotations

import io

from collateral_guard.reporters.text import TextReporter
from conftest import scan_text


def report(text: str, select: tuple[str, ...], name: str = "doc.md") -> list[str]:
    stream = io.StringIO()
    TextReporter(stream, color=False).file_done(scan_text(text, name=name, select=select))
    return stream.getvalue().splitlines()


def test_a_term_used_twice_is_underlined_where_each_finding_is():
    lines = report("The platform is fast, and the fast sync stays fast.\n", ("unmeasured-performance",))
    assert lines == [
        "doc.md:1:17: warning unmeasured-performance Vague performance claim 'fast': state the measurement "
        "(a number with its unit) in the same sentence.",
        "  |",
        "1 | The platform is fast, and the fast sync stays fast.",
        "  |                 ^~~~",
        "doc.md:1:31: warning unmeasured-performance Vague performance claim 'fast': state the measurement "
        "(a number with its unit) in the same sentence.",
        "  |",
        "1 | The platform is fast, and the fast sync stays fast.",
        "  |                               ^~~~",
        "doc.md:1:47: warning unmeasured-performance Vague performance claim 'fast': state the measurement "
        "(a number with its unit) in the same sentence.",
        "  |",
        "1 | The platform is fast, and the fast sync stays fast.",
        "  |                                               ^~~~",
    ]


def test_wide_characters_take_two_columns():
    lines = report("# Intro\n\n東京のチーム is world-class.\n", ("unsourced-superlative",))
    assert lines[0].startswith("doc.md:3:11: warning unsourced-superlative")
    assert lines[2:4] == ["3 | 東京のチーム is world-class.", "  |                 ^~~~~~~~~~~"]


def test_a_match_across_a_line_break_is_one_finding_line_and_two_source_lines():
    lines = report("Prepared for [CLIENT\nNAME] by our team.\n", ("template-field",))
    assert lines == [
        "doc.md:1:14: error template-field Unfilled template field '[CLIENT NAME]': replace it with the real value.",
        "  |",
        "1 | Prepared for [CLIENT",
        "  |              ^~~~~~~",
        "2 | NAME] by our team.",
        "  | ^~~~~",
    ]


def test_the_gutter_is_as_wide_as_the_line_number():
    lines = report("\n" * 11 + "Our world-class team.\n", ("unsourced-superlative",))
    assert lines[1:4] == ["   |", "12 | Our world-class team.", "   |     ^~~~~~~~~~~"]


def test_a_secret_is_masked_in_the_source_line():
    key = "AKIA" + "Z7QX3JD5RT2WLMHP"
    lines = report(f"Use the key {key} to connect.\n", ("secret",))
    assert key not in "\n".join(lines)
    assert lines[2] == "1 | Use the key AKIA**** to connect."
    assert lines[3] == "  |             ^~~~~~~~"


def test_long_lines_show_a_window_around_the_match():
    padding = "word " * 60
    lines = report(f"{padding}and we are fast {padding}\n", ("unmeasured-performance",))
    assert lines[0].startswith("doc.md:1:312: warning")
    shown, underline = lines[2], lines[3]
    assert shown.startswith("1 | …") and shown.endswith("…")
    assert shown[underline.index("^"):].startswith("fast")
