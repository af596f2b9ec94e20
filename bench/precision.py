"""Precision per category on real collateral, judged the way a reviewer would.

    python bench/precision.py sample --label before --seed 12 --out /work/judging/before
    python bench/precision.py --import-verdicts /work/judging/before/verdicts.jsonl --label before
    python bench/precision.py report

``sample`` runs collateral-guard on every company folder of ../shared/corpora/marketing with the
company's own configuration (<company>.toml), draws a fixed-seed random sample of up to 25 findings
per category (leaving out findings judged in an earlier label, unless ``--rejudge``), and writes
sample.jsonl for a judge: one finding a line with the text around it (that file stays outside the
repository). It also records
which findings existed at sampling time, so ``report`` can flag findings that are new since.

``--import-verdicts`` reads the judge's verdicts.jsonl (id, verdict TP/FP/debatable, reason), joins
it with the sample beside it, and stores bench/verdicts/<label>.jsonl: path, line, rule, category,
verdict and a one-line reason. No third-party text: long quotations are removed from reasons.

``report`` runs the current code and prints, for each label, precision per category
(TP / (TP + FP); debatable counted apart, and against as "strict"), whether judged true positives
are still found and judged false positives gone, and how many findings are new since the judging.
Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a git worktree may sit one level deeper)
CORPUS = next((p / "shared" / "corpora" / "marketing" for p in ROOT.parents[:2]
               if (p / "shared" / "corpora" / "marketing").is_dir()), ROOT.parent / "shared" / "corpora" / "marketing")
VERDICTS = ROOT / "bench" / "verdicts"
PER_CATEGORY = 25
CONTEXT_LINES = 2
VERDICT_VALUES = ("TP", "FP", "debatable")


def executable() -> str:
    local = Path(sys.executable).parent / "collateral-guard"
    return str(local) if local.exists() else "collateral-guard"


def run_corpus() -> tuple[list[dict], int]:
    """Every finding on the corpus (path relative to the corpus), and the number of words read."""
    findings, words = [], 0
    for config in sorted(CORPUS.glob("*.toml")):
        folder = CORPUS / config.stem
        if not folder.is_dir():
            continue
        words += sum(len(p.read_text(errors="replace").split())
                     for p in folder.rglob("*") if p.suffix in (".md", ".mdx", ".markdown"))
        done = subprocess.run([executable(), "check", "--format", "json", "--fail-on", "never",
                               "--config", str(config), str(folder)], capture_output=True, text=True)
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            sys.exit(f"precision: no JSON report for {config.stem}: {done.stderr.strip()[-300:]}")
        for finding in report["findings"]:
            finding["path"] = str(Path(finding["path"]).resolve().relative_to(CORPUS))
            findings.append(finding)
    return findings, words


def key(item: dict) -> tuple[str, int, str]:
    return item["path"], int(item["line"]), item["rule"]


def judged_labels() -> dict[str, list[dict]]:
    labels = {}
    for path in sorted(VERDICTS.glob("*.jsonl")):
        labels[path.stem] = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return labels


def surroundings(path: str, line: int, end_line: int) -> str:
    """The finding's lines with CONTEXT_LINES lines above and below, line-numbered, marked with '>'."""
    lines = (CORPUS / path).read_text(errors="replace").splitlines()
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), max(line, end_line) + CONTEXT_LINES)
    return "\n".join(f"{n:>5}{'>' if line <= n <= end_line else ' '} {lines[n - 1]}"
                     for n in range(first, last + 1))


