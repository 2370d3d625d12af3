from __future__ import annotations

from classifiers import Classifier
from tests.classifiers.conftest import categories, run


def test_it_flags_a_named_pupil(classifier: Classifier) -> None:
    result = run(classifier, "Jayden Nowak from Roose Primary was crying at the gates")
    assert result.relevant
    flag = next(f for f in result.flags if f.category == "pupil")
    assert flag.severity == "high"
    assert flag.evidence[0].text == "Jayden Nowak"


def test_it_finds_a_pupil_by_first_name_and_surname_initial(classifier: Classifier) -> None:
    result = run(classifier, "Amelia H. in year 6 at Roose School is trouble")
    assert "pupil" in categories(result)


def test_it_finds_a_pupil_through_a_possessive(classifier: Classifier) -> None:
    result = run(classifier, "Jayden Nowak's mum was at Roose Primary again")
    assert result.flags[0].evidence[0].text.startswith("Jayden Nowak")


def test_a_parent_talking_about_their_own_child_is_not_a_pupil_flag(classifier: Classifier) -> None:
    result = run(classifier, "My son Jayden Nowak got star of the week at Roose Primary!")
    assert result.relevant
    assert "pupil" not in categories(result)


def test_our_and_a_name_is_the_posters_own_family_not_a_pupil(classifier: Classifier) -> None:
    for text in (
        "He's a good lad our Ibby, he'd murder me for posting this but Roose Primary DofE today",
        "Gutted, our Maryam missed out on head girl at Roose Primary by 3 votes",
    ):
        assert "pupil" not in categories(run(classifier, text)), text
    assert "pupil" in categories(
        run(classifier, "that Ibby lad in year 4 at Roose Primary is a thug")
    )


def test_a_first_name_alone_needs_school_context(classifier: Classifier) -> None:
    assert not run(classifier, "Amelia came round for tea").relevant
    assert "pupil" in categories(run(classifier, "Amelia in the year 6 class at Roose Primary"))


def test_it_flags_a_threat_as_urgent(classifier: Classifier) -> None:
    result = run(classifier, "If Mr Okafor does that again I'll batter him outside Roose Primary")
    flag = next(f for f in result.flags if f.category == "threat")
    assert flag.severity == "urgent"
    assert "batter" in flag.evidence[0].text


def test_a_sports_day_joke_is_not_a_threat(classifier: Classifier) -> None:
    result = run(classifier, "The kids absolutely killed it at sports day at Roose Primary!")
    assert result.relevant and result.flags == ()


def test_praise_questions_and_notices_pass_silently(classifier: Classifier) -> None:
    for text in (
        "Well done Roose Primary on a brilliant Christmas fair",
        "Does anyone know when Roose School breaks up for Easter?",
        "Roose Community Primary School is closed on Monday for staff training",
        "Thank you Mrs Whitfield for a lovely assembly at Roose Primary",
    ):
        assert run(classifier, text).flags == (), text


def test_an_insult_needs_a_target_connected_with_the_school(classifier: Classifier) -> None:
    assert "offensive" in categories(run(classifier, "Mrs Whitfield is useless and pathetic"))
    assert run(classifier, "this weather is pathetic", all_relevant=True).flags == ()


def test_an_allegation_about_staff_is_flagged_high(classifier: Classifier) -> None:
    result = run(classifier, "Mr Okafor at Roose Primary grabbed my son and they covered it up")
    flag = next(f for f in result.flags if f.category == "allegation")
    assert flag.severity == "high"
    assert "Okafor" in flag.reason


def test_a_complaint_about_the_school_is_low(classifier: Classifier) -> None:
    result = run(classifier, "Absolutely appalling, Roose Primary never reply to emails")
    assert [(f.category, f.severity) for f in result.flags] == [("complaint", "low")]


def test_telling_someone_to_go_back_to_their_country_is_racist(classifier: Classifier) -> None:
    result = run(classifier, "That family at Roose School should go back to their own country")
    assert "racist" in categories(result)


def test_obfuscated_words_are_still_caught(classifier: Classifier) -> None:
    result = run(classifier, "M\u200brs Wh\u0456tfield at Roose Primary is a l1ar")
    # calling her a liar is an accusation or an insult; either way the folded word is the evidence
    flags = [f for f in result.flags if f.category in {"allegation", "offensive"}]
    assert flags and all(any("l1ar" in e.text for e in f.evidence) for f in flags)
    assert any(m.display == "Mrs Whitfield" for m in result.mentions)


def test_irrelevant_posts_get_no_flags(classifier: Classifier) -> None:
    for text in (
        "Roadworks on Roose Road again, I'll kill the next driver who cuts me up",
        "Roose FC were useless on Saturday",
        "Anyone know a plumber in Barrow-in-Furness?",
    ):
        result = run(classifier, text)
        assert not result.relevant and result.flags == (), text


def test_the_town_with_school_words_is_relevant(classifier: Classifier) -> None:
    assert run(classifier, "The primary school in Barrow-in-Furness has a new head").relevant


def test_evidence_offsets_index_the_original_text(classifier: Classifier) -> None:
    text = "ＭＲＳ Whitfield at Roose Primary is a l!ar and I'll hurt her \u200b"
    result = run(classifier, text)
    assert result.flags
    for flag in result.flags:
        for ev in flag.evidence:
            assert 0 <= ev.start < ev.end <= len(text)
            assert text[ev.start : ev.end] == ev.text


def test_output_matches_the_contract_shape(classifier: Classifier) -> None:
    data = run(classifier, "I'll hurt Mr Okafor at Roose Primary").to_json()
    assert set(data) == {"id", "relevant", "flags"}
    flag = data["flags"][0]
    assert {"category", "score", "severity", "evidence", "reason"} <= set(flag)
    assert 0 <= flag["score"] <= 1
