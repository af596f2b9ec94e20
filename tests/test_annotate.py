"""annotate: a review copy with one Word comment per finding, on exactly the text it is about."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
from lxml import etree

from conftest import scan_text
from docx_builder import build_docx
from office_checks import W, assert_package_consistent, comment_ranges, libreoffice_text, parts

SECRET = "ghp_4fK9xQ2mLp7RvT3nWc8YhB6dZs1Gj5Xk0Ea2"


def proposal() -> bytes:
    document = docx.Document()
    document.core_properties.author = "Jane Doe"
    document.add_heading("5. Security", level=1)
    split = document.add_paragraph("Our ")
    split.add_run("world-")
    split.add_run("class").bold = True  # the match spans two runs
    split.add_run(" team encrypts every backup.")
    document.add_paragraph(f"Use the token {SECRET} for the demo tenant.")
    pricing = document.add_paragraph("Pricing: TBD.")
    document.add_comment(pricing.runs, text=f"Check with legal; demo token {SECRET}", author="Jane Doe", initials="JD")
    document.sections[0].footer.paragraphs[0].text = "Draft for internal review"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def comments(data: bytes) -> dict[str, tuple[str, list[str]]]:
    """Comment id -> (author, paragraphs of its text)."""
    root = etree.fromstring(parts(data)["word/comments.xml"])
    return {c.get(W + "id"): (c.get(W + "author"), ["".join(t.text or "" for t in p.iter(W + "t"))
                                                    for p in c.iter(W + "p")]) for c in root}


def test_one_comment_per_body_finding_on_the_matched_text(tmp_path):
    data = proposal()
    findings = scan_text(data, name="proposal.docx").findings
    body = [f for f in findings if f.part == "body"]
    elsewhere = [f for f in findings if f.part != "body"]
    assert sorted((f.rule, f.match) for f in body) == [
        ("draft-marker", "TBD"), ("leaked-credential", "ghp_****"), ("unsourced-superlative", "world-class")]
    assert sorted((f.rule, f.part) for f in elsewhere) == [
        ("hidden-content", "comment"), ("internal-only-marking", "footer"), ("leaked-credential", "comment"),
        ("revealing-metadata", "properties")]
    (tmp_path / "proposal.docx").write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "annotate", "proposal.docx",
                             "-o", "review.docx"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "proposal.docx -> review.docx: 3 comments on the text, 4 findings listed in one comment on the first paragraph",
        "5 errors, 1 warning, 1 info in 1 file"]  # the author's own name is info (issue 12)
    review = (tmp_path / "review.docx").read_bytes()
    assert_package_consistent(review)
    written = comments(review)
    ranges = comment_ranges(parts(review)["word/document.xml"])
    assert written["0"] == ("Jane Doe", [f"Check with legal; demo token {SECRET}"])  # the existing comment is kept
    ours = {cid: text for cid, (author, text) in written.items() if author == "collateral-guard"}
    assert len(ours) == len(body) + 1
    anchored = sorted((text[0].split("]")[0] + "]", ranges[cid]) for cid, text in ours.items()
                      if not text[0].startswith("[collateral-guard]"))
    assert anchored == [("[draft-marker]", "TBD"), ("[leaked-credential]", SECRET),
                        ("[unsourced-superlative]", "world-class")]
    superlative = next(f for f in body if f.rule == "unsourced-superlative")
    assert [text for text in ours.values() if text[0].startswith("[unsourced-superlative]")] == [
        [f"[unsourced-superlative] {superlative.message}"
         + (f" Suggestion: {superlative.suggestion}" if superlative.suggestion else "")]]
    summary = next(text for text in ours.values() if text[0].startswith("[collateral-guard]"))
    assert summary[0] == "[collateral-guard] 4 findings in places that cannot carry a comment of their own:"
    assert sorted(line.split("]")[0] + "]" for line in summary[1:]) == [
        "[hidden-content]", "[internal-only-marking]", "[leaked-credential]", "[revealing-metadata]"]
    summary_id = next(cid for cid, text in ours.items() if text is summary)
    assert ranges[summary_id] == "5. Security"
    # The existing comment holds a secret: the hidden-content finding quoting it is masked, like every output.
    ours_text = " ".join(" ".join(text) for text in ours.values())
    assert SECRET not in ours_text
    assert 'Comment still in the document: "Check with legal; demo token ghp_****"' in ours_text
    assert len(docx.Document(io.BytesIO(review)).comments) == 5


def test_a_new_comments_part_and_a_match_inside_one_run(tmp_path):
    data = build_docx("[heading: Overview]\nWe offer a best-in-class onboarding and a fast and scalable platform.\n")
    (tmp_path / "brief.docx").write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "annotate", "brief.docx", "-o", "review.docx",
                             "--select", "superlative,vague-claim", "--fail-on", "never"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    review = (tmp_path / "review.docx").read_bytes()
    assert_package_consistent(review)
    assert sorted(comment_ranges(parts(review)["word/document.xml"]).values()) == sorted(
        f.match for f in scan_text(data, name="brief.docx", select=("superlative", "vague-claim")).findings)
    text = libreoffice_text(tmp_path / "review.docx", tmp_path)
    assert "We offer a best-in-class onboarding and a fast and scalable platform." in text


def test_a_deck_gets_one_slide_comment_per_finding_on_its_slide(tmp_path):
    from collections import Counter

    from pptx import Presentation

    from test_clean_office import PML, deck

    data = deck()
    findings = scan_text(data, name="deck.pptx").findings
    on_slides = Counter(f.location["slide"] for f in findings if "slide" in f.location)
    elsewhere = [f for f in findings if "slide" not in f.location]
    assert on_slides and elsewhere
    (tmp_path / "deck.pptx").write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "annotate", "deck.pptx", "-o", "review.pptx"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"deck.pptx -> review.pptx: {sum(on_slides.values())} comments on their slides, "
        f"{len(elsewhere)} findings listed in one comment on the first slide")
    review = (tmp_path / "review.pptx").read_bytes()
    assert_package_consistent(review)
    files = parts(review)
    authors = {a.get("id"): a.get("name") for a in etree.fromstring(files["ppt/commentAuthors.xml"])}
    written: Counter = Counter()
    for number, slide in enumerate(Presentation(io.BytesIO(review)).slides, start=1):
        rels = etree.fromstring(files[f"ppt/slides/_rels/{slide.part.partname.split('/')[-1]}.rels"])
        for relation in rels:
            if relation.get("Type").endswith("/comments"):
                target = "ppt/comments/" + relation.get("Target").split("/")[-1]
                for comment in etree.fromstring(files[target]).iter(f"{{{PML}}}cm"):
                    text = comment.find(f"{{{PML}}}text").text
                    written[(number, authors[comment.get("authorId")], text.startswith("[collateral-guard]"))] += 1
    assert written == Counter({
        **{(slide, "collateral-guard", False): count for slide, count in on_slides.items()},
        (1, "collateral-guard", True): 1,  # the findings that are on no slide, listed once
        (1, "Jane Doe", False): 1,  # the reviewer's comment is kept
    })
