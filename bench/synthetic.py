"""Synthetic but realistic posts about the demo school, for benchmarks (not for training)."""

from __future__ import annotations

import json
import random
from pathlib import Path

SCHOOLS = ["Roose Primary", "Roose School", "Roose Community Primary School"]
STAFF = ["Mrs Whitfield", "Mr Okafor", "Miss Pryce", "Mr Ashworth", "Ms Shah"]
PUPILS = ["Jayden Nowak", "Amelia Hartley", "Noah Fairclough", "Freya Dobson"]
# Most of what a search for a school's name finds is ordinary: about one post in twelve here breaks
# the policy, a pessimistic rate for a real school.
BENIGN = [
    "Well done {school} on the Christmas fair, the choir were brilliant!",
    "Does anyone know what time {school} finishes on Friday?",
    "{school} is closed on Monday for staff training, don't forget",
    "The kids absolutely killed it at sports day at {school} today",
    "Thank you {staff} for everything this term, {school} is lucky to have you",
    "Roadworks on Roose Road again, queues back to the roundabout",
    "Anyone know a good plumber in Barrow? Boiler's gone again",
    "Roose FC under 10s won 3-1 this weekend, great effort lads",
    "Parents evening at {school} next week, remember to book a slot",
    "Is the breakfast club at {school} running over half term?",
    "Lovely walk along the coast at Walney this morning #Cumbria",
]
HARMFUL = [
    "Absolutely appalling, {school} never reply to emails and nobody listens",
    "{staff} at {school} is useless and pathetic",
    "{staff} at {school} grabbed my son and they covered it up",
    "{pupil} from {school} is a little thug",
    "If {staff} does that again I'll batter him outside {school}",
]
HARMFUL_SHARE = 1 / 12


def make_posts(count: int, seed: int = 7, prefix: str = "bench") -> list[dict[str, str]]:
    rng = random.Random(seed)
    posts = []
    for i in range(count):
        templates = HARMFUL if rng.random() < HARMFUL_SHARE else BENIGN
        text = rng.choice(templates).format(
            school=rng.choice(SCHOOLS), staff=rng.choice(STAFF), pupil=rng.choice(PUPILS)
        )
        posts.append({"id": f"{prefix}-{i}", "text": f"{text} ({i})", "platform": "x",
                      "author": f"user{rng.randrange(5000)}", "url": f"https://x.example/{i}",
                      "created_at": "2026-11-20T08:00:00Z"})  # fmt: skip
    return posts


def write_jsonl(path: Path, posts: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")
