"""Benchmark collateral-guard against the tools it replaces, on the same files, in one run.

    python bench/run.py                      # everything, 4,000 real Markdown files
    python bench/run.py --files 1000 --sizes 1,10 --skip-peers

Needs the bench extras (pip install -e ".[bench]") and, for the real corpora,
../shared beside the checkout. Prints a Markdown report and writes it to
bench/results/. This is a benchmark, not a test: nothing here asserts a time.

Each command runs in a fresh process under a small launcher that reports wall
time, CPU time (user + system, the command and all its workers) and peak
resident memory (of the largest process: the scanner or one of its workers).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MARKDOWN_TAR = SHARED / "corpora" / "vba-docs-markdown.tar.xz"
DOCX_WILD = SHARED / "corpora" / "docx-wild"
BIN = Path(sys.executable).parent

LAUNCHER = r"""
import json, os, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "code": done.returncode}))
"""

PARSE_ONLY = r"""
import sys, time
from pathlib import Path
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin).use(footnote_plugin)
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    md.parse(path.read_text(encoding="utf-8", errors="replace"))
"""


def measure(command: list[str], repeat: int = 1, cwd: Path | None = None) -> dict:
    """The median run of ``command`` (by wall time)."""
    runs = []
    for _ in range(repeat):
        output = subprocess.run([sys.executable, "-c", LAUNCHER, str(cwd or ROOT), *command], capture_output=True,
                                text=True, check=True).stdout
        runs.append(json.loads(output))
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def tree_size(folder: Path, suffix: str = ".md") -> tuple[int, int]:
    files = [p for p in folder.rglob(f"*{suffix}")]
    return len(files), sum(p.stat().st_size for p in files)


def extract_markdown(count: int, into: Path) -> Path:
    """The first ``count`` Markdown files of the real corpus, in name order (as the issue measured)."""
    with tarfile.open(MARKDOWN_TAR) as archive:
        members = sorted((m for m in archive if m.isfile() and m.name.endswith(".md")), key=lambda m: m.name)
        chosen = members[:count]
        for member in chosen:
            archive.extract(member, into, filter="data")
    return into


# -- a generated collateral corpus with planted findings of every category --------------------

PARAGRAPHS = [
    "Northwind Data Platform ingests events from {n} sources and stores them in your region. Each tenant is "
    "isolated at the storage layer, and keys rotate every 90 days.",
    "The platform supports up to {n},000 concurrent connections with sub-100ms P95 latency on the standard tier.",
    "Our onboarding team works with your administrators to connect identity providers, configure roles, and "
    "validate the first pipelines during a two-week pilot.",
    "Audit logs record every administrative action with the actor, the time and the source address, and are "
    "retained for 400 days.",
]
PLANTED = [
    "Northwind is the market-leading platform for regulated industries.",
    "The engine is fast and massively scalable.",
    "Native Iceberg support is planned for the next release.",
    "Pricing: TBD. Prepared for {{ account.name }}.",
    "INTERNAL USE ONLY: discount guidance.",
    "Escalate P1 issues in #se-escalations; see PLAT-{n}.",
    "The password for the demo tenant is Autumn-Rollout#{n}.",
    "Sizing notes live at https://wiki.corp.northwind.io/se/{n} and 10.20.{m}.17.",
    "This approach was first deployed for Contoso Pharmaceuticals.",
    "Our team will recieve your data.",
]


def generate_collateral(megabytes: int, into: Path, seed: int = 7) -> Path:
    """About ``megabytes`` MB of collateral, 6 KB a file, one planted finding in every few paragraphs."""
    rng = random.Random(seed)
    into.mkdir(parents=True, exist_ok=True)
    (into / ".collateral-guard.toml").write_text(
        'internal-domains = ["corp.northwind.io"]\nvocabulary = ["Northwind", "Iceberg"]\n'
        '[customers.fabrikam]\nnames = ["Fabrikam"]\n[customers.contoso]\nnames = ["Contoso", "Contoso Pharmaceuticals"]\n')
    target, written, number = megabytes * 1_000_000, 0, 0
    while written < target:
        number += 1
        parts = ["---", "title: Solution brief", "customer: fabrikam", "---", "", f"# Brief {number}", ""]
        while sum(len(p) for p in parts) < 6000:
            template = rng.choice(PLANTED) if rng.random() < 0.25 else rng.choice(PARAGRAPHS)
            parts += [template.replace("{n}", str(rng.randint(10, 99))).replace("{m}", str(rng.randint(0, 255))), ""]
        text = "\n".join(parts)
        (into / f"brief-{number:06d}.md").write_text(text, encoding="utf-8")
        written += len(text.encode())
    return into


# -- scenarios ----------------------------------------------------------------------------------

def cg(*args: str) -> list[str]:
    return [str(BIN / "collateral-guard"), "check", *args, "--format", "json", "--output", os.devnull,
            "--fail-on", "never"]


def registry_config(folder: Path, customers: int, terms: int) -> Path:
    rng = random.Random(11)
    lines = ["[jargon]"] + [f'"Codename{i} {rng.choice("ABCDEFGH")}{i}" = "module {i}"' for i in range(terms)]
    for i in range(customers):
        lines += [f"[customers.c{i}]", f'names = ["Acct{i} Holdings", "Acct{i}", "A{i} Group"]',
                  f'domains = ["acct{i}.example.org"]']
    path = folder / "large-registry.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def row(name: str, result: dict, megabytes: float, files: int) -> str:
    return (f"| {name} | {result['wall']:.2f} s | {result['cpu']:.2f} s | {megabytes / result['wall']:.2f} MB/s | "
            f"{files / result['wall']:.0f} | {result['rss_mb']:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000, help="real Markdown files to use (default 4000)")
    parser.add_argument("--sizes", default="1,10,100", help="generated corpus sizes in MB (default 1,10,100)")
    parser.add_argument("--skip-peers", action="store_true", help="do not run detect-secrets and proselint")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the short measurements (median kept)")
    options = parser.parse_args()
    if not MARKDOWN_TAR.is_file():
        sys.exit(f"{MARKDOWN_TAR} not found: the benchmark needs ../shared beside the checkout")
    lines = [f"# collateral-guard benchmark, {time.strftime('%Y-%m-%d %H:%M')}", "",
             f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}.", ""]
    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        corpus = extract_markdown(options.files, work / "markdown")
        files, size = tree_size(corpus)
        megabytes = size / 1e6
        lines += [f"## Real Markdown: {files} files, {megabytes:.1f} MB (VBA-Docs)", "",
                  "| tool | wall | CPU | throughput | files/s | peak RSS |", "|---|---|---|---|---|---|"]
        results = {
            "collateral-guard, all default rules, --jobs 2": measure(cg(str(corpus), "--jobs", "2")),
            "collateral-guard, all default rules, --jobs 1": measure(cg(str(corpus), "--jobs", "1")),
            "markdown-it-py bare parse, one process": measure([sys.executable, "-c", PARSE_ONLY, str(corpus)]),
        }
        if not options.skip_peers:
            # Run from inside the corpus: given a folder elsewhere, detect-secrets 1.5 skips its files.
            results["detect-secrets scan --all-files"] = measure(
                [str(BIN / "detect-secrets"), "scan", "--all-files", "."], cwd=corpus)
            results["proselint check"] = measure([str(BIN / "proselint"), "check", str(corpus)])
        for name, result in results.items():
            lines.append(row(name, result, megabytes, files))
        ours = results["collateral-guard, all default rules, --jobs 2"]
        single = results["collateral-guard, all default rules, --jobs 1"]
        floor = results["markdown-it-py bare parse, one process"]
        lines += ["", "| ratio | measured | target |", "|---|---|---|"]
        for peer in ("detect-secrets scan --all-files", "proselint check"):
            if peer in results:
                lines.append(f"| {peer} / collateral-guard (both cores) | "
                             f"{results[peer]['wall'] / ours['wall']:.1f}x faster | >= 10x |")
        lines.append(f"| collateral-guard one process / bare parse | {single['wall'] / floor['wall']:.2f}x | <= 2x |")
        lines.append(f"| --jobs 1 / --jobs 2 | {single['wall'] / ours['wall']:.2f}x speed-up | >= 1.7x |")

        secrets_only = measure(cg(str(corpus), "--jobs", "2", "--select", "secret"))
        lines.append(f"| secret rules only, both cores | {megabytes / secrets_only['wall']:.2f} MB/s "
                     f"({secrets_only['wall']:.2f} s) | faster than detect-secrets |")

        measure(cg(str(corpus), "--jobs", "2", "--cache"), cwd=corpus)  # fills .collateral-guard-cache/ there
        warm = measure(cg(str(corpus), "--jobs", "2", "--cache"), repeat=options.repeat, cwd=corpus)
        lines.append(f"| warm --cache rerun, nothing changed / full scan (both cores) | "
                     f"{warm['wall']:.2f} s wall, {warm['cpu']:.2f} s CPU ({ours['wall'] / warm['wall']:.0f}x faster) "
                     f"| about the time to hash the files |")

        config = registry_config(work, customers=5000, terms=2000)
        with_registry = measure(cg(str(corpus), "--jobs", "1", "--config", str(config)))
        lines.append(f"| 5,000 customers + 2,000 glossary terms / empty config (one process) | "
                     f"{with_registry['wall'] / single['wall']:.2f}x | <= 1.20x |")

        small = corpus / "small.md"
        small.write_text("# Install\n\nThe agent forwards 20,000 events per second on a 4 vCPU host.\n")
        start_ours = measure([str(BIN / "collateral-guard"), "check", str(small)], repeat=options.repeat)
        lines += ["", "## Pre-commit start (one small clean file, median of "
                  f"{options.repeat})", "", f"- collateral-guard check: {start_ours['wall']:.3f} s"]
        if not options.skip_peers:
            start_peer = measure([str(BIN / "detect-secrets-hook"), str(small)], repeat=options.repeat)
            lines += [f"- detect-secrets-hook: {start_peer['wall']:.3f} s",
                      f"- ratio: {start_ours['wall'] / start_peer['wall']:.2f} (target <= 0.6)"]

        lines += ["", "## Generated collateral with planted findings", "",
                  "| size | files | wall (--jobs 2) | throughput | peak RSS |", "|---|---|---|---|---|"]
        for mb in [int(s) for s in options.sizes.split(",") if s]:
            generated = generate_collateral(mb, work / f"generated-{mb}")
            count, size = tree_size(generated)
            result = measure(cg(str(generated), "--jobs", "2"))
            lines.append(f"| {size / 1e6:.0f} MB | {count} | {result['wall']:.2f} s | "
                         f"{size / 1e6 / result['wall']:.2f} MB/s | {result['rss_mb']:.0f} MB |")
            shutil.rmtree(generated)

        if DOCX_WILD.is_dir():
            lines += ["", "## Real-world DOCX (docx-wild)", ""] + docx_lines()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(report)


def docx_lines() -> list[str]:
    """Rate over the whole corpus, and the slowest single file, timed in one process."""
    from collateral_guard.config import Config
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner, Target

    files = sorted(DOCX_WILD.rglob("*.docx"))
    size = sum(p.stat().st_size for p in files)
    config = Config()
    scanner = Scanner(config, active_rules(config))
    times, errors = [], 0
    for path in files:
        started = time.perf_counter()
        errors += scanner.scan(Target(str(path), str(path))).error is not None
        times.append((time.perf_counter() - started, path.name))
    total = sum(t for t, _ in times)
    slowest = max(times)
    return [f"- {len(files)} files, {size / 1e6:.1f} MB: {total:.2f} s in one process, "
            f"{len(files) / total:.0f} files/s; {errors} could not be scanned (one-line errors)",
            f"- slowest file: {slowest[1]} at {slowest[0]:.2f} s (target < 2 s); median "
            f"{statistics.median(t for t, _ in times) * 1000:.0f} ms"]


if __name__ == "__main__":
    main()
