"""Check that every label's text occurs on its labelled line; print counts per category."""
import collections
import pathlib
import sys

import yaml

root = pathlib.Path(__file__).parent
labels = yaml.safe_load((root / "labels.yml").read_text(encoding="utf-8"))
counts, bad = collections.Counter(), 0
for name, entry in labels["files"].items():
    lines = (root / name).read_text(encoding="utf-8").split("\n")
    for problem in entry["problems"]:
        counts[problem["category"]] += 1
        if problem["text"] not in lines[problem["line"] - 1]:
            bad += 1
            print(f"{name}:{problem['line']}: text not on line: {problem['text']!r}")
print(sum(counts.values()), "labels,", bad, "bad:", dict(sorted(counts.items())))
sys.exit(1 if bad else 0)
