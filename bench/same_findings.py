"""Record the findings on the benchmark corpora, or check that they are unchanged.

    python bench/same_findings.py record BEFORE_DIR --markdown /tmp/b4k
    python bench/same_findings.py check BEFORE_DIR --markdown /tmp/b4k

A speed change must not change a single finding. This runs `check --format json` on
the real Markdown subset (a folder of extracted VBA-Docs files) and on every company
of ../shared/corpora/marketing with its own <company>.toml, and stores or compares
the reports. Exits 1 and names the corpus when any report differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COLLATERAL_GUARD_SHARED", ROOT.parent / "shared"))
TOOL = Path(sys.executable).parent / "collateral-guard"


def corpora(markdown: Path | None) -> dict[str, list[str]]:
    """Report name -> the arguments that scan that corpus."""
    runs = {}
    if markdown is not None:
        runs["markdown-subset"] = [str(markdown)]
    marketing = SHARED / "corpora" / "marketing"
    for config in sorted(marketing.glob("*.toml")):
        runs[config.stem] = [str(marketing / config.stem), "--config", str(config)]
    return runs


def report(arguments: list[str]) -> list[dict]:
    done = subprocess.run([str(TOOL), "check", *arguments, "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("folder", type=Path, help="where the recorded reports are kept")
    parser.add_argument("--markdown", type=Path, help="a folder of extracted real Markdown files")
    options = parser.parse_args()
    options.folder.mkdir(parents=True, exist_ok=True)
    differing = []
    for name, arguments in corpora(options.markdown).items():
        found = report(arguments)
        stored = options.folder / f"{name}.json"
        if options.action == "record":
            stored.write_text(json.dumps(found, indent=1, sort_keys=True))
        elif json.loads(stored.read_text()) != found:
            differing.append(name)
        print(f"{name}: {'differs' if name in differing else 'ok'}", flush=True)
    if differing:
        sys.exit(f"findings differ on: {', '.join(differing)}")


if __name__ == "__main__":
    main()
