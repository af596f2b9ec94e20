"""Named cases per category, written as YAML in tests/cases/<category>.yml, run by one runner.

Each case gives a document and the exact findings expected from that category
(or from ``select``): ``[rule, line, column]`` triples, ``[]`` for none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import make_config, scan_text

CASES = Path(__file__).parent / "cases"


def load_cases():
    for path in sorted(CASES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(path.stem, case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("category, case", list(load_cases()))
def test_case(category, case, tmp_path):
    config = make_config(case.get("config"), tmp_path)
    select = tuple(case.get("select", [category]))
    result = scan_text(case["text"], name=case.get("file", "doc.md"), config=config,
                       customer=case.get("customer"), select=select)
    assert result.error is None
    found = [[f.rule, f.line, f.column] for f in result.findings]
    assert found == case["expect"]
