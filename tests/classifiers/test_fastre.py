"""Grouped alternations find exactly what the patterns as written find, only sooner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from classifiers.fastre import compile_grouped
from classifiers.normalise import normalise
from classifiers.patterns import rules

ROOT = Path(__file__).resolve().parents[2]


def _labelled_texts() -> list[str]:
    files = sorted((ROOT / "classifiers" / "corpus" / "written").glob("w*/posts.jsonl"))
    texts = []
    for path in files[::3]:  # every third set: thousands of posts of every kind
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(normalise(json.loads(line)["text"]).text)
    return texts


def test_every_rule_finds_the_same_spans_as_the_pattern_compiled_as_written() -> None:
    texts = _labelled_texts()
    assert len(texts) > 2000
    compared = 0
    for rule in rules():
        plain = re.compile(rule.pattern.pattern)
        assert rule.pattern.pattern == plain.pattern
        for text in texts:
            got = [m.span() for m in rule.pattern.finditer(text)]
            assert got == [m.span() for m in plain.finditer(text)], (rule.name, text)
            compared += len(got)
    assert compared > 500  # the rules did fire on these posts


@pytest.mark.parametrize(
    ("regex", "text"),
    [
        # A barrier (\w+ may start with any letter) keeps "stab" after it: "stabbing" must be
        # taken by \w+ first, as written.
        (r"(?:shoot|\w+ing|stab|slap|sting)", "stabbing stab slap sting shooting"),
        (r"(?:(?:very )?bad|(?:we|they) hate|[ai]ll|badly)", "very bad badly all ill we hate"),
        (r"(?:kill|kills|killer|killed)(?!\w)", "kill kills killers killed"),
        (r"(?<!\w)(?:(g)et|(g)o|(s)top|(s)ee)", "get go stop see"),
        (r"(?:ab|ac|ad|a)", "ab ac ad a ae"),
    ],
)
def test_grouping_keeps_leftmost_first_matches_and_groups(regex: str, text: str) -> None:
    grouped, plain = compile_grouped(regex), re.compile(regex)
    assert grouped is not plain  # rewritten and compiled here, not the plain compile's cache
    assert grouped.pattern == regex and grouped.groups == plain.groups
    assert [(m.span(), m.groups()) for m in grouped.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]


def test_case_blind_patterns_are_compiled_as_written() -> None:
    pattern = compile_grouped(r"(?:Stab|slap|shoot|sting)", re.IGNORECASE)
    assert [m.group(0) for m in pattern.finditer("STAB Slap")] == ["STAB", "Slap"]
