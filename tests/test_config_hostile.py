"""Hostile or broken configuration: one line naming the file and the key, exit 2 (issue 13, item 11)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest


def run(tmp_path, config: bytes, extra: dict[str, bytes] | None = None) -> subprocess.CompletedProcess:
    (tmp_path / "brief.md").write_text("Our market-leading platform.\n")
    (tmp_path / "cg.toml").write_bytes(config)
    for name, content in (extra or {}).items():
        (tmp_path / name).write_bytes(content)
    return subprocess.run([sys.executable, "-m", "collateral_guard", "check", "brief.md", "--config", "cg.toml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)


PACK_HEAD = b"category: superlative\nrules:\n  x:\n    kind: existence\n"
PACK_TAIL = b"    examples: {bad: [a], good: [b]}\n"


@pytest.mark.parametrize("config, extra, message", [
    (b'vocabulary = ["caf\xe9"]\n', None, "cg.toml: config is not UTF-8 (byte 18): save it as UTF-8"),
    (b'rule-packs = ["p.yml"]\n', {"p.yml": b"rules:\n  - a list item\n"},
     "p.yml: 'rules' must be a table of rule id: rule"),
    (b'rule-packs = ["p.yml"]\n', {"p.yml": b"\xff\xfe r\x00"}, "p.yml: rule pack is not UTF-8 (byte 0): save it as UTF-8"),
    (b'rule-packs = ["p.yml"]\n',
     {"p.yml": PACK_HEAD + b"    summary: s\n    description: d\n    message: 2024-01-01\n    terms: [a]\n" + PACK_TAIL},
     "p.yml: rule 'x': 'message' is required"),
    (b'customers-file = "c.yml"\n', {"c.yml": b"1: {names: [Alpha]}\n'1': {names: [Beta]}\n"},
     "c.yml: customer id '1' appears twice"),
    (b'customers-file = "c.yml"\n', {"c.yml": b"acme: {names: [2024-01-01]}\n"},
     "c.yml: key 'acme.names' must be a list of strings"),
    (b'vocabulary-file = 2024-01-01\n', None, "cg.toml: key 'vocabulary-file' must be a path"),
    (b'internal-domains = ["corp.acme.io", ""]\n', None,
     "cg.toml: key 'internal-domains' must be a list of domain names (none empty)"),
    (b'[rules.long-sentence]\nmax-words = -1\n', None, "cg.toml: key 'rules.long-sentence.max-words' must be a finite number, not negative"),
    (b'[rules.hard-to-read-section]\nmax-grade = nan\n', None,
     "cg.toml: key 'rules.hard-to-read-section.max-grade' must be a finite number, not negative"),
    (b'vocabulary-file = "v.txt"\n', {"v.txt": b"caf\xe9\n"}, "v.txt: vocabulary file is not UTF-8 (byte 3): save it as UTF-8"),
])
def test_bad_configuration_is_one_line_naming_file_and_key(tmp_path, config, extra, message):
    done = run(tmp_path, config, extra)
    assert done.returncode == 2
    assert done.stderr == f"collateral-guard: error: {message}\n"


def test_a_byte_order_mark_is_accepted(tmp_path):
    done = run(tmp_path, b'\xef\xbb\xbf[rules.superlative]\nseverity = "error"\n')
    assert done.returncode == 1 and "error unsourced-superlative" in done.stdout


def test_a_yaml_alias_bomb_in_a_customers_file_is_refused_quickly(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        lines.append(f"b{level}: &b{level} [" + ", ".join([f"*{'a' if level == 1 else f'b{level - 1}'}"] * 9) + "]")
    lines.append("bomb: {names: *b9}")
    started = time.monotonic()
    done = run(tmp_path, b'customers-file = "c.yml"\n', {"c.yml": "\n".join(lines).encode() + b"\n"})
    assert done.returncode == 2
    assert done.stderr == "collateral-guard: error: c.yml: line 2: YAML aliases (*name) are not allowed\n"
    assert time.monotonic() - started < 30  # expanded, it would not finish at all


def test_an_oversized_customers_file_is_refused(tmp_path):
    big = b"id,names\n" + b"".join(b"c%d,Customer number %d\n" % (n, n) for n in range(800_000))
    done = run(tmp_path, b'customers-file = "c.csv"\n', {"c.csv": big})
    assert done.returncode == 2
    assert done.stderr == "collateral-guard: error: c.csv: customers file larger than 16 MB: refused\n"
