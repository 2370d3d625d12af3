from __future__ import annotations

from classifiers.normalise import normalise


def test_it_folds_case_width_and_accents() -> None:
    assert normalise("ＭＲＳ Nowák").text == "mrs nowak"


def test_it_removes_zero_width_characters_and_keeps_offsets() -> None:
    norm = normalise("k\u200bill him")
    assert norm.text == "kill him"
    start = norm.text.index("him")
    assert norm.span(start, start + 3) == (6, 9)


def test_it_folds_look_alike_letters() -> None:
    assert normalise("Whіtfield").text == "whitfield"  # Cyrillic i


def test_it_folds_leetspeak_inside_words_only() -> None:
    assert normalise("k!ll j4yden").text == "kill jayden"
    assert normalise("year 4 class!").text == "year 4 class!"


def test_it_shortens_long_letter_runs() -> None:
    assert normalise("sooooo baaaad").text == "soo baad"


def test_spans_always_map_inside_the_original() -> None:
    original = "ﬁne \u200b\u200bＪＡＹ"
    norm = normalise(original)
    for start in range(len(norm.text)):
        for end in range(start + 1, len(norm.text) + 1):
            s, e = norm.span(start, end)
            assert 0 <= s < e <= len(original)


def test_two_look_alikes_in_a_row_inside_a_word_are_folded_but_numbers_are_kept() -> None:
    assert normalise("gonna sh00t up the place").text == "gonna shoot up the place"
    assert normalise("Y10 and 100 years, abc123").text == "y10 and 100 years, abc123"
    assert normalise("the Y10s and yr11s on the trip").text == "the y10s and yr11s on the trip"


def test_a_violent_word_spelt_out_with_wide_gaps_or_a_digit_is_read() -> None:
    assert normalise("k n 1 f e in a 9B bag").text == "knife in a 9b bag"
    assert normalise("d e a d m a n w a l k i n g").text == "deadmanwalking"
    assert normalise("k i l l   s p e i g h t").text.startswith("kill ")
    norm = normalise("k  i  l  l  him")
    assert norm.text == "kill  him"
    assert norm.span(0, 4) == (0, 10)
    assert normalise("a b c d and Y 1 0").text == "a b c d and y 1 0"
