"""The competitor rules on the real comparison pages of ../shared/corpora/marketing.

    python bench/competitor.py                     # counts per company and rule
    python bench/competitor.py --sample OUT.jsonl  # also a fixed-seed sample of findings for blind judging
    python bench/competitor.py --show              # every finding, one per line

Comparison pages are the documents SOURCES.md lists with a comparison, positioning or
competitive-intelligence kind. Each company's competitors are registered in
bench/competitors/<company>.toml (names only). Verdicts of a blind judge are kept in
bench/verdicts/competitor.csv; docs/precision.md reports them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from collateral_guard.config import load_config  # noqa: E402
from collateral_guard.rules.registry import active_rules  # noqa: E402
from collateral_guard.scan import Scanner, Target  # noqa: E402

# ../shared beside the checkout (or beside the folder of worktrees).
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
CORPUS = SHARED / "corpora" / "marketing"
CONFIGS = ROOT / "bench" / "competitors"
KINDS = re.compile(r"compar|competitive|positioning")
SEED = 14
SAMPLE_SIZE = 40


def comparison_pages(every: bool = False) -> list[tuple[str, Path]]:
    """(company, path) of every comparison page SOURCES.md lists (with ``every``, of every page)."""
    pages = []
    company = None
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            company = line[4:].strip()
        elif line.startswith("| `") and company:
            cells = [c.strip() for c in line.strip("|").split("|")]
            name = cells[0].strip("`").split("`")[0]
            if every or KINDS.search(cells[1]):
                pages.append((company, CORPUS / company / name))
    return pages


def findings(select: tuple[str, ...] = ("competitor",), every: bool = False):
    scanners = {}
    for company, path in comparison_pages(every):
        if not (CONFIGS / f"{company}.toml").is_file():
            continue  # a company with no comparison pages has no competitor registry
        if company not in scanners:
            config = load_config(CONFIGS / f"{company}.toml")
            scanners[company] = Scanner(config, active_rules(config, select))
        result = scanners[company].scan(Target(str(path.relative_to(CORPUS)), str(path)))
        if result.error:
            print(f"{path}: {result.error}", file=sys.stderr)
        for finding in result.findings:
            yield company, path, finding


def around(path: Path, line: int, finding) -> str:
    """The finding's sentence and two source lines above and below (for the judge, outside the repository)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    low, high = max(0, line - 3), min(len(lines), finding.end_line + 2)
    return f"sentence: {finding.context}\n---\n" + "\n".join(lines[low:high])


def stratified(items: list) -> list:
    """Up to SAMPLE_SIZE findings, shared out evenly between the rules (a small rule gives all it has)."""
    by_rule: dict[str, list] = {}
    for item in items:
        by_rule.setdefault(item[2].rule, []).append(item)
    generator = random.Random(SEED)
    chosen = []
    groups = sorted(by_rule.items(), key=lambda group: (len(group[1]), group[0]))
    for position, (_, group) in enumerate(groups):
        share = (SAMPLE_SIZE - len(chosen)) // (len(groups) - position)
        chosen += generator.sample(group, min(share, len(group)))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, help="write a fixed-seed sample of findings to this JSONL file")
    parser.add_argument("--show", action="store_true", help="print every finding")
    parser.add_argument("--with-claim-packs", action="store_true",
                        help="also run the superlative and vague-claim packs (to see what gives way)")
    parser.add_argument("--every", action="store_true", help="scan every page of those companies, not only comparisons")
    args = parser.parse_args()
    select = ("competitor", "superlative", "vague-claim") if args.with_claim_packs else ("competitor",)
    found = list(findings(select, args.every))
    pages = comparison_pages(args.every)
    print(f"{len(pages)} pages, {len(found)} findings")
    print(Counter(f.rule for _, _, f in found).most_common())
    print(Counter(company for company, _, _ in found).most_common())
    if args.show:
        for _, path, f in found:
            print(f"{f.path}:{f.line}:{f.column} {f.rule} {f.match!r} :: {f.context[:160]}")
    if args.sample:
        chosen = sorted(stratified([item for item in found if item[2].category == "competitor"]),
                        key=lambda item: (item[2].path, item[2].line, item[2].column))
        with args.sample.open("w", encoding="utf-8") as out:
            for number, (_, path, f) in enumerate(chosen, start=1):
                out.write(json.dumps({
                    "id": f"c{number:02d}", "path": f.path, "line": f.line, "column": f.column, "rule": f.rule,
                    "message": f.message, "match": f.match, "source": around(path, f.line, f),
                }, ensure_ascii=False) + "\n")
        print(f"wrote {len(chosen)} findings to {args.sample}")


if __name__ == "__main__":
    main()
