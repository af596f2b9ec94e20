"""One test per README promise that a mutation test showed to be untested (issue 13)."""

from __future__ import annotations

import base64
import io
import os
import pty
import select
import subprocess
import sys
import zipfile

import pytest

from collateral_guard.config import Config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, discover, scan_all
from conftest import scan_text, where
from docx_builder import build_docx

PASSWORD = "Lanternfish#2207"


def rewritten(data: bytes, extra: dict[str, bytes], rels: str = "") -> bytes:
    """The package with parts added and, optionally, relationships added to the main document's."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if rels and item.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            target.writestr(item.filename, content)
        for name, content in extra.items():
            target.writestr(name, content)
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_word_headers_and_endnotes_are_read():
    data = build_docx("Body text.\n[header: The most advanced platform on the market]")
    endnotes = (f'<w:endnotes {W}><w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote>'
                '<w:endnote w:id="1"><w:p><w:r><w:t>Pricing: TBD</w:t></w:r></w:p></w:endnote></w:endnotes>')
    data = rewritten(data, {"word/endnotes.xml": endnotes.encode()},
                     f'<Relationship Id="rIdEnd" Type="{REL}/endnotes" Target="endnotes.xml"/>')
    found = scan_text(data, name="answer.docx").findings
    assert sorted((f.rule, f.part, f.line, f.column, f.match) for f in found) == [
        ("draft-marker", "endnote", 1, 10, "TBD"),
        ("unsourced-superlative", "header", 1, 1, "The most advanced"),
    ]


@pytest.mark.parametrize("notation, part", [
    (f"Intro.[comment by Dana Reyes: the password is {PASSWORD}]", "comment"),
    (f"[property Comments: the password is {PASSWORD}]", "properties"),
    (f"Intro.[hidden: the password is {PASSWORD}]", "hidden-text"),
    (f'Intro.[field INCLUDETEXT "https://svc:{PASSWORD}@files.example.com/a.docx"]', "field-code"),
    ("custom-xml", "custom-xml"),
])
def test_secrets_are_found_in_word_only_parts(notation, part):
    if notation == "custom-xml":
        data = rewritten(build_docx("Intro."), {"customXml/item1.xml": f"<deal><pwd>password: {PASSWORD}</pwd></deal>".encode()})
    else:
        data = build_docx(notation)
    found = [(f.rule, f.part, f.match) for f in scan_text(data, name="answer.docx", select=("secret",)).findings]
    assert found == [("leaked-credential", part, "Lant****")]


def random_xml(megabytes: int) -> bytes:
    """An XML part of incompressible text, so that no compression-ratio check fires first."""
    return b"<d>" + base64.b64encode(os.urandom(megabytes * 2**20 * 3 // 4)) + b"</d>"


def test_the_package_inflate_budget_is_enforced():
    parts = {f"customXml/item{n}.xml": random_xml(7) for n in (1, 2, 3)}  # each under 16 MiB, 21 MiB together
    result = scan_text(rewritten(build_docx("Intro."), parts), name="big.docx")
    assert result.error == "package's XML parts inflate past 18 MiB together: not scanned"


def test_the_64_mb_file_limit_is_enforced(tmp_path):
    from collateral_guard.scan import Target

    big = tmp_path / "huge.docx"
    with open(big, "wb") as handle:
        handle.truncate(64 * 2**20 + 1)  # sparse: nothing is written to disk
    config = Config()
    result = Scanner(config, active_rules(config)).scan(Target("huge.docx", str(big)))
    assert result.error == "larger than 64 MB, not scanned"


def test_markdown_limits_are_enforced():
    assert scan_text("a\n" * 200_000).error == "Markdown file of more than 200,000 lines: not scanned"
    assert scan_text("x" * (8 * 2**20 + 1)).error == "Markdown file larger than 8 MiB: not scanned"


def test_markdown_image_alt_text_is_read():
    result = scan_text("Intro.\n\n![The most advanced dashboard](shot.png)\n", select=("superlative",))
    assert where(result.findings) == [("unsourced-superlative", 3, 3)]


def test_parallel_results_stay_in_order_past_the_first_window(tmp_path):
    for number in range(300):
        text = f"Brief {number}: our market-leading platform.\n" if number % 2 else f"Brief {number} is clean.\n"
        (tmp_path / f"doc-{number:03d}.md").write_text(text)
    config = Config()
    scanner = Scanner(config, active_rules(config, ("superlative",)))
    serial = [(r.path, [(f.rule, f.column) for f in r.findings]) for r in
              scan_all(scanner, discover([str(tmp_path)], config), jobs=1)]
    parallel = [(r.path, [(f.rule, f.column) for f in r.findings]) for r in
                scan_all(scanner, discover([str(tmp_path)], config), jobs=2)]
    assert len(parallel) == 300  # far past the first window of jobs x 4 chunks of 8 files
    assert parallel == serial
    assert [path for path, _ in parallel] == sorted(path for path, _ in parallel)


def test_progress_line_never_reaches_stdout_under_a_real_terminal(tmp_path):
    """Both streams are pseudo-terminals and the scan is slow enough (over two seconds) for progress."""
    paragraph = "Our market-leading platform is fast. Backups run nightly. The team is world-class.\n\n"
    for number in range(1200):  # several seconds even on an idle machine: progress shows after two
        (tmp_path / f"brief-{number:04}.md").write_text(paragraph * 12)
    out_leader, out_follower = pty.openpty()
    err_leader, err_follower = pty.openpty()
    run = subprocess.Popen([sys.executable, "-m", "collateral_guard", "check", ".", "-j", "1"], cwd=tmp_path,
                           stdout=out_follower, stderr=err_follower, env={**os.environ, "NO_COLOR": "1"})
    os.close(out_follower)
    os.close(err_follower)
    received = {out_leader: b"", err_leader: b""}
    open_streams = set(received)
    while open_streams:
        ready, _, _ = select.select(list(open_streams), [], [], 120)
        if not ready:
            break
        for stream in ready:
            try:
                chunk = os.read(stream, 65536)
            except OSError:  # the terminal closed with the process
                chunk = b""
            if chunk:
                received[stream] += chunk
            else:
                open_streams.discard(stream)
    run.wait(timeout=120)
    for stream in received:
        os.close(stream)
    assert b"scanned " in received[err_leader]  # the progress line was shown, on stderr
    assert b"scanned " not in received[out_leader] and b"\x1b[K" not in received[out_leader]
    assert b"brief-0000.md:1:5: warning unsourced-superlative" in received[out_leader]


def test_a_standalone_ignore_covers_exactly_one_line():
    text = ("<!-- collateral-guard: ignore superlative -->\n"
            "A market-leading platform.\n"
            "A market-leading platform.\n")
    result = scan_text(text, select=("superlative",))
    assert where(result.findings) == [("unsourced-superlative", 3, 3)]
