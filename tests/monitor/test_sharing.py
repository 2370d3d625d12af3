from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from classifiers import Evidence, Result
from classifiers import Flag as ClassifierFlag
from config import Person, Roster, SchoolSettings, load_settings
from connectors.common import quoted_or
from monitor.sharing import (
    RelevanceJudge,
    SchoolSearch,
    covered,
    fan_out,
    plan,
    searches_from_settings,
    shared_fetches,
    x_query,
)
from monitor.unclaimed import NOTE, UNSURE_SEVERITY, unsure_result

TOWNS = ("Brackenholt", "Ulverby", "Dalton Mere", "Askam Fold", "Lindal Cross", "Kirkby Moor",
         "Haverthwaite", "Newby Bridge", "Urswick", "Pennington")  # fmt: skip


def _x(i: int) -> SchoolSearch:
    town = TOWNS[i % len(TOWNS)]
    name = f"{town} {'Primary' if i % 2 else 'Academy'} {i}"
    return SchoolSearch(f"s{i}", "x-search", "x", (f"{name} School", name))


def test_x_searches_pack_whole_schools_into_queries_within_512_characters() -> None:
    searches = [_x(i) for i in range(60)]
    fetches = plan(searches)
    assert all(len(f.query) <= 512 for f in fetches)
    assert all(f.query.endswith(") -is:retweet") for f in fetches)
    members = [m.school for f in fetches for m in f.members]
    assert sorted(members) == sorted(s.school for s in searches)  # each school exactly once
    for fetch in fetches:
        for member in fetch.members:
            assert quoted_or(member.names) in fetch.query  # never split across queries
    assert len(fetches) < len(searches) / 4


def test_a_school_whose_own_query_is_too_long_searches_alone() -> None:
    long = SchoolSearch("big", "x-search", "x", tuple(f"Long Alias Number {n}" for n in range(30)))
    assert len(x_query([quoted_or(long.names)])) > 512
    fetches = plan([long, _x(1), _x(2)])
    alone = [f for f in fetches if "big" in f.schools]
    assert len(alone) == 1 and alone[0].schools == ("big",)
    assert [set(f.schools) for f in fetches if f is not alone[0]] == [{"s1", "s2"}]


def test_a_school_with_its_own_query_keeps_it_and_searches_alone() -> None:
    own = SchoolSearch("own", "x-search", "x", ("Own School",), query='"Own School" lang:en')
    fetches = plan([own, _x(1)])
    mine = [f for f in fetches if "own" in f.schools]
    assert len(mine) == 1 and mine[0].query == '"Own School" lang:en' and len(mine[0].members) == 1


def _reddit(school: str, subs: tuple[str, ...], comments: tuple[str, ...] = ()) -> SchoolSearch:
    return SchoolSearch(school, "reddit", "reddit", (f"{school.title()} Primary",),
                        subreddits=subs, comment_subreddits=comments)  # fmt: skip


def test_reddit_searches_are_one_per_subreddit_and_comments_are_read_once() -> None:
    fetches = plan([
        _reddit("abbey", ("BarrowInFurness",), ("BarrowInFurness",)),
        _reddit("beck", ("barrowinfurness",)),
        _reddit("croft", ("Carlisle",), ("Carlisle",)),
        _reddit("dale", ("BarrowInFurness", "Carlisle"), ("Carlisle",)),
    ])  # fmt: skip
    searches = {(f.subreddit, frozenset(f.schools)) for f in fetches if f.kind == "search"}
    assert searches == {("barrowinfurness", frozenset({"abbey", "beck", "dale"})),
                        ("carlisle", frozenset({"croft", "dale"}))}  # fmt: skip
    barrow = next(f for f in fetches if f.kind == "search" and f.subreddit == "barrowinfurness")
    assert all(f'"{s.title()} Primary"' in barrow.query for s in ("abbey", "beck", "dale"))
    comments = {(f.subreddit, f.schools) for f in fetches if f.kind == "comments"}
    assert comments == {("barrowinfurness", ("abbey",)), ("carlisle", ("croft", "dale"))}


def test_a_subreddit_with_more_names_than_reddit_takes_gets_several_searches() -> None:
    schools = [_reddit(f"school{n:02d}abcdefgh", ("Cumbria",)) for n in range(40)]
    fetches = [f for f in plan(schools) if f.kind == "search"]
    assert len(fetches) > 1 and all(len(f.query) <= 512 for f in fetches)
    assert sum(len(f.members) for f in fetches) == 40


def test_another_platform_is_refused() -> None:
    with pytest.raises(ValueError, match="not shared"):
        plan([SchoolSearch("a", "rss", "rss", ("A",))])


