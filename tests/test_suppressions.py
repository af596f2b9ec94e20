"""Inline suppression comments, and reports of the ones that matched nothing."""

from __future__ import annotations

from conftest import scan_text, where


def test_ignore_next_line_by_rule_and_by_category():
    text = ("<!-- collateral-guard: ignore unsourced-superlative -->\n"
            "A market-leading platform. Pricing TBD.\n\n"
            "<!-- collateral-guard: ignore placeholder -->\n"
            "A market-leading platform. Pricing TBD.\n")
    result = scan_text(text, select=("superlative", "placeholder"))
    assert where(result.findings) == [("draft-marker", 2, 36), ("unsourced-superlative", 5, 3)]
    assert result.unused_suppressions == []


def test_same_line_comment_covers_its_own_line():
    text = "A market-leading platform. <!-- collateral-guard: ignore superlative -->\nAnd cutting-edge.\n"
    result = scan_text(text, select=("superlative",))
    assert where(result.findings) == [("unsourced-superlative", 2, 5)]


def test_disable_and_enable_a_block():
    text = ("<!-- collateral-guard: disable jargon -->\n"
            "The BU and the QBR.\n\nP1 tickets.\n"
            "<!-- collateral-guard: enable jargon -->\n\n"
            "The BU again.\n")
    result = scan_text(text, select=("jargon",))
    assert where(result.findings) == [("org-shorthand", 7, 1)]


def test_disable_without_enable_runs_to_the_end():
    text = "<!-- collateral-guard: disable -->\nTBD and the BU.\n\nMore TODO.\n"
    result = scan_text(text, select=("jargon", "placeholder"))
    assert result.findings == []


def test_unused_suppressions_are_reported():
    text = ("<!-- collateral-guard: ignore superlative -->\n"
            "A plain sentence.\n\n"
            "<!-- collateral-guard: disable placeholder -->\nNothing here.\n"
            "<!-- collateral-guard: enable placeholder -->\n")
    result = scan_text(text, select=("superlative", "placeholder"))
    assert [(u.line, u.column, u.message) for u in result.unused_suppressions] == [
        (1, 1, "unused suppression 'ignore superlative': nothing here matched it; remove it"),
        (4, 1, "unused suppression 'disable placeholder': nothing here matched it; remove it"),
    ]


def test_a_word_comment_accepts_a_finding_on_the_text_it_is_anchored_on():
    from docx_builder import build_docx

    data = build_docx("[heading: 5. Security]\n"
                      "Encryption is [around unrivalled: collateral-guard: ignore superlative - approved by legal] "
                      "and world-class.\n"
                      "A plain sentence.[around plain: collateral-guard: ignore jargon]\n")
    result = scan_text(data, name="answer.docx", select=("superlative", "hidden-content", "jargon"))
    # The accepted match is gone, the one outside the commented range stays, and the directive
    # comment itself is not reported as hidden content.
    assert [(f.rule, f.part, f.line, f.column, f.match) for f in result.findings] == [
        ("unsourced-superlative", "body", 2, 30, "world-class")]
    assert [(u.line, u.column, u.message) for u in result.unused_suppressions] == [
        (3, 18, "unused suppression 'ignore jargon' (Word comment 2): nothing here matched it; remove it")]


def test_an_ordinary_word_comment_is_still_hidden_content():
    from docx_builder import build_docx

    data = build_docx("Encryption is [around unrivalled: please check collateral-guard: ignore superlative].\n")
    result = scan_text(data, name="answer.docx", select=("superlative", "hidden-content"))
    assert [(f.rule, f.part) for f in result.findings] == [("unsourced-superlative", "body"),
                                                           ("hidden-content", "comment")]
