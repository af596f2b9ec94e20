"""Benchmark collateral-guard against the tools it replaces, on the same files, in one run.

    python bench/run.py                      # everything, 4,000 real Markdown files
    python bench/run.py --files 1000 --sizes 1,10 --skip-peers

Needs the bench extras (pip install -e ".[bench]") and the real corpora: ../shared
beside the checkout, or the folder named by --shared or COLLATERAL_GUARD_SHARED.
textlint with write-good is measured when `textlint` is on PATH or TEXTLINT names it
(npm install textlint textlint-rule-write-good; its node_modules must hold the rule).
Prints a Markdown report and writes it to bench/results/. This is a benchmark, not a
test: nothing here asserts a time.

Each command runs in a fresh process under a small launcher that reports wall
time, CPU time (user + system, the command and all its workers) and peak
resident memory (of the largest process: the scanner or one of its workers).
The tools compared run interleaved, round after round, so that a change in the
machine's load touches them all alike; each figure is the median of the rounds.
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
import pyromark
options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_FOOTNOTES
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    for event in pyromark.events_with_range(path.read_text(encoding="utf-8", errors="replace"), options=options):
        pass
"""


def run_once(command: list[str], cwd: Path | None = None) -> dict:
    output = subprocess.run([sys.executable, "-c", LAUNCHER, str(cwd or ROOT), *command], capture_output=True,
                            text=True, check=True).stdout
    return json.loads(output)


def median_run(runs: list[dict]) -> dict:
    """Wall, CPU and memory, each its own median over the runs."""
    return {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "rss_mb")}


def measure(command: list[str], repeat: int = 1, cwd: Path | None = None) -> dict:
    return median_run([run_once(command, cwd) for _ in range(repeat)])


def interleaved(commands: dict[str, tuple[list[str], Path | None]], rounds: int) -> dict[str, dict]:
    """Each command once per round, in turn, then the median of its rounds."""
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, (command, cwd) in commands.items():
            runs[name].append(run_once(command, cwd))
    return {name: median_run(found) for name, found in runs.items()}


def tree_size(folder: Path, suffix: str = ".md") -> tuple[int, int]:
    files = [p for p in folder.rglob(f"*{suffix}")]
    return len(files), sum(p.stat().st_size for p in files)


def extract_markdown(archive_path: Path, count: int, into: Path) -> Path:
    """The first ``count`` Markdown files of the real corpus, in name order (as the issue measured)."""
    with tarfile.open(archive_path) as archive:
        chosen = set(sorted(m.name for m in archive if m.isfile() and m.name.endswith(".md"))[:count])
    # In archive order: a compressed archive read out of order is decompressed again for every file.
    with tarfile.open(archive_path) as archive:
        for member in archive:
            if member.name in chosen:
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

def one_big_file(megabytes: int, into: Path) -> Path:
    """One Markdown file of about ``megabytes`` MB: generated briefs one after another."""
    folder = generate_collateral(megabytes, into / f"big-{megabytes}")
    path = into / f"big-{megabytes}.md"
    with path.open("w", encoding="utf-8") as out:
        for brief in sorted(folder.glob("*.md")):
            out.write(brief.read_text(encoding="utf-8").split("---\n", 2)[-1] + "\n")
    shutil.rmtree(folder)
    return path


