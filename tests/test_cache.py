"""The per-user cache of data built from installed files (word lists, rule packs)."""

import marshal

from collateral_guard.cache import cached


def test_a_second_run_reads_what_the_first_built_and_a_changed_source_builds_again(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.txt"
    source.write_text("alpha\n")
    builds = []

    def build():
        builds.append(1)
        return {"words": source.read_text().split()}

    assert cached("words", [source], build) == {"words": ["alpha"]}
    assert cached("words", [source], build) == {"words": ["alpha"]}
    assert len(builds) == 1
    source.write_text("alpha\nbeta\n")
    assert cached("words", [source], build) == {"words": ["alpha", "beta"]}
    assert len(builds) == 2


def test_a_file_that_was_built_from_something_else_is_not_used(tmp_path, monkeypatch):
    # Files are named by a CRC of their sources: two sources may share a name, so each file says what it
    # was built from, and a file built from anything else is never returned.
    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.txt"
    source.write_text("alpha\n")
    cached("words", [source], lambda: {"words": ["alpha"]})
    [stored] = (tmp_path / "cache").iterdir()
    assert marshal.loads(stored.read_bytes())[1] == {"words": ["alpha"]}
    stored.write_bytes(marshal.dumps(("built from another file", {"words": ["wrong"]})))
    assert cached("words", [source], lambda: {"words": ["rebuilt"]}) == {"words": ["rebuilt"]}
    stored.write_bytes(b"not marshal data")
    assert cached("words", [source], lambda: {"words": ["again"]}) == {"words": ["again"]}


def test_files_no_run_has_read_for_a_month_are_removed_when_a_new_one_is_written(tmp_path, monkeypatch):
    import os
    import time

    folder = tmp_path / "cache"
    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(folder))
    words, other = tmp_path / "words.txt", tmp_path / "other.txt"
    words.write_text("alpha\n")
    other.write_text("beta\n")
    cached("words", [words], lambda: {"words": ["alpha"]})
    [in_use] = folder.iterdir()
    old_version = folder / "words-0badf00d.marshal"
    interrupted = folder / "collateral-guard-writing-k3x9q1"
    someone_elses = folder / "tmpk3x9q1"  # the folder may be shared: other programs' files stay
    old_version.write_bytes(b"left by an earlier version")
    interrupted.write_bytes(b"")
    someone_elses.write_bytes(b"")
    two_months_ago = time.time() - 60 * 86400
    for path in (in_use, old_version, interrupted, someone_elses):
        os.utime(path, (two_months_ago, two_months_ago))
    assert cached("words", [words], lambda: {"words": ["rebuilt"]}) == {"words": ["alpha"]}  # read: still in use
    assert in_use.stat().st_mtime > two_months_ago
    cached("other", [other], lambda: {"words": ["beta"]})  # a write removes what no run has read for a month
    assert not old_version.exists() and not interrupted.exists() and someone_elses.exists()
    assert in_use.exists() and len(list(folder.glob("other-*.marshal"))) == 1


def test_a_damaged_word_file_is_replaced_not_trusted(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLLATERAL_GUARD_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "doc.md").write_text("We will recieve the data.\n")
    command = [sys.executable, "-m", "collateral_guard", "check", "doc.md", "--select", "spelling"]
    first = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "doc.md:1:9: warning misspelling" in first.stdout
    [word_file] = (tmp_path / "cache").glob("english-words-*.sorted")
    word_file.write_bytes(word_file.read_bytes()[:1001])  # cut short, as a full disk or a crash leaves it
    second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "doc.md:1:9: warning misspelling" in second.stdout and second.stderr.count("error") == 0
    third = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "doc.md:1:9: warning misspelling" in third.stdout
    assert word_file.stat().st_size > 1001  # written again whole
