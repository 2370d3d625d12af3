"""The people stage: every way a roster person is named, and the ways they are not."""

from __future__ import annotations

import pytest

from classifiers.normalise import normalise
from classifiers.people import PeopleMatcher
from config import Person, Roster

ROSTER = Roster(
    pupils=(
        Person("pupil", "Jayden", "Nowak", ("JJ",), year_group="4"),
        Person("pupil", "Lily-Mae", "Foster", (), year_group="2"),
        Person("pupil", "Amelia", "Hartley", (), year_group="6"),
        Person("pupil", "Amelia", "Quist", (), year_group="3"),
    ),
    staff=(
        Person("staff", "Sarah", "Whitfield", ("Mrs W",), title="Mrs", role="Headteacher"),
        Person("staff", "David", "Okafor", (), title="Mr", role="Teacher"),
        Person("staff", "Rupert", "Fairclough-Hale", (), title="Mr", role="Head"),
    ),
)


@pytest.fixture(scope="module")
def matcher() -> PeopleMatcher:
    return PeopleMatcher(ROSTER)


def found(
    matcher: PeopleMatcher, text: str, school_context: bool = True
) -> list[tuple[str, str, str]]:
    mentions = matcher.find(normalise(text), school_context)
    return [(m.display, m.how, text[m.start : m.end]) for m in mentions]


@pytest.mark.parametrize(
    ("text", "who", "how", "words"),
    [
        ("jayden nowak was crying", "Jayden Nowak", "full name", "jayden nowak"),
        ("JJ was crying", "Jayden Nowak", "alias", "JJ"),
        ("Jayden N. was crying", "Jayden Nowak", "first name and initial", "Jayden N."),
        ("Jayden N was crying", "Jayden Nowak", "first name and initial", "Jayden N"),
        ("the Nowak kid again", "Jayden Nowak", "surname and 'kid'", "the Nowak kid"),
        ("Mrs Whitfield is lying", "Mrs Whitfield", "title and surname", "Mrs Whitfield"),
        ("Mrs. Whitfield's office", "Mrs Whitfield", "title and surname", "Mrs. Whitfield"),
        ("mr fairclough-hale again", "Mr Fairclough-Hale", "title and surname",
         "mr fairclough-hale"),
        ("Lily-Mae Foster won", "Lily-Mae Foster", "full name", "Lily-Mae Foster"),
        ("J4yden Nowak's coat", "Jayden Nowak", "full name", "J4yden Nowak"),
        ("Jayden's coat is lost", "Jayden Nowak", "first name", "Jayden"),
        ("Mrs Whitfeild is lying", "Mrs Whitfield", "title and surname, close spelling",
         "Mrs Whitfeild"),
        ("Jaydon Nowak was crying", "Jayden Nowak", "full name, close spelling", "Jaydon Nowak"),
    ],
)  # fmt: skip
def test_each_way_of_naming_someone(
    matcher: PeopleMatcher, text: str, who: str, how: str, words: str
) -> None:
    assert found(matcher, text) == [(who, how, words)]


def test_a_bare_first_name_needs_school_context_a_capital_and_one_owner(
    matcher: PeopleMatcher,
) -> None:
    assert found(matcher, "Jayden was crying", school_context=False) == []
    assert found(matcher, "jayden was crying") == []  # lower case: maybe not a name at all
    assert found(matcher, "Amelia was crying") == []  # two pupils are called Amelia
    assert found(matcher, "Amelia Quist was crying") == [
        ("Amelia Quist", "full name", "Amelia Quist")
    ]


def test_the_longer_form_wins_over_the_first_name_inside_it(matcher: PeopleMatcher) -> None:
    assert [how for _, how, _ in found(matcher, "Jayden Nowak and Jayden N.")] == [
        "full name",
        "first name and initial",
    ]


def test_a_parents_own_child_is_marked(matcher: PeopleMatcher) -> None:
    (mention,) = matcher.find(normalise("my son Jayden Nowak won"), True)
    assert mention.own_child
    (mention,) = matcher.find(normalise("that Jayden Nowak won"), True)
    assert not mention.own_child
    (mention,) = matcher.find(normalise("Good evening, I am father of Jayden Nowak"), True)
    assert mention.own_child
    (mention,) = matcher.find(normalise("the aunt of Jayden Nowak says hello"), True)
    assert not mention.own_child
    both = matcher.find(normalise("I am mother of Amelia Quist and Jayden Nowak. Thanks"), True)
    assert len(both) == 2 and all(m.own_child for m in both)


def test_a_child_called_ones_own_stays_so_through_the_post(matcher: PeopleMatcher) -> None:
    text = "My son Jayden Nowak loves it. Jayden Nowak says thanks"
    mentions = matcher.find(normalise(text), True)
    assert len(mentions) == 2 and all(m.own_child for m in mentions)
    others = matcher.find(normalise("Jayden Nowak pushed him. Jayden Nowak again"), True)
    assert not any(m.own_child for m in others)


def test_words_that_only_contain_a_name_are_not_the_name(matcher: PeopleMatcher) -> None:
    assert found(matcher, "the jjs cafe and Whitfields Road and Nowakowski") == []


def test_a_name_glued_to_markup_or_an_underscore_is_found(matcher: PeopleMatcher) -> None:
    assert found(matcher, '<a href="x">Mr Okafor</a> again') == [
        ("Mr Okafor", "title and surname", "Mr Okafor")
    ]
    assert found(matcher, "go #JaydenNowak! #Jayden Nowak") == [
        ("Jayden Nowak", "full name", "Jayden Nowak")
    ]