def sample(args) -> int:
    findings, _ = run_corpus()
    # --rejudge draws from every current finding: a fresh judge's verdict on the whole output, not only the
    # findings earlier samples left (those skew to the cases nobody has looked at yet)
    already = set() if args.rejudge else {key(v) for verdicts in judged_labels().values() for v in verdicts}
    out = Path(args.out)
    if out.exists() and any(out.glob("*.jsonl")) and not args.force:
        sys.exit(f"precision: {out} already holds a sample (use --force to replace it)")
    out.mkdir(parents=True, exist_ok=True)
    by_category = collections.defaultdict(list)
    seen = set()
    for finding in sorted(findings, key=lambda f: (f["category"], *key(f), f["column"])):
        if key(finding) in already or key(finding) in seen:
            continue  # one finding per (path, line, rule): that is what a verdict is keyed on
        seen.add(key(finding))
        by_category[finding["category"]].append(finding)
    rng = random.Random(args.seed)
    chosen = []
    for category in sorted(by_category):
        pool = by_category[category]
        chosen.extend(rng.sample(pool, min(args.per_category, len(pool))))
    rng.shuffle(chosen)  # the judge sees categories mixed, in no telling order
    with (out / "sample.jsonl").open("w") as handle:
        for number, finding in enumerate(chosen, 1):
            handle.write(json.dumps({
                "id": f"{args.label}-{number:03d}", "path": finding["path"], "line": finding["line"],
                "column": finding["column"], "rule": finding["rule"], "category": finding["category"],
                "message": finding["message"], "match": finding["match"],
                "text": surroundings(finding["path"], finding["line"], finding.get("end_line") or finding["line"]),
            }) + "\n")
    VERDICTS.mkdir(exist_ok=True)
    snapshot = sorted({"\t".join(map(str, key(f))) for f in findings})
    (VERDICTS / f"{args.label}.findings.txt").write_text("\n".join(snapshot) + "\n")
    counts = collections.Counter(f["category"] for f in chosen)
    print(f"precision: wrote {len(chosen)} findings to {out / 'sample.jsonl'} "
          f"({', '.join(f'{c} {n}' for c, n in sorted(counts.items()))}); "
          f"recorded {len(snapshot)} findings in bench/verdicts/{args.label}.findings.txt")
    return 0


QUOTED = re.compile(r"[\"“‘'`]([^\"”’'`]{25,})[\"”’'`]")


def one_line_reason(reason: str) -> str:
    """The judge's reason without long quotations (no third-party text in the repository)."""
    reason = " ".join(str(reason).split())
    return QUOTED.sub("\"…\"", reason)[:200]


def import_verdicts(args) -> int:
    source = Path(args.import_verdicts)
    sample_file = Path(args.sample) if args.sample else source.with_name("sample.jsonl")
    items = {}
    for line in sample_file.read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            items[item["id"]] = item
    rows = []
    for number, line in enumerate(source.read_text().splitlines(), 1):
        if not line.strip():
            continue
        verdict = json.loads(line)
        item = items.get(verdict.get("id"))
        value = {"tp": "TP", "fp": "FP", "debatable": "debatable"}.get(str(verdict.get("verdict")).lower())
        if item is None or value is None:
            sys.exit(f"precision: {source}:{number}: unknown id or verdict ({verdict.get('id')}, {verdict.get('verdict')})")
        rows.append({"id": item["id"], "path": item["path"], "line": item["line"], "rule": item["rule"],
                     "category": item["category"], "verdict": value,
                     "reason": one_line_reason(verdict.get("reason", ""))})
    VERDICTS.mkdir(exist_ok=True)
    target = VERDICTS / f"{args.label}.jsonl"
    target.write_text("".join(json.dumps(row) + "\n" for row in sorted(rows, key=lambda r: r["id"])))
    missing = len(items) - len(rows)
    print(f"precision: stored {len(rows)} verdicts in {target.relative_to(ROOT)}"
          + (f"; {missing} sampled findings have no verdict" if missing else ""))
    return 0


def precision(tp: int, fp: int, debatable: int = 0) -> str:
    total = tp + fp + debatable
    return f"{tp / total:.2f}" if total else "-"


