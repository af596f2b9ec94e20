"""Score collateral-guard on the held-out collateral in this folder: precision and recall per category.

    python bench/heldout/score.py [path/to/collateral-guard]

The documents and labels.yml were written blind to the rules (see README.md here). A finding is a true
positive when a label of its category sits on its line; a readability finding may sit up to 25 lines above
its label (sections are reported at their start), and a stale-comparison finding anywhere above its label
(it is reported once per document, on the title or date line). Findings on debatable labels count neither
way. Every other finding is a false positive: the labels are meant to be exhaustive.
"""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def matches(label: dict, finding: dict) -> bool:
    if label["category"] != finding["category"]:
        return False
    if label["category"] == "readability":
        return 0 <= label["line"] - finding["line"] <= 25
    if "stale" in finding["rule"]:
        return finding["line"] <= label["line"]
    return finding["line"] == label["line"]


def main() -> int:
    exe = next((a for a in sys.argv[1:] if a != "-v"), "collateral-guard")
    exe = str(Path(exe).resolve()) if "/" in exe else (shutil.which(exe) or exe)  # the scan runs from here
    labels = yaml.safe_load((HERE / "labels.yml").read_text(encoding="utf-8"))["files"]
    run = subprocess.run([exe, "check", ".", "--format", "json", "--fail-on", "never", "--jobs", "1"],
                         cwd=HERE, capture_output=True, text=True)
    report = json.loads(run.stdout)
    if any(f["status"] != "ok" for f in report["files"]) or run.returncode == 2:
        print(run.stderr.strip())
    found = collections.defaultdict(list)
    for finding in report["findings"]:
        found[finding["path"].removeprefix("./")].append(finding)
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    flagged = collections.Counter()  # findings on a labelled problem: precision counts findings, recall labels
    misses, noise = [], []
    for name, entry in labels.items():
        problems = entry["problems"]
        used = set()
        for finding in found.get(name, []):
            hits = [i for i, p in enumerate(problems) if matches(p, finding)]
            counted = [i for i in hits if not problems[i].get("debatable")]
            if not hits:
                fp[finding["category"]] += 1
                noise.append(f"  FP {name}:{finding['line']} {finding['rule']}: {finding['match'][:60]!r}")
            elif counted:
                flagged[finding["category"]] += 1
                used.add(counted[0])
        for i, problem in enumerate(problems):
            if problem.get("debatable"):
                continue
            if i in used:
                tp[problem["category"]] += 1
            else:
                fn[problem["category"]] += 1
                misses.append(f"  FN {name}:{problem['line']} {problem['category']}: {problem['text'][:60]!r}")
    print(f"{'category':16} {'labels':>6} {'found':>6} {'recall':>7} {'FP':>4} {'precision':>9}")
    for category in sorted(set(tp) | set(fn) | set(fp)):
        labelled = tp[category] + fn[category]
        recall = tp[category] / labelled if labelled else float("nan")
        total = flagged[category] + fp[category]
        precision = flagged[category] / total if total else float("nan")
        print(f"{category:16} {labelled:6} {tp[category]:6} {recall:7.2f} {fp[category]:4} {precision:9.2f}")
    all_tp, all_fn = sum(tp.values()), sum(fn.values())
    all_flagged, all_fp = sum(flagged.values()), sum(fp.values())
    print(f"{'all':16} {all_tp + all_fn:6} {all_tp:6} {all_tp / max(all_tp + all_fn, 1):7.2f} {all_fp:4} "
          f"{all_flagged / max(all_flagged + all_fp, 1):9.2f}")
    if "-v" in sys.argv:
        print("\n".join(["misses:", *misses, "false positives:", *noise]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
