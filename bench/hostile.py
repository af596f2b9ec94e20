"""Hostile input shapes: time and peak memory of one scan of each, in a fresh process.

    python bench/hostile.py                 # every case
    python bench/hostile.py jwt-run docx-60mb

Each case is a shape that was once quadratic in time or unbounded in memory
(issue 13). The target is a peak under 500 MB for any input the limits accept,
and time linear in the input. Prints a Markdown table; nothing here asserts.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent
LAUNCHER = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "code": done.returncode, "stderr": done.stderr.strip().splitlines()[-1:] }))
"""
SENTENCES = ["The gateway retries each request twice.", "Logs stay for thirty days.",
             "Admins approve every change.", "Backups run at night.", "Keys rotate each quarter."]


def words(count: int, rng: random.Random) -> str:
    vocabulary = "the data platform team report region backup policy answer customer service review".split()
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def docx(document_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def paragraphs_xml(count: int, rng: random.Random) -> str:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{words(12, rng)}.</w:t></w:r></w:p>" for _ in range(count))
    return f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'


def build(case: str, folder: Path) -> list[str]:
    """Writes the case's input into folder; returns the extra command-line arguments."""
    rng = random.Random(13)
    if case == "short-sentences-24kb":  # sentence bounds per match, one paragraph
        text = " ".join(rng.choice(SENTENCES) + " It is fast." for _ in range(24_000 // 50))
        (folder / "doc.md").write_text(text + "\n")
    elif case == "hard-wrapped-400kb":
        lines = [words(10, rng) + (" fast." if n % 7 == 0 else "") for n in range(400_000 // 70)]
        (folder / "doc.md").write_text("\n".join(lines) + "\n")
    elif case == "jwt-run-600kb":
        (folder / "doc.md").write_text("token " + "eyJ" * 200_000 + "\n")
    elif case == "one-long-word-1mb":
        (folder / "doc.md").write_text("The " + "a" * 1_000_000 + " word.\n")
    elif case == "secrets-times-findings":  # 2,000 secrets and 20,000 findings in one file
        lines = [f"password: Zq{n:05}!vbNm3Tp fast fast fast fast fast fast fast fast fast fast" for n in range(2000)]
        (folder / "doc.md").write_text("\n\n".join(lines) + "\n")
    elif case.startswith("reference-links-"):  # e.g. reference-links-20k
        count = int(case.rsplit("-", 1)[1][:-1]) * 1000
        refs = "\n".join(f"See [item {n}][r{n}]." for n in range(count))
        defs = "\n".join(f"[r{n}]: https://docs.example.com/page/{n}" for n in range(count))
        (folder / "doc.md").write_text(refs + "\n\n" + defs + "\n")
    elif case.startswith("markdown-prose-"):  # ordinary collateral: headings, paragraphs, lists
        megabytes = float(case.rsplit("-", 1)[1][:-2])
        blocks = []
        while sum(map(len, blocks)) < megabytes * 2**20:
            blocks += [f"## {words(4, rng).title()}", " ".join(rng.choice(SENTENCES) for _ in range(6)),
                       "\n".join(f"- {words(8, rng)}" for _ in range(4))]
        (folder / "doc.md").write_text("\n\n".join(blocks) + "\n")
    elif case.startswith("markdown-lines-"):  # e.g. markdown-lines-200k: one-letter lines, one paragraph
        (folder / "doc.md").write_text("a\n" * (int(case.rsplit("-", 1)[1][:-1]) * 1000))
    elif case == "markdown-1m-lines-2mb":
        (folder / "doc.md").write_text("a\n" * 1_000_000)
    elif case.startswith("front-matter-"):  # e.g. front-matter-17mb
        megabytes = float(case.rsplit("-", 1)[1][:-2])
        lines = [f"key{n}: {words(4, rng)}" for n in range(int(megabytes * 1_000_000 / 36))]
        (folder / "doc.md").write_text("---\n" + "\n".join(lines) + "\n---\n\nBody.\n")
    elif case.startswith("docx-document-xml-"):  # e.g. docx-document-xml-60mb
        megabytes = int(case.rsplit("-", 1)[1][:-2])
        (folder / "doc.docx").write_bytes(docx(paragraphs_xml(megabytes * 2**20 // 115, rng)))  # ~113 bytes each
    elif case.startswith("vocabulary-"):
        megabytes = int(case.rsplit("-", 1)[1][:-2])
        (folder / "vocabulary.txt").write_text("\n".join(f"Word{n:07}" for n in range(megabytes * 2**20 // 12)))
        (folder / "cg.toml").write_text('vocabulary-file = "vocabulary.txt"\n')
        (folder / "doc.md").write_text("The platform is fast.\n")
        return ["--config", "cg.toml"]
    elif case.startswith("customers-yaml-"):
        rows = int(case.rsplit("-", 1)[1][:-1]) * 1000
        (folder / "customers.yml").write_text("".join(
            f"c{n}:\n  names: [Customer {n} Ltd]\n  domains: [c{n}.example.com]\n" for n in range(rows)))
        (folder / "cg.toml").write_text('customers-file = "customers.yml"\n')
        (folder / "doc.md").write_text("The platform is fast.\n")
        return ["--config", "cg.toml"]
    else:
        raise SystemExit(f"unknown case {case}")
    return []


CASES = ["short-sentences-24kb", "hard-wrapped-400kb", "jwt-run-600kb", "one-long-word-1mb",
         "secrets-times-findings", "reference-links-10k", "reference-links-20k", "markdown-lines-199k",
         "markdown-prose-7.9mb", "front-matter-7.9mb", "docx-document-xml-16mb", "vocabulary-8mb",
         "customers-yaml-100k", "markdown-1m-lines-2mb", "front-matter-17mb", "docx-document-xml-60mb"]


def main() -> None:
    cases = sys.argv[1:] or CASES
    print("| case | input | wall | CPU | peak RSS | exit | note |\n|---|---|---|---|---|---|---|")
    for case in cases:
        with tempfile.TemporaryDirectory() as folder:
            extra = build(case, Path(folder))
            size = sum(p.stat().st_size for p in Path(folder).iterdir())
            target = "doc.docx" if (Path(folder) / "doc.docx").exists() else "doc.md"
            command = [str(BIN / "collateral-guard"), "check", target, "-j", "1", "--format", "json", *extra]
            done = subprocess.run([sys.executable, "-c", LAUNCHER, folder, *command], capture_output=True, text=True)
            result = json.loads(done.stdout)
            note = (result["stderr"] or [""])[0][:80]
            print(f"| {case} | {size / 2**20:.1f} MB | {result['wall']:.2f} s | {result['cpu']:.2f} s | "
                  f"{result['rss_mb']:.0f} MB | {result['code']} | {note} |", flush=True)


if __name__ == "__main__":
    main()
