"""check --cache: unchanged files reuse their results; any change to a file or the configuration scans again."""

from __future__ import annotations

import json

from test_cli import run, write

# A GitHub token shape the secret rule knows; written here, never a real credential.
TOKEN = "ghp_" + "Q7rT9wLm2Xv4Kp8Zs1Nd6Hf3Jb5Cg0Ye" + "Wa"
BRIEF = f"# Brief\n\nOur market-leading platform is ready.\n\nDeploy with token {TOKEN} today.\n"


def findings(result) -> list[tuple]:
    report = json.loads(result.stdout)
    return [(f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"]]


def check(folder, *extra):
    return run("check", "brief.md", "--format", "json", "--cache", "--jobs", "1", *extra, cwd=folder)


def entries(folder) -> list:
    return sorted((folder / ".collateral-guard-cache").glob("*/*.json"))


def test_second_run_reuses_the_stored_result(tmp_path):
    write(tmp_path, "brief.md", BRIEF)
    first = check(tmp_path)
    assert first.returncode == 1
    assert [(r, line, col) for r, line, col, _ in findings(first)] == [
        ("unsourced-superlative", 3, 5), ("leaked-credential", 5, 19)]
    [entry] = entries(tmp_path)
    # Prove the second run reads the cache rather than scanning: edit the stored message.
    stored = json.loads(entry.read_text())
    stored["findings"][0]["message"] = "from the cache"
    entry.write_text(json.dumps(stored))
    second = check(tmp_path)
    assert findings(second)[0][3] == "from the cache"
    assert second.returncode == 1


def test_cache_never_holds_a_secret_in_full(tmp_path):
    write(tmp_path, "brief.md", BRIEF)
    check(tmp_path)
    [entry] = entries(tmp_path)
    text = entry.read_text()
    assert TOKEN not in text and TOKEN[4:] not in text
    assert (tmp_path / ".collateral-guard-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_changed_file_is_scanned_again(tmp_path):
    write(tmp_path, "brief.md", BRIEF)
    check(tmp_path)
    write(tmp_path, "brief.md", "# Brief\n\nOur platform is ready.\n")
    again = check(tmp_path)
    assert findings(again) == []
    assert again.returncode == 0
    assert len(entries(tmp_path)) == 2  # one per content; same configuration


def test_a_changed_configuration_starts_a_fresh_cache(tmp_path):
    write(tmp_path, "brief.md", BRIEF)
    check(tmp_path)
    old = entries(tmp_path)
    write(tmp_path, ".collateral-guard.toml", '[rules.superlative]\nenabled = false\n')
    again = check(tmp_path)
    assert [f[0] for f in findings(again)] == ["leaked-credential"]
    assert not any(path.exists() for path in old)  # the old configuration's folder is gone
    assert len(entries(tmp_path)) == 1


def test_select_is_part_of_the_key(tmp_path):
    write(tmp_path, "brief.md", BRIEF)
    check(tmp_path)
    only = check(tmp_path, "--select", "secret")
    assert [f[0] for f in findings(only)] == ["leaked-credential"]


def test_unreadable_files_are_not_cached(tmp_path):
    write(tmp_path, "brief.md", "\x00binary")
    result = check(tmp_path)
    assert result.returncode == 2
    assert entries(tmp_path) == []
