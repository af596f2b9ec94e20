"""Time one document shaped like issue 13's slow case: a 24 KB paragraph of short sentences.

    python bench/long_paragraph.py [--kb 24]

Every sentence holds a term the claim rules flag, so every finding needs its
sentence. Finding a sentence used to scan the paragraph from its start (18 s
for this shape); now the sentence ends of a text are found once. Prints the
time of a scan in this process; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from collateral_guard.config import Config
from collateral_guard.rules.registry import active_rules
from collateral_guard.scan import Scanner, Target

SENTENCES = ("It is fast.", "It is world-class.", "It is lightning fast.", "It is industry-leading.",
             "It is cutting-edge.")


def paragraph(kilobytes: int) -> str:
    words: list[str] = []
    size = 0
    while size < kilobytes * 1024:
        sentence = SENTENCES[len(words) % len(SENTENCES)]
        words.append(sentence)
        size += len(sentence) + 1
    return " ".join(words) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-paragraph.md"
        path.write_text("# Overview\n\n" + paragraph(args.kb), encoding="utf-8")
        config = Config()
        scanner = Scanner(config, active_rules(config))
        scanner.warm_up()
        started = time.perf_counter()
        result = scanner.scan(Target(str(path), str(path)))
        elapsed = time.perf_counter() - started
    print(f"{args.kb} KB paragraph of short sentences: {len(result.findings)} findings in {elapsed:.2f} s"
          + (f" (error: {result.error})" if result.error else ""))


if __name__ == "__main__":
    main()
