"""The competitor registry, the competitor rules in Word documents, and one finding per problem."""

from __future__ import annotations

import io
import re

import pytest

from collateral_guard.config import load_config
from collateral_guard.errors import FatalError
from collateral_guard.rules.registry import active_rules
from conftest import make_config, scan_text, where
from docx_builder import build_docx

REGISTRY = {
    "competitors": {"bigco": {"names": ["BigCo"], "products": ["BigCo Stream"]}, "globex": {"names": ["Globex"]}},
    "rules": {"competitor": {"today": "2026-11-21"}},
}


def test_competitor_table_validation(tmp_path):
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('[competitors.bigco]\nnames = ["BigCo"]\nproducts = ["BigCo Stream"]\n')
    competitor = load_config(path).competitors["bigco"]
    assert (competitor.names, competitor.products) == (("BigCo",), ("BigCo Stream",))
    path.write_text('[competitors.bigco]\nnames = ["BigCo"]\naliases = ["B"]\n')
    with pytest.raises(FatalError, match=r"unknown key 'competitors\.bigco\.aliases'"):
        load_config(path)
    path.write_text('[competitors.bigco]\nnames = "BigCo"\n')
    with pytest.raises(FatalError, match=r"key 'competitors\.bigco\.names' must be a list of strings"):
        load_config(path)
    path.write_text('[competitors.bigco]\nproducts = ["BigCo Stream"]\n')
    with pytest.raises(FatalError, match=r"competitors\.bigco: a competitor needs at least one name"):
        load_config(path)


def test_competitors_file_csv_and_yaml(tmp_path):
    (tmp_path / "rivals.csv").write_text("id,names,products\nbigco,BigCo;BigCo Data,BigCo Stream\nglobex,Globex,\n",
                                         encoding="utf-8")
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('competitors-file = "rivals.csv"\n')
    competitors = load_config(path).competitors
    assert competitors["bigco"].names == ("BigCo", "BigCo Data")
    assert competitors["bigco"].products == ("BigCo Stream",)
    assert competitors["globex"].products == ()

    (tmp_path / "rivals.yml").write_text("box:\n  names: [Box]\n  case-sensitive: true\n")
    path.write_text('competitors-file = "rivals.yml"\n')
    assert load_config(path).competitors["box"].case_sensitive is True
    (tmp_path / "rivals.yml").write_text("box:\n  names: [Box]\n  size: 3\n")
    with pytest.raises(FatalError, match=r"rivals\.yml: unknown key 'box\.size'"):
        load_config(path)
    (tmp_path / "rivals.yml").write_text("- Box\n- Globex Cloud\n")  # a plain list of names
    assert {c.id: c.names for c in load_config(path).competitors.values()} == {
        "box": ("Box",), "globex cloud": ("Globex Cloud",)}
    (tmp_path / "rivals.yml").write_text("- [Box]\n")
    with pytest.raises(FatalError, match=r"rivals\.yml: must map competitor ids to tables, or be a list of names"):
        load_config(path)
    (tmp_path / "rivals.csv").write_text("name\nBigCo\n", encoding="utf-8")
    path.write_text('competitors-file = "rivals.csv"\n')
    with pytest.raises(FatalError, match=r"CSV needs columns id and names"):
        load_config(path)


def test_category_settings_are_checked(tmp_path):
    with pytest.raises(FatalError, match=r"key 'rules\.competitor\.max-age-days' must be int"):
        active_rules(make_config({"rules": {"competitor": {"max-age-days": "six months"}}}, tmp_path))
    with pytest.raises(FatalError, match=r"unknown key 'rules\.competitor\.max-age'"):
        active_rules(make_config({"rules": {"competitor": {"max-age": 30}}}, tmp_path))
    with pytest.raises(FatalError, match=r"'max-age-days' must be a positive number of days"):
        active_rules(make_config({"rules": {"competitor": {"max-age-days": 0}}}, tmp_path))
    with pytest.raises(FatalError, match=r"'today' must be a date written YYYY-MM-DD"):
        active_rules(make_config({"rules": {"competitor": {"today": "21/11/2026"}}}, tmp_path))


