"""The two-edit correction search skips strings no known word starts with: it must find the same words."""

import pytest

from collateral_guard.rules.spelling import _one_edit, _two_edits, english_frequencies


@pytest.mark.parametrize("word", ["recieve", "acording", "enviroment", "teh", "qwzrtyx", "xyzzyq", "don't",
                                  "naïve", "definately", "seperate"])
def test_the_pruned_search_finds_every_known_word_two_edits_away(word):
    known = english_frequencies()
    near = _one_edit(word)
    every = {w2 for w1 in near for w2 in _one_edit(w1)}
    pruned = _two_edits(near, known)
    assert pruned <= every
    assert known.known_among(pruned) == known.known_among(every)


def test_recieve_two_edits_away_includes_receive():
    known = english_frequencies()
    assert "receive" in known.known_among(_two_edits(_one_edit("recieve"), known))