def textlint_command() -> list[str] | None:
    """textlint with only write-good, or None where Node or textlint is missing."""
    found = os.environ.get("TEXTLINT") or shutil.which("textlint")
    if not found or not shutil.which("node"):
        return None
    return [found, "--no-color", "--rule", "write-good"]


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
    parser.add_argument("--big", default="5,20", help="sizes in MB of the single big files (default 5,20)")
    parser.add_argument("--skip-peers", action="store_true", help="do not run detect-secrets, proselint, textlint")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each measurement (median kept)")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("COLLATERAL_GUARD_SHARED",
                                                                         ROOT.parent / "shared")),
                        help="the shared corpora folder (default ../shared, or $COLLATERAL_GUARD_SHARED)")
    options = parser.parse_args()
    markdown_tar = options.shared / "corpora" / "vba-docs-markdown.tar.xz"
    if not markdown_tar.is_file():
        sys.exit(f"{markdown_tar} not found: point --shared or COLLATERAL_GUARD_SHARED at the shared corpora")
    # An installed wheel runs from compiled bytecode; measure that, even where PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), str(ROOT / "rules")],
                   stdout=subprocess.DEVNULL, check=False)
    lines = [f"# collateral-guard benchmark, {time.strftime('%Y-%m-%d %H:%M')}", "",
             f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start, "
             f"Python {sys.version.split()[0]}. Medians of {options.repeat} interleaved rounds.", ""]
    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        corpus = extract_markdown(markdown_tar, options.files, work / "markdown")
        files, size = tree_size(corpus)
        megabytes = size / 1e6
        lines += [f"## Real Markdown: {files} files, {megabytes:.1f} MB (VBA-Docs)", "",
                  "| tool | wall | CPU | throughput | files/s | peak RSS |", "|---|---|---|---|---|---|"]
        commands = {
            "collateral-guard, all default rules, --jobs 2": (cg(str(corpus), "--jobs", "2"), None),
            "collateral-guard, all default rules, --jobs 1": (cg(str(corpus), "--jobs", "1"), None),
            "pyromark bare parse, one process": ([sys.executable, "-c", PARSE_ONLY, str(corpus)], None),
        }
        textlint = textlint_command()
        if not options.skip_peers:
            # Run from inside the corpus: given a folder elsewhere, detect-secrets 1.5 skips its files.
            commands["detect-secrets scan --all-files"] = ([str(BIN / "detect-secrets"), "scan", "--all-files", "."],
                                                           corpus)
            commands["proselint check"] = ([str(BIN / "proselint"), "check", str(corpus)], None)
            if textlint:
                commands["textlint, write-good only"] = (textlint + ["."], corpus)
        results = interleaved(commands, options.repeat)
        for name, result in results.items():
            lines.append(row(name, result, megabytes, files))
        ours = results["collateral-guard, all default rules, --jobs 2"]
        single = results["collateral-guard, all default rules, --jobs 1"]
        floor = results["pyromark bare parse, one process"]
        lines += ["", "| ratio | measured | target |", "|---|---|---|"]
        for peer in ("detect-secrets scan --all-files", "proselint check", "textlint, write-good only"):
            if peer in results:
                target = ">= 10x" if peer.startswith("detect-secrets") else ""
                lines.append(f"| {peer} / collateral-guard, CPU (--jobs 1) | "
                             f"{results[peer]['cpu'] / single['cpu']:.1f}x less CPU | {target} |")
                lines.append(f"| {peer} / collateral-guard, wall (--jobs 2) | "
                             f"{results[peer]['wall'] / ours['wall']:.1f}x faster | |")
        if not options.skip_peers and not textlint:
            lines.append("| textlint with write-good | not measured: Node or textlint not found | |")
        lines.append(f"| collateral-guard one process / bare parse, CPU | {single['cpu'] / floor['cpu']:.2f}x | <= 2x |")
        lines.append(f"| --jobs 1 / --jobs 2, wall | {single['wall'] / ours['wall']:.2f}x speed-up | >= 1.7x |")

        secrets_only = measure(cg(str(corpus), "--jobs", "2", "--select", "secret"))
        lines.append(f"| secret rules only, both cores | {megabytes / secrets_only['wall']:.2f} MB/s "
                     f"({secrets_only['wall']:.2f} s, {secrets_only['cpu']:.2f} s CPU) | faster than detect-secrets |")

        run_once(cg(str(corpus), "--jobs", "2", "--cache"), cwd=corpus)  # fills .collateral-guard-cache/ there
        warm = measure(cg(str(corpus), "--jobs", "2", "--cache"), repeat=options.repeat, cwd=corpus)
        lines.append(f"| warm --cache rerun, nothing changed / full scan (both cores) | "
                     f"{warm['wall']:.2f} s wall, {warm['cpu']:.2f} s CPU ({ours['wall'] / warm['wall']:.0f}x faster) "
                     f"| about the time to hash the files |")

        config = registry_config(work, customers=5000, terms=2000)
        with_registry = measure(cg(str(corpus), "--jobs", "1", "--config", str(config)))
        lines.append(f"| 5,000 customers + 2,000 glossary terms / empty config (one process), CPU | "
                     f"{with_registry['cpu'] / single['cpu']:.2f}x | <= 1.20x |")

        small = work / "small.md"
        small.write_text("# Install\n\nThe agent forwards 20,000 events per second on a 4 vCPU host.\n")
        starts = {"collateral-guard check": ([str(BIN / "collateral-guard"), "check", str(small)], None)}
        if not options.skip_peers:
            starts["detect-secrets-hook"] = ([str(BIN / "detect-secrets-hook"), str(small)], None)
        start = interleaved(starts, options.repeat * 5)
        lines += ["", f"## Pre-commit start (one small clean file, median of {options.repeat * 5} interleaved runs)",
                  "", "| command | wall | CPU |", "|---|---|---|"]
        for name, result in start.items():
            lines.append(f"| {name} | {result['wall'] * 1000:.0f} ms | {result['cpu'] * 1000:.0f} ms |")
        if "detect-secrets-hook" in start:
            ours_start, peer_start = start["collateral-guard check"], start["detect-secrets-hook"]
            lines += ["", f"Ratio to detect-secrets-hook: {ours_start['cpu'] / peer_start['cpu']:.2f} in CPU, "
                          f"{ours_start['wall'] / peer_start['wall']:.2f} in wall time (target <= 0.6)."]

        lines += ["", "## One big Markdown file (one process)", "",
                  "| size | wall | CPU | peak RSS | RSS / size |", "|---|---|---|---|---|"]
        for mb in [int(s) for s in options.big.split(",") if s]:
            big = one_big_file(mb, work)
            result = measure(cg(str(big), "--jobs", "1"))
            size = big.stat().st_size / 1e6
            lines.append(f"| {size:.1f} MB | {result['wall']:.2f} s | {result['cpu']:.2f} s | "
                         f"{result['rss_mb']:.0f} MB | {result['rss_mb'] / size:.0f}x |")
            big.unlink()

        sizes = [int(s) for s in options.sizes.split(",") if s]
        if sizes:
            lines += ["", "## Generated collateral with planted findings", "",
                      "| size | files | wall (--jobs 2) | throughput | peak RSS |", "|---|---|---|---|---|"]
        for mb in sizes:
            generated = generate_collateral(mb, work / f"generated-{mb}")
            count, size = tree_size(generated)
            result = measure(cg(str(generated), "--jobs", "2"))
            lines.append(f"| {size / 1e6:.0f} MB | {count} | {result['wall']:.2f} s | "
                         f"{size / 1e6 / result['wall']:.2f} MB/s | {result['rss_mb']:.0f} MB |")
            shutil.rmtree(generated)

        docx_wild = options.shared / "corpora" / "docx-wild"
        if docx_wild.is_dir():
            lines += ["", "## Real-world DOCX (docx-wild)", ""] + docx_lines(docx_wild)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(report)


def docx_lines(docx_wild: Path) -> list[str]:
    """Rate over the whole corpus, and the slowest single file, timed in one process."""
    from collateral_guard.config import Config
    from collateral_guard.rules.registry import active_rules
    from collateral_guard.scan import Scanner, Target

    files = sorted(docx_wild.rglob("*.docx"))
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
