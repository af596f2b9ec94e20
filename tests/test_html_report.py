"""The HTML report: self-contained, escaped, one element per finding, streamed; rendered in a real browser."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from lxml import html as lxml_html

from collateral_guard.findings import Finding
from collateral_guard.reporters.html import SCRIPT_HASH, HtmlReporter
from collateral_guard.scan import FileResult
from conftest import ROOT
from docx_builder import build_docx

ARTIFACTS = ROOT / "build" / "test-artifacts"
# Each payload, if it ran, would mark the page; the report must show it as text.
PAYLOADS = {
    "script": "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
    "onerror": "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
}
FILE_NAME_PAYLOAD = "<svg onload=document.documentElement.setAttribute('data-pwned','name')>.md"
SECRET = "ak_live_9Qw2vTn4Hf8kLpR7mZx3"


@pytest.fixture(scope="module")
def collateral(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("collateral")
    (folder / ".collateral-guard.toml").write_text(
        'internal-domains = ["corp.acme.io"]\n[jargon]\n"Project Falcon" = "the analytics module"\n')
    (folder / "brief.md").write_text(
        "# Brief\n\n"
        f"Our market-leading platform `{PAYLOADS['script']}` ships next week.\n\n"
        "Sizing is on https://wiki.corp.acme.io/sizing for now.\n\n"
        f"## Start with {SECRET}\n\n"  # a heading is shown above the findings under it: masked
        f"Run `export ACME_API_KEY={SECRET}` to start. Project Falcon is fast.\n", encoding="utf-8")
    (folder / "answers.docx").write_bytes(build_docx(
        f"Our best-in-class answer {PAYLOADS['onerror']} is here.\n"
        "Pricing: TBD[comment by Jane Doe: check with the deal desk]"))
    (folder / FILE_NAME_PAYLOAD).write_text("The world-class team replies in minutes.\n", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "clean.md").write_text("The agent forwards 20,000 events per second.\n", encoding="utf-8")
    return folder


def check(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", *args], cwd=folder,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def reports(collateral):
    html_run = check(collateral, "--format", "html", "--output", "report.html")
    assert html_run.returncode == 2, html_run.stderr  # broken.docx could not be checked
    data = json.loads(check(collateral, "--format", "json").stdout)
    return (collateral / "report.html").read_text(encoding="utf-8"), data


def test_one_element_per_finding_with_its_data_attributes(reports):
    text, data = reports
    page = lxml_html.fromstring(text)
    elements = page.xpath('//*[contains(concat(" ", @class, " "), " finding ")]')
    assert len(data["findings"]) >= 8
    assert [(e.get("data-rule"), e.get("data-severity"), e.get("data-category"), e.get("data-file"))
            for e in elements] == [(f["rule"], f["severity"], f["category"], f["path"]) for f in data["findings"]]


def test_summary_chart_verdict_and_unchecked_files(reports):
    text, data = reports
    page = lxml_html.fromstring(text)
    verdict = page.get_element_by_id("verdict")
    assert verdict.get("data-verdict") == "incomplete"
    assert "broken.docx" in verdict.text_content()
    tiles = {t.xpath("string(span)"): t.xpath("string(b)") for t in page.xpath('//div[contains(@class,"tile")]')}
    assert tiles["files not checked"] == "1"
    assert tiles["files checked"] == str(len(data["files"]) - 1)
    assert tiles["errors"] == str(data["summary"]["by_severity"]["error"])
    bars = page.xpath("//svg//rect/title/text()")
    for category, count in data["summary"]["by_category"].items():
        shown = sum(int(t.split()[0]) for t in bars if t.endswith(f" in {category}"))
        assert shown == count, category


def test_document_text_is_escaped_never_live(reports):
    text, _ = reports
    page = lxml_html.fromstring(text)
    assert len(page.xpath("//script")) == 1  # the report's own
    assert not page.xpath("//img") and not page.xpath("//*[@onerror or @onload]")
    assert not page.xpath("//svg[@onload]")
    assert "&lt;script&gt;document.documentElement" in text
    assert "&lt;img src=x onerror=" in text
    assert "&lt;svg onload=" in text  # the file name
    # Every link stays inside the report: the internal wiki address is text, not a link.
    assert {a.get("href")[:1] for a in page.xpath("//a")} == {"#"}
    assert "wiki.corp.acme.io" in page.text_content()


def test_self_contained_and_locked_down(reports):
    text, _ = reports
    page = lxml_html.fromstring(text)
    assert not page.xpath("//*[@src]") and not page.xpath("//link") and not page.xpath("//iframe|//object")
    assert {href[:1] for href in page.xpath("//@href")} == {"#"}
    style = page.xpath("string(//style)")
    assert "url(" not in style and "@import" not in style
    policy = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert "default-src 'none'" in policy and f"script-src 'sha256-{SCRIPT_HASH}'" in policy


def test_secret_masked_and_rules_explained(reports):
    text, data = reports
    assert SECRET not in text and "9Qw2vTn4" not in text
    assert "ak_l****" in text
    page = lxml_html.fromstring(text)
    for rule in {f["rule"] for f in data["findings"]}:
        assert page.xpath(f'//a[@href="#rule-{rule}"]'), rule
        assert page.get_element_by_id(f"rule-{rule}") is not None


def test_location_a_person_can_find(reports):
    text, _ = reports
    page = lxml_html.fromstring(text)
    places = {e.get("data-rule"): e.xpath('string(.//*[@class="where"])') for e in page.xpath("//article")}
    masked = [e.xpath('string(.//*[@class="where"])') for e in page.xpath('//article[@data-rule="leaked-credential"]')]
    assert masked[-1].startswith("Line 9, column 26, under “Start with ak_l****” · ")
    assert places["draft-marker"].startswith("Paragraph 2 · draft-marker")  # Word: the reader's location
    assert places["glossary-term"].startswith("Line 9, column 66, under “Start with ak_l****” · ")  # Markdown
    assert places["hidden-content"].startswith("Comment 1 by Jane Doe, paragraph 1 · ")
    marks = page.xpath('//article[@data-rule="glossary-term"]//mark/text()')
    assert marks == ["Project Falcon"]
    assert page.xpath('string(//article[@data-rule="glossary-term"]//*[@class="suggestion"])') == \
        "Suggestion: the analytics module"


def finding(number: int) -> Finding:
    return Finding(path="a.md", rule="unsourced-superlative", category="superlative", severity="warning",
                   message=f"Unverifiable superlative number {number}.", line=number, column=1, end_line=number,
                   end_column=5, match="best", context="The best platform. " * 5)


def retained_after(files: int, per_file: int) -> int:
    """Memory the reporter still holds after reporting, the results themselves released."""
    tracemalloc.start()
    reporter = HtmlReporter(io.StringIO(), [])
    before = tracemalloc.get_traced_memory()[0]
    for index in range(files):
        reporter.file_done(FileResult(f"file-{index}.md", findings=[finding(n) for n in range(per_file)]))
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    reporter.sections.close()
    return held


def test_memory_does_not_grow_with_findings():
    small, large = retained_after(5, 100), retained_after(5, 4000)
    assert large - small < 64 * 1024, (small, large)


# -- a real browser --------------------------------------------------------------

def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("headless Chromium is not installed (Debian/Ubuntu: apt-get install chromium)")


def browse(page: Path, *args: str, fragment: str = "") -> subprocess.CompletedProcess:
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--disable-extensions", "--virtual-time-budget=3000", *args,
                           page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_rendered_in_chromium(reports, collateral):
    _, data = reports
    report = collateral / "report.html"
    dom = lxml_html.fromstring(browse(report, "--dump-dom").stdout)
    assert dom.get("data-filters") == "ready"  # the report's own script ran...
    assert dom.get("data-pwned") is None  # ...and none planted in the documents did
    findings = dom.xpath("//article")
    assert len(findings) == len(data["findings"])
    assert not any(f.get("hidden") is not None for f in findings)

    errors = sum(f["severity"] == "error" for f in data["findings"])
    filtered = lxml_html.fromstring(browse(report, "--dump-dom", fragment="#severity=error").stdout)
    shown = [f for f in filtered.xpath("//article") if f.get("hidden") is None]
    assert len(shown) == errors and {f.get("data-severity") for f in shown} == {"error"}
    assert filtered.xpath("string(//output)") == f"Showing {errors} of {len(data['findings'])} findings"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "html-report.png"
    screenshot.unlink(missing_ok=True)
    browse(report, f"--screenshot={screenshot}", "--window-size=1280,2000")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_readable_with_scripts_disabled(reports, collateral):
    """Headless Chromium has no switch to turn scripts off, so the copy's policy forbids every script."""
    text, data = reports
    blocked = collateral / "report-no-scripts.html"
    blocked.write_text(text.replace(f"script-src 'sha256-{SCRIPT_HASH}'", "script-src 'none'"), encoding="utf-8")
    dom = lxml_html.fromstring(browse(blocked, "--dump-dom").stdout)
    assert dom.get("data-filters") is None
    assert dom.get_element_by_id("filters").get("hidden") is not None  # no controls that cannot work
    assert len([f for f in dom.xpath("//article") if f.get("hidden") is None]) == len(data["findings"])
