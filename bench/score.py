"""Precision and recall per category on the hand-labelled collateral in bench/labelled.yml.

    python bench/score.py

Each sentence is one Markdown document; a category counts as found in a sentence
when at least one finding of that category is reported for it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from collateral_guard.config import parse_config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target

LABELLED = Path(__file__).with_name("labelled.yml")
SKIP = {"readability"}  # scored per section, not per sentence


def main() -> None:
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    config = parse_config(data["config"], LABELLED)
    scanner = Scanner(config, active_rules(config), data.get("customer"))
    true_positive, false_positive, false_negative = Counter(), Counter(), Counter()
    for number, item in enumerate(data["sentences"], start=1):
        result = scanner.scan(Target(f"s{number}.md", f"s{number}.md"), item["text"].encode() + b"\n")
        found = {f.category for f in result.findings} - SKIP
        expected = set(item["labels"])
        for category in found & expected:
            true_positive[category] += 1
        for category in found - expected:
            false_positive[category] += 1
            print(f"false positive {category}: {item['text']}")
        for category in expected - found:
            false_negative[category] += 1
            print(f"missed {category}: {item['text']}")
    print("\n| category | precision | recall | labelled |\n|---|---|---|---|")
    for category in sorted(set(true_positive) | set(false_positive) | set(false_negative)):
        tp, fp, fn = true_positive[category], false_positive[category], false_negative[category]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {category} | {precision:.2f} ({tp}/{tp + fp}) | {recall:.2f} ({tp}/{tp + fn}) | {tp + fn} |")


if __name__ == "__main__":
    main()
