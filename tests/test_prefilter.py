"""A rule pack's pattern runs only on a text holding one of its required words: never a match lost."""

from pathlib import Path

import pytest
import yaml

from collateral_guard.config import Config
from collateral_guard.errors import FatalError
from collateral_guard.rules.packs import load_pack
from collateral_guard.rules.prefilter import lowered, required_words
from collateral_guard.rules.regex import LazyRE2, compile_re2
from collateral_guard.rules.registry import builtin_packs

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("pattern, words", [
    (r"(?i)\b(?:coming\s+soon)\b", ("coming",)),  # the longer of the words one after another
    (r"(?i)\b(?:industry[-\s]leading|best\s+in\s+class)\b", ("class", "industry")),
    (r"organi[sz]ation", ("organisation", "organization")),
    (r"\b(?:TODO|TBD)\b", ("tbd", "todo")),
    (r"ships?\s+in\s+Q[1-4]", ("ship",)),
    (r"v\d+", ("v",)),
])
def test_required_words_of_a_pattern(pattern, words):
    assert required_words(pattern) == words


@pytest.mark.parametrize("pattern", [
    r"[^\]]{1,80}",  # nothing but classes
    r"(?:roadmap)?\d+",  # an optional word is not required
    r"[[:alpha:]]+ free",  # POSIX classes are RE2's, not Python's: not read
    r"\p{Lu}nique",  # nor are Unicode classes
    r"stra(?i:ß)e",  # a non-ASCII letter: RE2 folds it in ways str.lower() does not
    r"(unclosed",
])
def test_no_words_where_none_can_be_said(pattern):
    assert required_words(pattern) is None


def test_long_s_and_kelvin_sign_fold_like_re2():
    assert lowered("\u017foon at 5 \u212a") == "soon at 5 k"
    assert compile_re2(r"(?i)soon").search("ſoon") is not None


def _texts() -> list[str]:
    texts = []
    for path in sorted(CASES.glob("*.yml")):
        texts += [case["text"] for case in yaml.safe_load(path.read_text("utf-8"))]
    for rule in builtin_packs():
        texts += [*rule.info.bad, *rule.info.good]
    return texts


def test_every_match_in_the_test_cases_holds_a_required_word():
    texts = _texts()
    checked = 0
    for rule in builtin_packs():
        patterns = [p for p in (rule.pattern, rule.about_us) if p is not None]
        for text in texts:
            if any(p.search(text) for p in patterns):
                checked += 1
                if rule.words is not None:
                    assert any(w in lowered(text) for w in rule.words), (rule.info.id, text)
    assert checked > 100


def test_most_builtin_rules_have_required_words():
    rules = builtin_packs()
    assert sum(rule.words is not None for rule in rules) >= len(rules) - 3


def test_a_pack_is_compiled_whole_when_first_read_then_lazily(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "house.yml"
    pack.write_text(
        "category: jargon\nrules:\n  house-term:\n    kind: existence\n    summary: s\n    description: d\n"
        "    message: m\n    terms: [Project Falcon, '(?:blue|red) team']\n"
        "    examples: {bad: [Project Falcon ships.], good: [The module ships.]}\n", "utf-8")
    first = load_pack(pack)[0]
    assert not isinstance(first.pattern, LazyRE2)
    assert first.words == ("project", "team")  # the longer word of each term
    again = load_pack(pack)[0]
    assert isinstance(again.pattern, LazyRE2) and again.words == first.words
    assert [m.span() for m in again.pattern.finditer("a Red  Team and project falcon")] == [(2, 11), (16, 30)]


def test_an_invalid_pattern_stops_the_run_on_every_read(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "bad.yml"
    pack.write_text(
        "category: jargon\nrules:\n  broken:\n    kind: existence\n    summary: s\n    description: d\n"
        "    message: m\n    terms: ['(?:unclosed']\n    examples: {bad: [x], good: [y]}\n", "utf-8")
    for _ in range(2):
        with pytest.raises(FatalError, match="rule 'broken': invalid pattern"):
            load_pack(pack)


def test_findings_are_the_same_with_and_without_the_word_check(tmp_path, monkeypatch):
    from collateral_guard.engine import check_document
    from collateral_guard.readers import read_document
    from collateral_guard.rules import packs
    from collateral_guard.rules.base import DocumentFacts, document_links
    from collateral_guard.rules.registry import ActiveRule, packs_folder

    monkeypatch.setenv("COLLATERAL_GUARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(packs, "PREFILTER_TEXTS", 10**9)  # look for the words in every text
    paths = sorted(packs_folder().glob("*.yml"))
    eager = [rule for path in paths for rule in load_pack(path)]  # first read: compiled, no look
    lazy = [rule for path in paths for rule in load_pack(path)]
    assert all(isinstance(rule.pattern, LazyRE2) for rule in lazy)

    def findings(rules) -> list[tuple]:
        active = [ActiveRule(rule, rule.info.severity) for rule in rules]
        found = []
        for text in texts:
            document = read_document("case.md", text.encode(), 10_000)
            facts = DocumentFacts(target_customer=None, vendor_names=(), vendor_domains=(),
                                  links=document_links(document.segments))
            found += [(f.rule, f.line, f.column, f.match) for f in check_document(document, active, facts)]
        return found

    clean = [rule for path in paths for rule in load_pack(path)]
    texts = ["Install the agent on each host; it forwards 20,000 events per second on a 4 vCPU host."]
    assert findings(clean) == []
    assert sum(not rule.pattern.compiled for rule in clean) >= len(clean) // 2  # never needed there

    texts = _texts()
    for rule in eager:
        rule.words = None
    with_look = findings(lazy)
    assert with_look == findings(eager) and len(with_look) > 100