def report(args) -> int:
    labels = judged_labels()
    findings, words = run_corpus()
    current = {key(f) for f in findings}
    per_category = collections.Counter(f["category"] for f in findings)
    print(f"Corpus: {words:,} words, {len(findings)} findings, "
          f"{1000 * len(findings) / max(words, 1):.1f} per 1,000 words\n")
    print("| category | findings | per 1,000 words |\n|---|---:|---:|")
    for category, count in per_category.most_common():
        print(f"| {category} | {count} | {1000 * count / max(words, 1):.2f} |")
    for label, verdicts in labels.items():
        print(f"\n## {label}: {len(verdicts)} judged findings\n")
        print("| category | judged | TP | FP | debatable | precision | strict | TP still found | FP gone |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        table = collections.defaultdict(collections.Counter)
        for verdict in verdicts:
            row = table[verdict["category"]]
            row[verdict["verdict"]] += 1
            found = key(verdict) in current
            row["tp-found"] += verdict["verdict"] == "TP" and found
            row["fp-gone"] += verdict["verdict"] == "FP" and not found
        totals = collections.Counter()
        for category in sorted(table):
            row = table[category]
            totals.update(row)
            print(f"| {category} | {row['TP'] + row['FP'] + row['debatable']} | {row['TP']} | {row['FP']} | "
                  f"{row['debatable']} | {precision(row['TP'], row['FP'])} | "
                  f"{precision(row['TP'], row['FP'], row['debatable'])} | {row['tp-found']}/{row['TP']} | "
                  f"{row['fp-gone']}/{row['FP']} |")
        print(f"| all | {sum(totals[v] for v in VERDICT_VALUES)} | {totals['TP']} | {totals['FP']} | "
              f"{totals['debatable']} | {precision(totals['TP'], totals['FP'])} | "
              f"{precision(totals['TP'], totals['FP'], totals['debatable'])} | "
              f"{totals['tp-found']}/{totals['TP']} | {totals['fp-gone']}/{totals['FP']} |")
        lost = [v for v in verdicts if v["verdict"] == "TP" and key(v) not in current]
        for verdict in lost:
            print(f"  true positive no longer found: {verdict['path']}:{verdict['line']} {verdict['rule']}")
        snapshot = VERDICTS / f"{label}.findings.txt"
        if snapshot.exists():
            then = {(p, int(n), r) for p, n, r in
                    (line.split("\t") for line in snapshot.read_text().splitlines() if line)}
            new = collections.Counter(f["category"] for f in findings if key(f) not in then)
            print(f"\nNew since the {label} judging: {sum(new.values())} findings"
                  + (f" ({', '.join(f'{c} {n}' for c, n in new.most_common())})" if new else ""))
            if args.show_new:
                for finding in findings:
                    if key(finding) not in then:
                        print(f"  {finding['path']}:{finding['line']}:{finding['column']} {finding['rule']}: "
                              f"{finding['message']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("sample", "report"), default="report")
    parser.add_argument("--label", default="before", help="name of the judged sample (before, after)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", help="sample: the folder to write sample.jsonl into")
    parser.add_argument("--rejudge", action="store_true",
                        help="sample: draw from all current findings, judged before or not")
    parser.add_argument("--per-category", type=int, default=PER_CATEGORY, help="sample: findings per category")
    parser.add_argument("--force", action="store_true", help="sample: replace an existing sample")
    parser.add_argument("--import-verdicts", metavar="FILE", help="store a judge's verdicts.jsonl")
    parser.add_argument("--sample", help="import: the sample.jsonl judged (default: beside FILE)")
    parser.add_argument("--show-new", action="store_true", help="report: list findings new since judging")
    args = parser.parse_args(argv)
    if args.import_verdicts:
        return import_verdicts(args)
    if not CORPUS.is_dir():
        print(f"precision: no marketing corpus at {CORPUS}; nothing to measure")
        return 0
    if args.command == "sample":
        if not args.out:
            parser.error("sample needs --out")
        return sample(args)
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
