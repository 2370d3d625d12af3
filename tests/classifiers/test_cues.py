"""The cue matchers, each run only on posts holding a word it needs, find what one Matcher with
every pattern finds."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.matcher import Matcher

from classifiers.cues import CueMatcher, _gate, _patterns, blank_english, kept
from classifiers.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]


def test_gated_matchers_find_every_cue_one_matcher_finds() -> None:
    nlp = blank_english()
    everything = Matcher(nlp.vocab)
    for key, (_, _, patterns) in _patterns().items():
        everything.add(key, patterns)
    ours = CueMatcher()
    files = sorted((ROOT / "classifiers" / "corpus" / "written").glob("w*/posts.jsonl"))
    found = 0
    for path in files[1::3]:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = normalise(json.loads(line)["text"]).text
            doc = nlp.make_doc(text)
            expected = sorted(
                (doc[s:e].start_char, doc[s:e].end_char, nlp.vocab.strings[k])
                for k, s, e in everything(doc)
                if kept(doc, nlp.vocab.strings[k], e)
            )
            kinds = {key: name for key, (_, name, _) in _patterns().items()}
            got = sorted((c.start, c.end, c.name) for c in ours.find(text, doc))
            assert got == sorted((s, e, kinds[k]) for s, e, k in expected), text
            found += len(got)
    assert found > 300


def test_a_gate_is_a_word_every_match_needs() -> None:
    # "the Y6 boy": the determiner and year may vary, the child word may not
    gate = _gate([[{"LOWER": {"IN": ["the", "a"]}}, {"LOWER": "y6", "OP": "?"},
                   {"LOWER": {"IN": ["boy", "girl"]}}]])  # fmt: skip
    assert gate == frozenset({"boy", "girl"})
    assert _gate([[{"IS_ALPHA": True}]]) is None  # no word to look for: always run


def test_a_weapon_the_school_keeps_out_is_no_cue() -> None:
    ours = CueMatcher()
    for text in ("my lad came home obsessed with the knife safety workshop",
                 "they were stood with the knife arch lads at the gate",
                 "came back with the knife-crime leaflet"):  # fmt: skip
        assert [c for c in ours.find(text) if c.kind == "threat"] == [], text
    for text in ("he said he's bringing a knife to school", "she was waiting with a knife"):
        assert [c.name for c in ours.find(text)] == ["mentions bringing a weapon"], text
