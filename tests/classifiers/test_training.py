"""Training, saving, loading and measuring the learned stage, on the small bundled corpus only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers import Classifier, ClassifierSettings, PostInput, training
from classifiers.corpus import (
    LabelledDataError,
    LabelledPost,
    corpus_schools,
    corpus_split,
    read_labelled,
    read_written,
    written_school,
    written_sets,
)
from classifiers.learned import PUPIL_TOKEN, SCHOOL_TOKEN, STAFF_TOKEN, ModelError, load_model
from classifiers.training import (
    build_model,
    cross_validated_thresholds,
    default_corpus,
    evaluate_posts,
    prepare_texts,
    school_folds,
)
from config import CATEGORIES


@pytest.fixture(scope="module")
def small_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = build_model(None, [corpus_split("train")], None, "test-1", folds=0)
    path = tmp_path_factory.mktemp("model") / "small.npz"
    model.save(path)
    return path


def test_a_model_trained_on_the_corpus_round_trips_through_its_file(small_model_path: Path) -> None:
    model = load_model(small_model_path)
    assert model.version == "test-1"
    assert "school-context corpus" in model.trained_on
    scores = model.scores(["at grabbed my son and left bruises", "lovely fair"])
    allegation = model.categories.index("allegation")
    assert scores.shape == (2, len(CATEGORIES))
    assert scores[0, allegation] > scores[1, allegation]
    assert ((scores >= 0) & (scores <= 1)).all()


def test_a_model_file_holds_only_plain_arrays_and_an_older_skops_file_still_loads(
    small_model_path: Path, tmp_path: Path
) -> None:
    import numpy as np
    import skops.io as sio

    with np.load(small_model_path, allow_pickle=False) as arrays:  # nothing to unpickle
        assert all(arrays[key].dtype != object for key in arrays.files)
    model = load_model(small_model_path)
    older = tmp_path / "older.skops"
    sio.dump(model.to_state(), older)
    again = load_model(older)
    assert again.version == model.version and again.thresholds == model.thresholds
    assert np.allclose(again.scores(["lovely fair"]), model.scores(["lovely fair"]))


def test_a_zip_that_is_not_a_model_is_a_clear_error(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "other.npz"
    with path.open("wb") as handle:
        np.savez(handle, weights=np.zeros(3))
    with pytest.raises(ModelError, match="is not a Schoolwatch model"):
        load_model(path)


def test_the_learned_stage_adds_flags_the_rules_miss(small_model_path: Path) -> None:
    school = corpus_schools()["hollybank"]
    settings = ClassifierSettings(school.school, school.roster, model_path=small_model_path)
    result = Classifier(settings).classify_one(
        PostInput("1", "Mr Barraclough locks the SEN kids in a cupboard at Hollybank, it is cruel")
    )
    allegation = next(f for f in result.flags if f.category == "allegation")
    assert "model" in allegation.stage
    assert Classifier(settings).version.endswith("test-1")


def test_evaluation_counts_hits_misses_and_false_alarms(small_model_path: Path) -> None:
    posts = read_labelled(corpus_split("dev"))
    scores = evaluate_posts(posts, load_model(small_model_path))
    assert scores.posts == len(posts)
    assert scores.appropriate == sum(1 for p in posts if p.relevant and not p.labels)
    micro = scores.micro
    assert micro.support == sum(len(p.labels) for p in posts)
    assert 0 < micro.f1 <= 1
    assert "micro" in scores.table()


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "none.npz")


def test_a_damaged_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot read model file"):
        load_model(path)


def test_without_a_model_the_classifier_falls_back_to_rules(tmp_path: Path) -> None:
    school = corpus_schools()["hollybank"]
    settings = ClassifierSettings(school.school, school.roster, model_path=tmp_path / "x.npz")
    classifier = Classifier(settings)
    result = classifier.classify_one(PostInput("1", "I'll batter Mr Barraclough at Hollybank"))
    assert "threat" in {f.category for f in result.flags}
    assert classifier.version.startswith("rules")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ('{"text": "x"}', "'labels' list"),
        ('{"text": "x", "labels": ["rude"]}', "unknown label 'rude'"),
        ('{"labels": []}', "'text' string"),
    ],
)
def test_a_bad_labelled_line_names_its_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text('{"text": "fine", "labels": []}\n' + line + "\n")
    with pytest.raises(LabelledDataError, match=message) as caught:
        read_labelled(path)
    assert "line 2" in str(caught.value)


def test_the_corpus_keeps_test_schools_out_of_training() -> None:
    def schools(split: str) -> set[str]:
        return {json.loads(line)["school"] for line in corpus_split(split).read_text().splitlines()}

    assert not schools("test") & (schools("train") | schools("dev"))


def test_thresholds_come_from_folds_that_keep_templates_together() -> None:
    posts = read_labelled(corpus_split("dev"))
    thresholds = cross_validated_thresholds(posts, [], 2, "cv")
    assert set(thresholds) == set(CATEGORIES)
    assert all(0.05 <= value <= 0.95 for value in thresholds.values())


def test_each_threshold_split_keeps_schools_whole_and_another_seed_groups_them_anew() -> None:
    groups = [f"school{n % 12}" for n in range(240)] + ["big"] * 40
    splits = {seed: school_folds(groups, 3, seed) for seed in (0, 1)}
    for folds in splits.values():
        held = [rows for _, rows in folds]
        assert sorted(r for rows in held for r in rows) == list(range(len(groups)))
        for fit_rows, rows in folds:
            assert not {groups[r] for r in rows} & {groups[r] for r in fit_rows}
        assert max(map(len, held)) - min(map(len, held)) <= 40  # one school's worth at most
    as_sets = {seed: {frozenset(groups[r] for r in rows) for _, rows in f}
               for seed, f in splits.items()}  # fmt: skip
    assert as_sets[0] != as_sets[1]


def test_written_sets_are_read_with_their_own_school_and_one_group_per_post() -> None:
    sets = written_sets()
    assert len(sets) >= 6
    for folder in sets:
        posts = read_written(folder)
        school = written_school(folder.resolve())
        assert school.school.name and school.roster.pupils and school.roster.staff
        assert len({p.group for p in posts}) == len(posts)
        assert all(p.home == folder.resolve() for p in posts)
        assert any(p.labels for p in posts) and any(not p.relevant for p in posts)


def _written_set(folder: Path, school: str, pupil: str, staff: str) -> Path:
    folder.mkdir()
    (folder / "school.toml").write_text(
        f'[school]\nname = "{school} Primary"\naliases = ["{school}"]\n\n'
        '[people]\npupils = "pupils.csv"\nstaff = "staff.csv"\n'
    )
    (folder / "pupils.csv").write_text(f"first_name,last_name,year_group,aliases\n{pupil},4,\n")
    staff_csv = f"title,first_name,last_name,role,aliases\nMr,{staff},Head,\n"
    (folder / "staff.csv").write_text(staff_csv)
    first, last = pupil.split(",")
    text = f"{first} {last} told Mr {staff.split(',')[1]} at {school}"
    (folder / "posts.jsonl").write_text(json.dumps({"id": "1", "text": text, "labels": ["pupil"]}))
    return folder


def test_each_written_set_masks_its_own_roster_for_the_model(tmp_path: Path) -> None:
    one = _written_set(tmp_path / "one", "Quarry Bank", "Zofia,Lenk", "Tom,Ebb")
    two = _written_set(tmp_path / "two", "Holm Lea", "Ilse,Marr", "Rob,Tarn")
    texts = prepare_texts(read_written(one) + read_written(two))
    expected = [("zofia", "ebb", "quarry"), ("ilse", "tarn", "holm")]
    for text, names in zip(texts, expected, strict=True):
        assert not any(name in text for name in names), text
        assert PUPIL_TOKEN in text and STAFF_TOKEN in text and SCHOOL_TOKEN in text


def test_the_default_corpus_trains_on_every_written_set_and_never_on_eval() -> None:
    corpus, dev = default_corpus()
    assert set(written_sets()) <= set(corpus)
    assert all("eval" not in path.parts for path in [*corpus, dev])


def test_thresholds_maximise_micro_f1_within_the_false_alarm_budget() -> None:
    def post(i: int, labels: list[str]) -> LabelledPost:
        return LabelledPost(str(i), "x", frozenset(labels), True)

    # 0-3 threats, 4-5 complaints, 6-105 appropriate: the budget is 4 posts with any flag.
    posts = [post(i, ["threat"]) for i in range(4)] + [
        post(4, ["complaint"]),
        post(5, ["complaint"]),
    ]
    posts += [post(i, []) for i in range(6, 106)]
    grid = training._GRID
    flagged = {c: {v: set[int]() for v in grid} for c in CATEGORIES}
    for v in grid:
        # threat: strict values catch two, loose ones all four and a false alarm
        flagged["threat"][v] = {0, 1} if v >= 0.5 else {0, 1, 2, 3, 6}
        # complaint: loose values catch both complaints and four false alarms
        flagged["complaint"][v] = {4} if v >= 0.5 else {4, 5, 7, 8, 9, 10}
    chosen = training.choose_thresholds(posts, flagged)
    assert chosen["threat"] < 0.5  # worth one false alarm: +2 caught
    assert chosen["complaint"] >= 0.5  # four more would break the budget of four
    assert chosen["pupil"] == grid[-1]  # nothing to gain: the strictest value


def test_a_set_silent_about_a_category_is_judged_on_it_only_where_a_post_speaks_of_it() -> None:
    """A set written before selfharm existed labels "kys" as a threat: that post's selfharm flag
    is neither a hit nor an error. Its other posts are a true "no": a selfharm flag on its threat
    without self-harm words is a false positive, and on its appropriate post a false alarm."""

    def post(i: int, text: str, labels: list[str], school: str) -> LabelledPost:
        return LabelledPost(str(i), text, frozenset(labels), True, school=school)

    posts = [
        post(0, "she said she wants to die", ["selfharm"], "new"),
        post(1, "lovely assembly", [], "new"),
        post(2, "kys you little rat", ["threat"], "old"),
        post(3, "burn that school down", ["threat"], "old"),
        post(4, "lovely sports day", [], "old"),
    ]
    grid = training._GRID
    flagged = {c: {v: set[int]() for v in grid} for c in CATEGORIES}
    flagged["selfharm"][0.5] = {0, 2}
    flagged["selfharm"][0.3] = {0, 2, 3}
    flagged["selfharm"][0.2] = {0, 2, 3, 4}
    folds = training._FoldFlags(posts, flagged)
    at = dict.fromkeys(CATEGORIES, grid[-1])
    counts = {v: folds.outcome({**at, "selfharm": v}).counts["selfharm"] for v in (0.5, 0.3, 0.2)}
    assert counts == {0.5: (1, 0, 0, 0), 0.3: (1, 1, 0, 0), 0.2: (1, 2, 0, 1)}
    # in training, too, only the "kys" post is left out of selfharm's examples
    unlabelled = training._unlabelled_categories(posts)
    assert [training.silent_about(p, unlabelled[p.school_key]) for p in posts] == [
        (),
        (),
        ("selfharm",),
        (),
        (),
    ]


def test_a_safety_label_too_few_schools_use_is_set_not_searched() -> None:
    """Two schools label selfharm: the folds cannot measure it, so its threshold is the set one;
    threat, labelled by three schools, is searched as usual (nothing to gain: strictest)."""

    def post(i: int, labels: list[str], school: str) -> LabelledPost:
        return LabelledPost(str(i), "x", frozenset(labels), True, school=school)

    posts = [post(0, ["selfharm"], "a"), post(1, ["selfharm"], "b")]
    posts += [post(2 + n, ["threat"], s) for n, s in enumerate("abc")]
    posts += [post(i, [], "c") for i in range(5, 50)]
    grid = training._GRID
    flagged = {c: {v: set[int]() for v in grid} for c in CATEGORIES}
    chosen = training.choose_thresholds(posts, flagged)
    assert chosen["selfharm"] == training.UNMEASURED_SAFETY_THRESHOLD
    assert chosen["threat"] == grid[-1]


def test_a_safety_step_that_adds_more_than_three_wrong_flags_per_right_one_is_not_taken() -> None:
    """Recall first, but not at any price: threat below 0.5 would catch one more of the three
    threats (short of the recall aim) by flagging five other harmful posts threat too, none of
    them appropriate, so the false-alarm budget alone would allow it."""

    def post(i: int, labels: list[str]) -> LabelledPost:
        return LabelledPost(str(i), "x", frozenset(labels), True, school="abc"[i % 3])

    posts = [post(i, ["threat"]) for i in range(3)] + [post(i, ["bullying"]) for i in range(3, 8)]
    posts += [post(i, []) for i in range(8, 108)]
    grid = training._GRID
    flagged = {c: {v: set[int]() for v in grid} for c in CATEGORIES}
    for v in grid:
        flagged["threat"][v] = {0} if v >= 0.5 else {0, 1, 3, 4, 5, 6, 7}
    folds = training._FoldFlags(posts, flagged)
    assert training._step_precision(folds, "threat", 0.5, 0.45) == 1 / 6
    chosen = training.choose_thresholds(posts, flagged)
    assert chosen["threat"] >= 0.5
    # one wrong flag per right one is a step worth taking
    for v in grid:
        flagged["threat"][v] = {0} if v >= 0.5 else {0, 1, 3}
    assert training.choose_thresholds(posts, flagged)["threat"] < 0.5


def test_the_written_set_builder_reads_every_source_and_refuses_a_post_twice(
    tmp_path: Path,
) -> None:
    from classifiers.written_build import build

    folder = tmp_path / "w99"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "a.txt").write_text(
        "# notes\nthreat,pupil§I know where you park\n-§Lovely fair\n"
    )
    (folder / "src" / "b.txt").write_text("IRR§Town FC lost again\nX§Road closed\n")
    assert build(folder, seed=1) == 4
    rows = [json.loads(line) for line in (folder / "posts.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == [f"w99-00{n}" for n in range(1, 5)]
    by_text = {r["text"]: r for r in rows}
    assert by_text["I know where you park"]["labels"] == ["threat", "pupil"]
    assert by_text["Lovely fair"] == {**by_text["Lovely fair"], "labels": [], "relevant": True}
    assert not by_text["Town FC lost again"]["relevant"] and not by_text["Road closed"]["relevant"]
    (folder / "src" / "b.txt").write_text("-§Lovely fair\n")
    with pytest.raises(ValueError, match="the same post twice"):
        build(folder, seed=1)
