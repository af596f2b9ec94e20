"""Benchmark the PowerPoint and Excel readers: a 200-slide deck and 50,000-row workbooks.

    pip install -e ".[test]"        # python-pptx and openpyxl write the files
    python bench/office.py           # prints a Markdown table; targets: each under 2 s and 200 MB

Each file is scanned by `collateral-guard check FILE --jobs 1` in a fresh process
(all default rules), measured for wall time, CPU time and peak resident memory by
run.py's launcher; the median of --repeat runs is kept. Also walks the Apache POI
corpus (../shared/corpora/office-wild/apache-poi, or under $COLLATERAL_GUARD_SHARED) when present.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import zipfile
from pathlib import Path

import run
from run import cg, measure

SHARED = Path(os.environ.get("COLLATERAL_GUARD_SHARED") or run.ROOT.parent / "shared")  # as in the tests

QUESTIONS = [
    "Do you encrypt customer data at rest and in transit?",
    "Describe how administrative access to production systems is granted and reviewed.",
    "How long are audit logs retained, and who can read them?",
    "Do you run annual penetration tests by an independent firm?",
    "Which identity providers can be connected for single sign-on?",
]
ANSWERS = [
    "Yes. Data is encrypted with AES-256 at rest and TLS 1.2 or later in transit; keys rotate every 90 days.",
    "Access is requested through a ticket, approved by the service owner, and reviewed every quarter.",
    "Audit logs are kept for 400 days and can be exported to your own storage at any time.",
    "Yes. The summary letter of the latest test is available under NDA.",
    "Any SAML 2.0 or OpenID Connect provider, including Entra ID and Okta.",
    "Pricing: TBD",  # a planted finding in every sixth answer
]
SLIDE_BODIES = [
    "Ingests events from 40 source types and stores them in your region.",
    "Supports up to 10,000 concurrent connections with sub-100ms P95 latency on the standard tier.",
    "Each tenant is isolated at the storage layer.",
    "Trusted by Contoso for three years.",  # another customer: a planted finding
]


def build_deck(path: Path, slides: int) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    rng = random.Random(15)
    deck = Presentation()
    for number in range(1, slides + 1):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Northwind for Fabrikam: topic {number}"
        body = slide.placeholders[1].text_frame
        body.text = rng.choice(SLIDE_BODIES)
        for _ in range(3):
            body.add_paragraph().text = rng.choice(SLIDE_BODIES)
        box = slide.shapes.add_textbox(Inches(1), Inches(6.5), Inches(6), Inches(0.5))
        box.text_frame.text = f"Source: Northwind benchmark report {number}, 2026."
        slide.notes_slide.notes_text_frame.text = "Walk through the numbers; pause for questions."
    deck.save(path)


def build_workbook(path: Path, rows: int, shared_strings: bool = False) -> None:
    """Inline strings, as openpyxl writes them (a 16 MB sheet part); with ``shared_strings``, the same cells
    pointing into one table of distinct strings, as Excel saves a workbook."""
    import openpyxl

    rng = random.Random(15)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Security")
    sheet.append(["ID", "Question", "Answer", "Owner"])
    for number in range(1, rows + 1):
        sheet.append([number, rng.choice(QUESTIONS), rng.choice(ANSWERS), f"Team {number % 17}"])
    book.save(path)
    if shared_strings:
        _share_strings(path)


INLINE_CELL = re.compile(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>')


def _share_strings(path: Path) -> None:
    """Rewrites openpyxl's inline strings as Excel writes them: a shared-string table (xl/sharedStrings.xml)
    and cells of type "s" holding an index into it."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    table: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = table.setdefault(match.group(2), len(table))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = INLINE_CELL.sub(shared, parts[sheet].decode()).encode()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{text}</t></si>" for text in table)
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{main}" count="{len(table)}" uniqueCount="{len(table)}">'
                                     f"{items}</sst>").encode()
    relationship = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'sharedStrings" Target="sharedStrings.xml" Id="rIdShared"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", relationship.encode())
    override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def build_price_list(path: Path, rows: int) -> None:
    """The other common shape of a large workbook: short cells, mostly codes and numbers."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Prices")
    sheet.append(["SKU", "Product", "Region", "Currency", "List price", "Discount"])
    for number in range(1, rows + 1):
        region = ("EMEA", "AMER", "APAC")[number % 3]
        sheet.append([f"{number:06d}-{region}", f"Northwind node, tier {number % 5 + 1}", region, "USD",
                      1200 + number % 700, 0.05 * (number % 4)])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=200)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-corpus", action="store_true", help="do not walk the Apache POI corpus")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / ".collateral-guard.toml").write_text(
            'vocabulary = ["Northwind"]\n[customers.fabrikam]\nnames = ["Fabrikam"]\n'
            '[customers.contoso]\nnames = ["Contoso"]\n[customer-paths]\n"*" = "fabrikam"\n')
        deck, book, prices = folder / "deck.pptx", folder / "questionnaire.xlsx", folder / "prices.xlsx"
        shared = folder / "questionnaire-shared-strings.xlsx"
        build_deck(deck, options.slides)
        build_workbook(book, options.rows)
        build_workbook(shared, options.rows, shared_strings=True)
        build_price_list(prices, options.rows)
        print("| file | size | wall | CPU | peak RSS | target |")
        print("|---|---|---|---|---|---|")
        for path, what in ((deck, f"{options.slides}-slide deck"),
                           (book, f"{options.rows:,}-row questionnaire (3 text cells a row, 150 characters)"),
                           (shared, f"{options.rows:,}-row questionnaire, shared strings (as Excel saves it)"),
                           (prices, f"{options.rows:,}-row price list (4 short text cells a row)")):
            result = measure(cg(path.name, "--jobs", "1"),
                             options.repeat, cwd=folder)
            met = "met" if result["wall"] < 2 and result["rss_mb"] < 200 else "missed"
            print(f"| {what} | {path.stat().st_size / 1e6:.1f} MB | {result['wall']:.2f} s | {result['cpu']:.2f} s "
                  f"| {result['rss_mb']:.0f} MB | < 2 s, < 200 MB: {met} |")
    corpus = SHARED / "corpora" / "office-wild" / "apache-poi"
    if corpus.is_dir() and not options.skip_corpus:
        files = sorted(p for p in corpus.iterdir() if p.is_file())
        result = measure(cg(str(corpus), "--jobs", "1"))
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"\nApache POI corpus: {len(files)} files, {size:.1f} MB: {result['wall']:.2f} s wall, "
              f"{result['cpu']:.2f} s CPU in one process, peak RSS {result['rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