def test_today_decides_staleness(tmp_path):
    text = "---\ntitle: Us vs BigCo\nlast-verified: 2026-03-01\n---\n\n| Feature | Us | BigCo |\n|---|---|---|\n" \
           "| Backups | Hourly | Daily |\n"
    fresh = make_config({**REGISTRY, "rules": {"competitor": {"today": "2026-05-01"}}}, tmp_path)
    stale = make_config({**REGISTRY, "rules": {"competitor": {"today": "2026-11-21"}}}, tmp_path)
    assert where(scan_text(text, config=fresh, select=("competitor",)).findings) == []
    found = scan_text(text, config=stale, select=("competitor",)).findings
    assert where(found) == [("competitor-stale-comparison", 3, 16)]
    assert "2026-03-01, 265 days ago (more than max-age-days 180)" in found[0].message


def test_a_page_date_stands_in_for_a_missing_verification_date(tmp_path):
    text = "---\ntitle: Us vs BigCo\ndate: 2025-02-01\n---\n\n| Feature | Us | BigCo |\n|---|---|---|\n" \
           "| Backups | Hourly | Daily |\n"
    found = scan_text(text, config=make_config(REGISTRY, tmp_path), select=("competitor",)).findings
    assert where(found) == [("competitor-stale-comparison", 3, 7)]
    assert "its page date" in found[0].message


def test_word_table_rows_and_columns_belong_to_their_competitor(tmp_path):
    data = build_docx(
        "[heading: Us and BigCo]\n"
        "[table: Feature | Us | BigCo ; Single sign-on | Yes | No ; Failover | Automatic | Slow and manual]\n"
        "[table: Vendor | Notes ; Globex | Clunky console ; Contoso | Hourly backups]\n"
        "Last verified: 2 November 2026\n"
    )
    found = scan_text(data, name="battlecard.docx", config=make_config(REGISTRY, tmp_path),
                      select=("competitor",)).findings
    located = [(f.rule, f.match, re.search(r"table \d+, row \d+, cell \d+", f.message).group()) for f in found]
    # "No" is the feature matrix's value (the table as a whole needs its verification date), not a claim.
    assert located == [
        ("competitor-negative-claim", "Slow", "table 1, row 3, cell 3"),
        ("competitor-negative-claim", "Clunky", "table 2, row 2, cell 2"),
    ]


def test_a_word_document_written_by_python_docx(tmp_path):
    """A real producer's table: python-docx writes the cells its own way."""
    import docx

    document = docx.Document()
    document.add_heading("Us vs BigCo", level=1)
    document.add_paragraph("Unlike BigCo, we encrypt every backup.")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Feature", "Us", "BigCo Stream")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("Audit log", "Yes", "Clunky export")):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    found = scan_text(buffer.getvalue(), name="brief.docx", config=make_config(REGISTRY, tmp_path),
                      select=("competitor",)).findings
    assert [(f.rule, f.match) for f in found] == [
        ("competitor-stale-comparison", "Us vs BigCo"),
        ("competitor-comparison", "Unlike BigCo"),
        ("competitor-negative-claim", "Clunky"),
    ]


def test_claims_about_competitors_supersede_claim_findings_on_the_same_words(tmp_path):
    config = make_config(REGISTRY, tmp_path)
    text = "Our platform is the only platform that runs 3x faster than BigCo.\n\nOur platform is unrivaled.\n"
    found = scan_text(text, config=config, select=("competitor", "superlative", "vague-claim")).findings
    assert where(found) == [("competitor-comparison", 1, 17), ("unsourced-superlative", 3, 17)]
    # Without the competitor rules, the same words are superlative findings.
    found = scan_text(text, config=config, select=("superlative",)).findings
    assert where(found) == [("unsourced-superlative", 1, 17), ("unsourced-superlative", 3, 17)]


def test_no_registry_still_catches_comparisons_with_the_competition():
    found = scan_text("We are 3x faster than the competition.\n\nBigCo is slow.\n", select=("competitor",)).findings
    assert where(found) == [("competitor-comparison", 1, 8)]


