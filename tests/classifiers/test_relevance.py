from __future__ import annotations

from classifiers import Classifier
from tests.classifiers.conftest import run


def test_school_talk_without_the_name_is_relevant(classifier: Classifier) -> None:
    # Comments on the school's own page and in local groups rarely repeat its name.
    for text in (
        "The deputy head shouted at my son in front of the whole class",
        "Still no reply from the office about the year 4 trip",
        "The dinner ladies are giving the kids cold chips again",
    ):
        assert run(classifier, text).relevant, text


def test_another_school_named_outright_is_not_ours(classifier: Classifier) -> None:
    for text in (
        "The head at Moorside Academy needs sacking, my nephew is bullied every day",
        "St Mary's Primary in Ulverston has a lovely new playground",
    ):
        result = run(classifier, text)
        assert not result.relevant and result.flags == (), text


def test_a_full_roster_name_keeps_a_post_relevant_beside_another_school(
    classifier: Classifier,
) -> None:
    assert run(classifier, "Mrs Whitfield used to teach at Moorside Academy").relevant


def test_clubs_pubs_and_roads_that_share_the_name_are_not_the_school(
    classifier: Classifier,
) -> None:
    for text in (
        "Roose Rovers U12s lost 5-0 on Sunday, ref was a joke",
        "Quiz night at the Roose Arms on Friday",
        "Roose Road closed again for the gas works",
    ):
        assert not run(classifier, text).relevant, text


def test_chat_with_no_school_words_is_not_relevant(classifier: Classifier) -> None:
    for text in ("Anyone know a decent plumber?", "Lovely sunset over the bay tonight"):
        assert not run(classifier, text).relevant, text


def test_school_talk_beside_a_pub_that_shares_the_name_is_read_not_dropped(
    classifier: Classifier,
) -> None:
    """The pub's name is not the school, but the deputy is: the post is read by every stage
    (unsure, not elsewhere), so its threat is flagged."""
    text = (
        "Any more of this and that smug deputy's getting glassed next time he's in the Roose Arms"
    )
    result = run(classifier, text)
    assert result.relevant and "but talks about school life ('deputy')" in result.relevance
    assert "threat" in {flag.category for flag in result.flags}


def _secondary() -> Classifier:
    from classifiers import ClassifierSettings
    from config import Roster, SchoolSettings

    school = SchoolSettings(
        "Kelderton Community School", ("Kelderton", "Kelderton Comp", "Kelderton School"), ""
    )
    return Classifier(ClassifierSettings(school=school, roster=Roster(), use_model=False))


def test_the_towns_primary_is_not_the_towns_comprehensive() -> None:
    comp = _secondary()
    elsewhere = "Kelderton Primary in lockdown this morning, a man with a knife near the gate"
    result = run(comp, elsewhere)
    assert not result.relevant and result.flags == ()
    for ours in (
        "Kelderton School in lockdown this morning, a man with a knife near the gate",
        "Kelderton Comp in lockdown this morning, a man with a knife near the gate",
        "Kelderton in lockdown this morning, a man with a knife near the gate",
    ):
        assert run(comp, ours).relevant, ours


def test_welsh_and_comprehensive_school_names_are_other_schools(classifier: Classifier) -> None:
    for text in (
        "Ysgol Glan Ceiriad in lockdown this morning, police at the gates",
        "Rhydwen Comprehensive had police in today after a fight outside the gates",
    ):
        result = run(classifier, text)
        assert not result.relevant and result.flags == (), text


def test_our_name_said_only_to_deny_it_does_not_make_a_post_ours(classifier: Classifier) -> None:
    denied = "Holly Lane Primary had a bomb scare today (not Roose Primary!), kids on the field"
    assert not run(classifier, denied).relevant
    both = "Holly Lane Primary had a bomb scare today and Roose Primary kids were sent home too"
    assert run(classifier, both).relevant
