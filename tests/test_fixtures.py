"""Golden files: the sample collateral and exactly the findings it must produce.

fixtures/expected/<name>.json lists [rule, line, column] for each finding. When a
rule changes on purpose, regenerate with
    python tests/test_fixtures.py --update
and review the diff line by line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = FIXTURES / "expected"
SAMPLES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".md", ".docx", ".pptx", ".xlsx"))


def findings(sample: Path) -> list[list]:
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", sample.name, "--format", "json"],
                            cwd=FIXTURES, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["files"] == [{"path": sample.name, "status": "ok", "error": None}]
    return [[f["rule"], f["line"], f["column"]] + ([f["part"]] if f["part"] else []) for f in report["findings"]]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_collateral_matches_its_golden_file(sample):
    expected = json.loads((EXPECTED / f"{sample.name}.json").read_text())
    assert findings(sample) == expected


def test_the_deployment_guide_is_clean():
    assert json.loads((EXPECTED / "deployment-guide.md.json").read_text()) == []


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    EXPECTED.mkdir(exist_ok=True)
    for sample in SAMPLES:
        lines = ",\n  ".join(json.dumps(f) for f in findings(sample))
        (EXPECTED / f"{sample.name}.json").write_text(f"[\n  {lines}\n]\n" if lines else "[]\n")
