"""Positions are exact: 1-based line and column (Unicode code points) of the offending text, and its end."""

from __future__ import annotations

from conftest import scan_text


def spans(text: str, rule: str = "draft-marker"):
    result = scan_text(text, select=(rule,))
    assert result.error is None
    return [(f.line, f.column, f.end_line, f.end_column, f.match) for f in result.findings if f.rule == rule]


def test_plain_paragraph():
    assert spans("# Pricing\n\nThe price is TBD for now.\n") == [(3, 14, 3, 17, "TBD")]


def test_inside_table_cells():
    text = "| Item | Price |\n|------|-------|\n| Seats | **TBD** per seat |\n| Support | TODO |\n"
    assert spans(text) == [(3, 13, 3, 16, "TBD"), (4, 13, 4, 17, "TODO")]


def test_inside_nested_lists():
    text = "- Licensing\n  - Seats: TBD\n    and more TODO\n1. Step one TBC\n"
    assert spans(text) == [(2, 12, 2, 15, "TBD"), (3, 14, 3, 18, "TODO"), (4, 13, 4, 16, "TBC")]


def test_inside_link_text_and_emphasis():
    text = "See [the TBD page](https://example.com/x) and *emphasised TODO* or __bold FIXME__.\n"
    assert spans(text) == [(1, 10, 1, 13, "TBD"), (1, 59, 1, 63, "TODO"), (1, 75, 1, 80, "FIXME")]


def test_after_front_matter():
    text = "---\ntitle: Brief TBD\nowner: TODO\n---\n\nBody TBD.\n"
    assert spans(text) == [(2, 14, 2, 17, "TBD"), (3, 8, 3, 12, "TODO"), (6, 6, 6, 9, "TBD")]


def test_crlf_line_endings():
    text = "# Title\r\n\r\nFirst line\r\nsecond TBD line\r\n"
    assert spans(text) == [(4, 8, 4, 11, "TBD")]


def test_tabs_count_as_one_column():
    text = "\tIndented code is not prose\n\nA\ttabbed TBD value\n"
    assert spans(text) == [(3, 10, 3, 13, "TBD")]


def test_non_ascii_counts_code_points():
    text = "Überblick — 価格は TBD です 🚀 TODO\n"
    assert spans(text) == [(1, 17, 1, 20, "TBD"), (1, 26, 1, 30, "TODO")]


def test_blockquote_and_heading():
    text = "> Quoted answer: TBD\n\n## Heading TODO ##\n"
    assert spans(text) == [(1, 18, 1, 21, "TBD"), (3, 12, 3, 16, "TODO")]


def test_escapes_and_entities_keep_alignment():
    text = "AT\\&T &amp; partners: TBD\n"
    assert spans(text) == [(1, 23, 1, 26, "TBD")]


def test_span_across_a_soft_line_break():
    text = "Our platform is, in short,\nthe most\nadvanced option.\n"
    result = scan_text(text, select=("unsourced-superlative",))
    assert [(f.line, f.column, f.end_line, f.end_column) for f in result.findings] == [(2, 1, 3, 9)]


def test_code_is_not_prose():
    text = "Run `TODO` here.\n\n```\nTODO in code\n```\n\n    TBD indented code\n"
    assert spans(text) == []


def test_an_optional_space_in_a_term_matches_with_and_without_it():
    from collateral_guard.rules.packs import terms_pattern
    from collateral_guard.rules.regex import compile_re2

    pattern = compile_re2(terms_pattern([r"no\. ?1", "market[- ]leading"], True))
    assert [m.group() for m in pattern.finditer("No.1 and no. 1 and market leading and market\nleading")] == [
        "No.1", "no. 1", "market leading", "market\nleading"]


def test_a_raw_html_block_ends_at_any_raw_closing_tag():
    # CommonMark ends a <script> block at the first line with </script>, </style>, </pre> or </textarea>
    text = "<script setup>\nconst size = 1\n</style>\n\n# Pricing TBD\n\nSeats: TODO\n"
    assert spans(text) == [(5, 11, 5, 14, "TBD"), (7, 8, 7, 12, "TODO")]


def test_image_alt_text_over_two_lines():
    assert spans("![Architecture diagram,\nversion TBD](diagram.png)\n") == [(2, 9, 2, 12, "TBD")]


def test_text_after_escapes_in_a_table_cell():
    text = "| Key | Meaning |\n|---|---|\n| \\| and \\* | The \\*TODO\\* list |\n"
    assert spans(text) == [(3, 21, 3, 25, "TODO")]


def test_deep_nesting_is_read():
    assert spans("> " * 3000 + "Price TBD\n") == [(1, 6007, 1, 6010, "TBD")]
