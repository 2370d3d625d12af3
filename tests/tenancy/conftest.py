"""Two schools in one deployment, each with distinctive people and posts, for the tests that
show no page, e-mail, export or job of one school ever shows the other's data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Case, Post, User, utcnow
from monitor.cycle import run_cycle
from monitor.deployment import Deployment
from tests.alerts.conftest import smtp_server
from tests.conftest import PUPILS, SCHOOL_TOML, STAFF
from tests.web.conftest import POSTS, cheap_hashing, password_hash

# cheap_hashing is autouse (argon2id at its cheapest cost, as in tests/web); smtp_server is a
# real SMTP server (aiosmtpd).
__all__ = ["cheap_hashing", "smtp_server"]

ASHDOWN_TOML = """
[school]
name = "Ashdown Vale Academy"
aliases = ["Ashdown Vale"]

[people]
pupils = "ashdown-pupils.csv"
staff = "ashdown-staff.csv"

[alerts]
recipients = ["head@ashdown.example"]
sender = "schoolwatch@ashdown.example"

[[sources]]
name = "imported"
type = "jsonl"
every = "15m"
path = "ashdown-posts.jsonl"
"""
ASHDOWN_PUPILS = "first_name,last_name,year_group,aliases\nZephyrine,Quartermaine,5,\n"
ASHDOWN_STAFF = "title,first_name,last_name,role,aliases\nMr,Bartholomew,Vexley,Year 5 teacher,\n"
# The same ids as Roose's posts on purpose: a post is unique within its school only.
ASHDOWN_POSTS = [
    {"id": "1", "text": "Ashdown Vale Academy choir was lovely", "platform": "x"},
    {"id": "2", "text": "Zephyrine Quartermaine at Ashdown Vale again", "platform": "reddit",
     "url": "https://reddit.example/ashdown-2", "created_at": "2026-11-21T10:00:00Z"},
    {"id": "3", "text": "I'll batter Mr Vexley outside Ashdown Vale Academy", "platform": "x",
     "url": "https://x.example/ashdown-3", "created_at": "2026-11-02T10:00:00Z"},
    {"id": "5", "text": "Zephyrine Quartermaine is a slag, everyone at Ashdown Vale knows",
     "platform": "x", "url": "https://x.example/ashdown-5", "created_at": "2026-11-03T10:00:00Z"},
]  # fmt: skip
# Words that only Ashdown's rows hold: none may ever show up in Roose's pages, mail or files.
ASHDOWN_WORDS = ("Ashdown", "Vexley", "Zephyrine", "Quartermaine", "ashdown")
ROOSE_HEAD = "head@roose.example"
ASHDOWN_HEAD = "head@ashdown.example"


@pytest.fixture
def trust_dir(tmp_path: Path) -> Path:
    """A config folder of two schools: roose.toml and ashdown.toml."""
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "roose.toml").write_text(SCHOOL_TOML)
    (folder / "pupils.csv").write_text(PUPILS)
    (folder / "staff.csv").write_text(STAFF)
    (folder / "posts.jsonl").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    (folder / "ashdown.toml").write_text(ASHDOWN_TOML)
    (folder / "ashdown-pupils.csv").write_text(ASHDOWN_PUPILS)
    (folder / "ashdown-staff.csv").write_text(ASHDOWN_STAFF)
    (folder / "ashdown-posts.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in ASHDOWN_POSTS)
    )
    return folder


@pytest.fixture
def deployment(trust_dir: Path, environ: dict[str, str]) -> Iterator[Deployment]:
    opened = Deployment.open(trust_dir, environ)
    yield opened
    opened.close()


@pytest.fixture
def filled(deployment: Deployment) -> dict[str, list[str]]:
    """Both schools' posts run through a cycle (e-mails queued, not sent), and a headteacher
    each; slug -> the references of its cases."""
    references: dict[str, list[str]] = {}
    for slug, head in (("roose", ROOSE_HEAD), ("ashdown", ASHDOWN_HEAD)):
        app = deployment.app(slug)
        run_cycle(app, "imported", send=False)
        with app.sessions.begin() as session:
            session.add(User(email=head, password_hash=password_hash(), role="headteacher",
                             active=True, created_at=utcnow()))  # fmt: skip
        with app.sessions() as session:
            references[slug] = list(session.scalars(select(Case.reference).order_by(Case.id)))
            assert session.scalar(select(Post.id)) is not None
    assert references["roose"] and references["ashdown"]
    return references


def ashdown_rows(deployment: Deployment) -> list[tuple[object, ...]]:
    """Every row of Ashdown's that a job could touch, read across schools."""
    from models import Base, Tenant

    ashdown = deployment.app("ashdown").school_id
    rows: list[tuple[object, ...]] = []
    with deployment.aggregates()() as session:
        for mapper in Base.registry.mappers:
            table = mapper.class_
            if not issubclass(table, Tenant):
                continue
            columns = [c for c in table.__table__.columns if c.key != "data"]
            query = select(*columns).where(table.school_id == ashdown)  # type: ignore[attr-defined]
            rows += [(table.__name__, *row) for row in session.execute(query)]
    return sorted(rows, key=repr)