def test_a_checked_document_is_not_kept_alive(tmp_path):
    """The competitor rules share one analysis per view; keeping the view itself kept a large workbook's
    every segment alive into the next file (and the collector walking them) until the process ended."""
    import sys

    from collateral_guard.engine import check_document
    from collateral_guard.readers import read_document
    from collateral_guard.rules.base import DocumentFacts

    rules = active_rules(make_config(REGISTRY, tmp_path), ("competitor",))
    document = read_document("battlecard.md", b"| Feature | BigCo |\n|---|---|\n| Setup | Slow |\n", 100)
    cells, first = document.segments, document.segments[0]
    held = sys.getrefcount(cells), sys.getrefcount(first)
    assert sorted(f.rule for f in check_document(document, rules, DocumentFacts())) == [
        "competitor-negative-claim", "competitor-stale-comparison"]
    assert (sys.getrefcount(cells), sys.getrefcount(first)) == held


def test_workbook_and_deck_tables_belong_to_their_competitor(tmp_path):
    """A sheet is one table (its first row the header); a slide's table is read cell by cell."""
    import openpyxl
    import pptx
    from pptx.util import Inches

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Battlecard"
    for row in (["Feature", "Us", "BigCo"], ["Single sign-on", "Yes", "Slow to set up"], ["Last verified: 2 November 2026"]):
        sheet.append(row)
    vendors = workbook.create_sheet("Vendors")
    for row in (["Vendor", "Notes"], ["Globex", "Clunky console"], ["Contoso", "Hourly backups"]):
        vendors.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = scan_text(buffer.getvalue(), name="battlecard.xlsx", config=make_config(REGISTRY, tmp_path),
                      select=("competitor-negative-claim",)).findings
    assert sorted((f.match, f.location["sheet"], f.location["cell"]) for f in found) == [
        ("Clunky", "Vendors", "B2"), ("Slow", "Battlecard", "C2")]

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    table = slide.shapes.add_table(2, 3, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for column, (head, value) in enumerate(zip(("Feature", "Us", "BigCo Stream"), ("Failover", "Automatic", "Slow"))):
        table.cell(0, column).text, table.cell(1, column).text = head, value
    buffer = io.BytesIO()
    deck.save(buffer)
    found = scan_text(buffer.getvalue(), name="deck.pptx", config=make_config(REGISTRY, tmp_path),
                      select=("competitor-negative-claim",)).findings
    assert [(f.match, f.location["row"], f.location["cell"]) for f in found] == [("Slow", 2, 3)]


def test_a_list_of_names_in_a_deck_workbook_and_word_document(tmp_path):
    """`competitors = [...]` alone registers them; the claims are found in speaker notes (also about the
    slide's one competitor when the notes open with "they"), a workbook's cells and a Word comment."""
    from office_builder import deck, workbook

    path = tmp_path / ".collateral-guard.toml"
    path.write_text('competitors = ["BigCo", "Globex"]\n[rules.competitor]\ntoday = "2026-11-21"\n')
    config = load_config(path)
    assert sorted(config.competitors) == ["bigco", "globex"]

    slides = deck([
        {"title": "Why teams leave BigCo", "body": "Migration takes a weekend.",
         "notes": "they are short of runway and may not be around next year."},
        {"title": "Pricing", "body": "One price per node.",
         "notes": "Globex is common at hospitals. Their collectors are a compliance liability."},
        {"title": "BigCo and Globex", "body": "Both export to Parquet.", "notes": "They hide fees in renewals."},
    ])
    found = scan_text(slides, name="deck.pptx", config=config, select=("competitor-negative-claim",)).findings
    assert [(f.match, f.location["slide"]) for f in found] == [
        ("they are short of runway and may not be around next", 1),
        ("Their collectors are a compliance liability", 2),
    ]

    book = workbook({"Talk track": {"A1": "Competitor", "B1": "Objection handling",
                                    "A2": "Globex", "B2": "Hides fees in every renewal; buyers get stung.",
                                    "A4": "BigCo's agents time out on long scans."}})
    found = scan_text(book, name="talk.xlsx", config=config, select=("competitor-negative-claim",)).findings
    assert sorted((f.match, f.location["cell"]) for f in found) == [
        ("BigCo's agents time out on", "A4"), ("Hides fees", "B2")]

    document = build_docx("Exports run nightly.[comment by Jane Doe: Globex went down for two days last spring.]\n")
    found = scan_text(document, name="brief.docx", config=config, select=("competitor-negative-claim",)).findings
    assert [(f.match, f.part) for f in found] == [("Globex went down for two days", "comment")]
