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
