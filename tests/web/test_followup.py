"""Following a case through: assignment, references and outcome, steps in any order, letters
kept as sent, and the Page admin step for a post on the school's own Facebook Page."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from models import AuditEvent, Case, CaseEvent, CaseLetter, CaseStep, Post, User
from monitor.app import App
from tests.conftest import PUPILS, SCHOOL_TOML, STAFF
from tests.web.conftest import login, post_form

SCRIPT = '<script>alert("ref")</script>'


@pytest.fixture
def school_dir(tmp_path: Path) -> Path:
    """The shared school, with its own Facebook Page as a second source."""
    folder = tmp_path / "school"
    folder.mkdir()
    own_page = '[[sources]]\nname = "school-page"\ntype = "facebook_page"\nevery = "15m"\n'
    (folder / "school.toml").write_text(f'{SCHOOL_TOML}\n{own_page}page_id = "104000000000001"\n')
    (folder / "pupils.csv").write_text(PUPILS)
    (folder / "staff.csv").write_text(STAFF)
    (folder / "posts.jsonl").write_text("")
    return folder


def _timeline(app: App, reference: str) -> list[tuple[str, str, str]]:
    with app.sessions() as session:
        rows = session.execute(
            select(CaseEvent.actor, CaseEvent.action, CaseEvent.detail)
            .join(Case)
            .where(Case.reference == reference)
            .order_by(CaseEvent.id)
        ).all()
    return [(a, b, c or "") for a, b, c in rows]


def _audited(app: App, action: str) -> list[tuple[str, str | None, str | None]]:
    with app.sessions() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.object_id, AuditEvent.detail)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _user_id(app: App, email: str) -> int:
    with app.sessions() as session:
        value = session.scalar(select(User.id).where(User.email == email))
    assert value is not None
    return value


def test_a_leader_assigns_a_case_on_the_timeline_and_in_the_audit_log(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    reference = seeded["3"]
    login(client, users["dsl"])
    staff_id = _user_id(app, users["staff"])
    code, _ = post_form(client, f"/cases/{reference}/assign", {"assignee": str(staff_id)})
    assert code == 302
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert f'<strong class="case-assignee">{users["staff"]}</strong>' in page
    assert (users["dsl"], "assigned", f"assigned to {users['staff']}") in _timeline(app, reference)
    assert _audited(app, "case_assign") == [
        (users["dsl"], reference, f"assigned to {users['staff']}")
    ]
    assert post_form(client, f"/cases/{reference}/assign", {"assignee": ""})[0] == 302
    assert _timeline(app, reference)[-1][2] == f"unassigned (was {users['staff']})"


def test_staff_cannot_assign_and_a_disabled_or_unknown_login_is_refused(
    web_clients: tuple[FlaskClient, FlaskClient],
    app: App,
    users: dict[str, str],
    seeded: dict[str, str],
) -> None:
    staff, head = web_clients
    reference = seeded["3"]
    login(staff, users["staff"])
    login(head, users["headteacher"])
    staff_id = _user_id(app, users["staff"])
    assert post_form(staff, f"/cases/{reference}/assign", {"assignee": str(staff_id)})[0] == 403
    assert 'action="/cases/' + reference + '/assign"' not in staff.get(
        f"/cases/{reference}"
    ).get_data(as_text=True)
    assert post_form(head, f"/cases/{reference}/assign", {"assignee": "99999"})[0] == 400
    with app.sessions.begin() as session:
        session.execute(update(User).where(User.id == staff_id).values(active=False))
    assert post_form(head, f"/cases/{reference}/assign", {"assignee": str(staff_id)})[0] == 400
    with app.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None and case.assignee_id is None


def test_references_and_outcome_are_recorded_in_words_escaped_and_in_the_evidence_pack(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    reference = seeded["3"]
    login(client, users["headteacher"])
    data = {"platform_reference": "TT-8841", "police_reference": SCRIPT, "outcome": "removed"}
    assert post_form(client, f"/cases/{reference}/references", data)[0] == 302
    events = _timeline(app, reference)[-3:]
    assert [(a, d) for _, a, d in events] == [
        ("reference", "platform's report reference recorded: TT-8841"),
        ("reference", f"police reference recorded: {SCRIPT}"),
        ("outcome", "outcome: removed"),
    ]
    assert [d for _, _, d in _audited(app, "case_outcome")] == ["outcome: removed"]
    assert len(_audited(app, "case_reference")) == 2
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert SCRIPT not in page
    assert '<strong class="platform-reference">TT-8841</strong>' in page
    assert '<strong class="case-outcome">removed</strong>' in page
    assert "<strong>outcome: removed</strong></li>" in page  # in words, said once

    pack = client.get(f"/cases/{reference}/evidence.zip").data
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        facts = json.loads(archive.read(f"{reference}/case.json"))
    assert facts["platform_reference"] == "TT-8841"
    assert facts["police_reference"] == SCRIPT
    assert facts["outcome"] == "removed"
    printable = client.get(f"/cases/{reference}/evidence.html").get_data(as_text=True)
    assert "<td>TT-8841</td>" in printable and SCRIPT not in printable

    again = {"platform_reference": "TT-8841", "police_reference": "", "outcome": "refused"}
    assert post_form(client, f"/cases/{reference}/references", again)[0] == 302
    assert [d for _, _, d in _timeline(app, reference)[-2:]] == [
        f"police reference removed (was {SCRIPT})",
        "outcome: removal refused",
    ]
    bad = {"outcome": "vanished"}
    assert post_form(client, f"/cases/{reference}/references", bad)[0] == 400


def test_steps_are_marked_done_in_any_order_and_unmarked_each_on_the_timeline(
    web_clients: tuple[FlaskClient, FlaskClient],
    app: App,
    users: dict[str, str],
    seeded: dict[str, str],
) -> None:
    head, staff = web_clients
    reference = seeded["2"]
    login(head, users["headteacher"])
    login(staff, users["staff"])
    for step, done in (("police", "1"), ("talk_to_parent", "1"), ("police", "0")):
        code, _ = post_form(head, f"/cases/{reference}/steps", {"step": step, "done": done})
        assert code == 302
    assert [d for _, a, d in _timeline(app, reference) if a.startswith("step")] == [
        "step done: reported to the police",
        "step done: talked to the parent",
        "step marked not done: reported to the police",
    ]
    with app.sessions() as session:
        assert list(session.scalars(select(CaseStep.step))) == ["talk_to_parent"]
    assert len(_audited(app, "case_step_done")) == 2
    assert len(_audited(app, "case_step_undone")) == 1
    page = head.get(f"/cases/{reference}").get_data(as_text=True)
    assert 'class="step step-talk_to_parent done"' in page
    assert 'class="step step-police"' in page
    assert "step-page_admin" not in page  # not a post on the school's own Page
    assert post_form(staff, f"/cases/{reference}/steps", {"step": "block_access",
                                                           "done": "1"})[0] == 403  # fmt: skip
    assert post_form(head, f"/cases/{reference}/steps", {"step": "dance", "done": "1"})[0] == 400


def test_a_letter_marked_as_sent_is_kept_with_its_text_as_sent_and_the_time(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    reference = seeded["3"]
    login(client, users["headteacher"])
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Nothing typed here is saved" not in page
    assert 'name="body"' in page and ">Mark as sent</button>" in page
    body = f"Dear Ms Example,\r\nPlease remove the post. {SCRIPT}\r\nMrs Whitfield"
    data = {"kind": "warning", "title": "Letter: written warning", "body": body}
    assert post_form(client, f"/cases/{reference}/letters", data)[0] == 302
    with app.sessions() as session:
        kept = session.scalars(select(CaseLetter)).one()
        assert kept.body == body.replace("\r\n", "\n")
        assert kept.actor == users["headteacher"] and kept.sent_at is not None
        steps = list(session.scalars(select(CaseStep.step)))
    assert steps == ["written_warning"]
    assert (users["headteacher"], "letter_sent",
            "sent and saved to the case file: Letter: written warning") in _timeline(
        app, reference)  # fmt: skip
    assert _audited(app, "case_letter_sent") == [
        (users["headteacher"], reference, "Letter: written warning")
    ]
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert 'class="kept kept-warning"' in page
    assert "Please remove the post. &lt;script&gt;" in page and SCRIPT not in page
    pack = client.get(f"/cases/{reference}/evidence.zip").data
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert archive.read(f"{reference}/letters/01-warning.txt").decode() == kept.body
        facts = json.loads(archive.read(f"{reference}/case.json"))
    assert facts["letters_sent"][0]["text"] == kept.body


def test_a_platform_report_marked_as_sent_is_kept_and_ticks_asking_the_host(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    reference = seeded["3"]
    login(client, users["dsl"])
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    draft = page.split('class="draft route-platform"', 1)[1].split("</div>", 1)[0]
    assert 'name="kind" value="platform"' in draft and ">Mark as sent</button>" in draft
    data = {"kind": "platform", "title": "Report to the platform", "body": "Please remove it."}
    assert post_form(client, f"/cases/{reference}/letters", data)[0] == 302
    with app.sessions() as session:
        assert list(session.scalars(select(CaseStep.step))) == ["ask_host"]
        assert session.scalars(select(CaseLetter.body)).one() == "Please remove it."
    assert _timeline(app, reference)[-1][2] == "step done: host asked to remove the post"


def test_staff_cannot_mark_a_letter_sent_and_an_empty_one_is_refused(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], seeded: dict[str, str]
) -> None:
    staff, head = web_clients
    reference = seeded["3"]
    login(staff, users["staff"])
    login(head, users["headteacher"])
    data = {"kind": "warning", "title": "Letter: written warning", "body": "Dear parent"}
    assert post_form(staff, f"/cases/{reference}/letters", data)[0] == 403
    assert ">Mark as sent</button>" not in staff.get(f"/cases/{reference}").get_data(as_text=True)
    assert post_form(head, f"/cases/{reference}/letters", {**data, "body": ""})[0] == 400


def test_a_post_on_the_schools_own_facebook_page_gets_the_page_admin_step(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    own, other = seeded["3"], seeded["4"]
    with app.sessions.begin() as session:
        session.execute(
            update(Post).where(Post.external_id == "3").values(source_name="school-page")
        )
    login(client, users["headteacher"])
    page = client.get(f"/cases/{own}").get_data(as_text=True)
    assert 'class="howto page-admin"' in page and "Ban from Page" in page
    assert "download the evidence pack" in page
    assert 'class="step step-page_admin"' in page
    assert "step-page_admin" not in client.get(f"/cases/{other}").get_data(as_text=True)
    data = {"step": "page_admin", "done": "1"}
    assert post_form(client, f"/cases/{own}/steps", data)[0] == 302
    assert _timeline(app, own)[-1][2] == "step done: hidden, deleted or banned as page admin"
