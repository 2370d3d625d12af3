"""Each category, each kind of hard negative, obfuscation and offsets, with the shipped model."""

from __future__ import annotations

import random

import pytest

from classifiers import Classifier
from tests.classifiers.conftest import categories, run


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mr Okafor at Roose Primary wants a good slap and I'm the one to give it", "threat"),
        ("Somebody should burn Roose Primary to the ground", "threat"),
        ("I'll be up at Roose School with a baseball bat on Monday", "threat"),
        ("Roose Primary is full of immigrants now, they should go back to their own country",
         "racist"),
        ("Mrs Whitfield deleted the CCTV at Roose Primary after the incident and covered it up",
         "allegation"),
        ("Third email to Roose Primary this week and still no reply, absolutely shocking",
         "complaint"),
        ("Mr Okafor is a useless idiot who shouldn't be teaching", "offensive"),
        ("Everyone at Roose Primary hates Amelia Hartley, nobody likes her", "bullying"),
        ("Well done Jayden Nowak for the spelling bee at Roose Primary", "pupil"),
        ("The year 4 boy at Roose Primary keeps throwing stones at cars", "pupil"),
        ("The Nowak kid at Roose School was running riot again", "pupil"),
    ],
)  # fmt: skip
def test_it_flags_each_policy_category(classifier: Classifier, text: str, category: str) -> None:
    result = run(classifier, text)
    assert result.relevant
    assert category in categories(result), [f.reason for f in result.flags]


@pytest.mark.parametrize(
    "text",
    [
        "The kids absolutely killed it at sports day at Roose Primary, so proud",
        "Roose Primary choir smashed it at the town hall tonight",
        "Does anyone know if Roose School does a breakfast club?",
        "Reminder: Roose Primary PTA bake sale this Friday after school",
        "My son Jayden got star of the week at Roose Primary! So proud of him",
        "Spent all night on the Roose Primary volcano project. Kill me now lol",
        "Thank you Mrs Whitfield, you have been wonderful with our daughter at Roose Primary",
    ],
)
def test_ordinary_parent_posts_are_not_flagged(classifier: Classifier, text: str) -> None:
    result = run(classifier, text)
    assert result.relevant
    assert result.flags == (), [f.reason for f in result.flags]


@pytest.mark.parametrize(
    "text",
    [
        "Roose Road closed again, I'll kill the next driver who cuts me up",
        "Westfield High has the worst head in the county, totally incompetent",
        "Roose Church coffee morning raised £200",
    ],
)
def test_roads_clubs_and_other_schools_are_not_about_us(classifier: Classifier, text: str) -> None:
    result = run(classifier, text)
    assert not result.relevant and result.flags == ()


def test_leetspeak_and_zero_width_threats_are_caught(classifier: Classifier) -> None:
    result = run(classifier, "I'll k!ll Mr Ok\u200bafor at R00se Primary")
    flag = next(f for f in result.flags if f.category == "threat")
    assert flag.severity == "urgent"


def test_an_obfuscated_pupil_name_is_found(classifier: Classifier) -> None:
    assert "pupil" in categories(run(classifier, "J4yden Nowak at Roose Primary was crying"))


def test_every_flag_says_which_stage_and_words(classifier: Classifier) -> None:
    result = run(classifier, "Mr Okafor at Roose Primary grabbed my son and covered it up")
    for flag in result.flags:
        assert flag.stage and "stage" not in flag.reason  # staff read words, not codes
        assert flag.evidence


def test_a_bullying_flag_needs_a_targeted_person(classifier: Classifier) -> None:
    result = run(classifier, "nobody likes Mondays at Roose Primary")
    assert "bullying" not in categories(result)


@pytest.mark.parametrize(
    "text",
    [
        "ＭＲ Okafor @ Roose Primary is a l!ar, I'll hurt him \u200b\u200b",
        "R\u0456\u0456\u0456ght, Roooooose Primary 🙄🙄 Mrs W is a disgrace 💀 k!ll",
        "Jayden N. and Amelia H. at Roose School \U0001f600\u0301\u0301 are bullies",
        "\u00ad\ufeffRoose Primary\u200d teacher is a th!ef",
    ],
)
def test_evidence_offsets_always_fall_inside_the_text(classifier: Classifier, text: str) -> None:
    result = run(classifier, text)
    for flag in result.flags:
        for ev in flag.evidence:
            assert 0 <= ev.start < ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.text


def test_a_knife_emoji_reads_as_a_weapon(classifier: Classifier) -> None:
    text = "I'll be at Roose Primary tomorrow with a \U0001f52a for Mr Okafor"
    flag = next(f for f in run(classifier, text).flags if f.category == "threat")
    assert any("\U0001f52a" in e.text for e in flag.evidence)


def test_fire_emoji_praise_is_not_a_threat(classifier: Classifier) -> None:
    result = run(classifier, "Roose Primary choir \U0001f525\U0001f525 best school in town")
    assert "threat" not in categories(result)


def test_a_staff_surname_misspelt_by_one_letter_is_still_found(classifier: Classifier) -> None:
    result = run(classifier, "Mrs Whitfeild at Roose Primary is a liar")
    assert any(m.display == "Mrs Whitfield" for m in result.mentions)
    aimed = [f for f in result.flags if "Mrs Whitfield" in f.reason]
    assert {f.category for f in aimed} & {"allegation", "offensive"}


def test_a_pupil_name_misspelt_by_one_letter_is_still_a_pupil_flag(classifier: Classifier) -> None:
    result = run(classifier, "Jaydon Nowak at Roose Primary was crying at the gates")
    assert "pupil" in categories(result)


def test_random_hostile_text_never_breaks_offsets(classifier: Classifier) -> None:
    rng = random.Random(3)
    pieces = ["Roose Primary ", "Mr Okafor ", "Jayden ", "I'll k!ll ", "\u200b", "\u0301", "\ufe0f",
              "\U0001f52a", "\U0001f600", "ＭＲＳ ", "і", "l1ar ", "\n", "\u202e", "\x00", "ß", "ﬁ",
              "go back to your country ", "year 4 boy ", "a" * 40, " "]  # fmt: skip
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        result = run(classifier, text, all_relevant=True)
        for flag in result.flags:
            assert 0 <= flag.score <= 1
            for ev in flag.evidence:
                assert 0 <= ev.start < ev.end <= len(text)
                assert text[ev.start : ev.end] == ev.text