def test_the_shareable_sources_come_from_a_school_config(school_dir: Path) -> None:
    path = school_dir / "school.toml"
    path.write_text(
        path.read_text()
        + """
[[sources]]
name = "x-search"
type = "x"

[[sources]]
name = "local-reddit"
type = "reddit"
subreddits = "BarrowInFurness"
comment_subreddits = ["BarrowInFurness"]

[[sources]]
name = "everywhere"
type = "reddit"
"""
    )
    found = searches_from_settings("roose", load_settings(path, {}))
    assert [(s.platform, s.source, s.subreddits, s.comment_subreddits) for s in found] == [
        ("x", "x-search", (), ()),
        ("reddit", "local-reddit", ("BarrowInFurness",), ("BarrowInFurness",)),
        ("reddit", "everywhere", ("all",), ()),
    ]
    assert found[0].names == ("Roose Community Primary School", "Roose Primary", "Roose School")


@dataclass(frozen=True)
class _Post:
    id: str
    text: str


ROOSE = SchoolSettings("Roose Community Primary School", ("Roose Primary",), "Barrow-in-Furness")
ABBOTS = SchoolSettings("Abbotsmead Academy", ("Abbotsmead",), "Barrow-in-Furness")
ABBOTS_ROSTER = Roster(pupils=(Person("pupil", "Tyler", "Brennan", year_group="5"),))


@pytest.fixture(scope="module")
def judges() -> dict[str, RelevanceJudge]:
    return {"roose": RelevanceJudge(ROOSE), "abbots": RelevanceJudge(ABBOTS, ABBOTS_ROSTER)}


def test_a_post_about_one_school_reaches_that_school_only(
    judges: dict[str, RelevanceJudge],
) -> None:
    post = _Post("1", "The head at Roose Primary should be sacked, useless")
    result = fan_out([post], judges)
    assert result.by_school == {"roose": [post], "abbots": []} and result.unclaimed == []


def test_a_post_about_both_schools_reaches_both(judges: dict[str, RelevanceJudge]) -> None:
    post = _Post("2", "Roose Primary v Abbotsmead Academy at football, both schools a shambles")
    result = fan_out([post], judges)
    assert result.by_school == {"roose": [post], "abbots": [post]} and result.deliveries == 2


def test_a_post_about_neither_reaches_none_and_is_counted(
    judges: dict[str, RelevanceJudge],
) -> None:
    posts = [_Post("3", "Traffic on Roose Road is terrible again"), _Post("4", "lovely sunset")]
    result = fan_out(posts, judges)
    assert result.by_school == {"roose": [], "abbots": []}
    assert result.unclaimed == posts and result.deliveries == 0


def test_a_pupil_named_with_school_words_reaches_the_pupils_school(
    judges: dict[str, RelevanceJudge],
) -> None:
    post = _Post("5", "Tyler Brennan in year 5 keeps hitting kids in the playground")
    assert fan_out([post], judges).by_school == {"roose": [], "abbots": [post]}


def _watching(school: str, *subs: str) -> SchoolSearch:
    return SchoolSearch(school, f"reddit-{school}", "reddit", (f"{school.title()} School",),
                        subreddits=subs)  # fmt: skip


def test_a_source_sharing_one_subreddit_runs_all_its_searches_shared() -> None:
    fetches = shared_fetches([_watching("ash", "Barrow", "Ulverby"), _watching("oak", "Barrow")])
    where = sorted((f.subreddit, sorted(f.schools)) for f in fetches)
    assert where == [("barrow", ["ash", "oak"]), ("ulverby", ["ash"])]
    assert covered(fetches) == {("ash", "reddit-ash"): 2, ("oak", "reddit-oak"): 2}


def test_a_one_school_deployment_and_a_source_with_its_own_query_share_nothing() -> None:
    assert shared_fetches([_x(1)]) == []
    own = SchoolSearch("s2", "x-own", "x", ("Oak School",), query='"Oak School"')
    fetches = shared_fetches([_x(1), own, _x(3)])
    assert sorted(covered(fetches)) == [("s1", "x-search"), ("s3", "x-search")]


def _result(*flags: tuple[str, str]) -> Result:
    made = tuple(ClassifierFlag(c, 0.9, s, (Evidence(0, 4, "stab"),), "said so", "rules")
                 for c, s in flags)  # fmt: skip
    return Result("1", True, made)


def test_an_unclaimed_posts_safety_flags_are_kept_demoted_and_the_rest_dropped() -> None:
    result = unsure_result(_result(("threat", "urgent"), ("complaint", "low"),
                                   ("pupil", "low")), [])  # fmt: skip
    assert result.relevant
    assert [(f.category, f.severity) for f in result.flags] == [
        ("threat", UNSURE_SEVERITY),
        ("pupil", "low"),
    ]
    assert all(f.reason.startswith(NOTE) for f in result.flags)


def test_a_category_another_school_raised_is_added_without_its_evidence() -> None:
    result = unsure_result(_result(("complaint", "low")), ["selfharm"])
    [flag] = result.flags
    assert (flag.category, flag.severity, flag.evidence, flag.stage) == (
        "selfharm",
        UNSURE_SEVERITY,
        (),
        "shared",
    )
    nothing = unsure_result(_result(("complaint", "low")), [])
    assert not nothing.relevant and nothing.flags == ()
