"""The 500-school bench's own parts (``bench/trust_worker_sim.py``), on a few schools: the folder
it writes is a deployment the shipped code loads, the feeder's threats become urgent cases in
their own school, and latencies pair each urgent post with its school's next URGENT e-mail."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bench.trust_sim import SOURCE_TYPES, make_schools
from bench.trust_worker_sim import THREATS, Feeder, latencies, make_folder
from models import Case
from monitor.cycle import run_cycle
from monitor.deployment import Deployment


def test_the_folder_is_a_deployment_of_schools_with_seven_jsonl_sources(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    schools = make_schools(3)
    make_folder(schools, tmp_path / "schools", "1m")
    deployment = Deployment.open(tmp_path / "schools", environ)
    try:
        assert sorted(deployment.schools) == ["s000", "s001", "s002"]
        for school in schools:
            settings = deployment.schools[school.key]
            assert settings.school.name == school.name
            assert settings.alerts.recipients == (f"head@{school.key}.example",)
            assert [s.name for s in settings.sources] == list(SOURCE_TYPES)
            assert {s.type for s in settings.sources} == {"jsonl"}
            assert {s.every_seconds for s in settings.sources} == {60}
    finally:
        deployment.close()


def test_a_fed_threat_is_an_urgent_case_of_its_own_school(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    schools = make_schools(2)
    folder = tmp_path / "schools"
    make_folder(schools, folder, "1m")
    feeder = Feeder(schools, folder, per_minute=60, harmful=1.0, seed=3)
    lines = [feeder._line(schools[0], "x") for _ in range(50)]
    line = next(text for text, urgent in lines if urgent)  # half the harmful ones are threats
    assert any(t.split("{")[0] in json.loads(line)["text"] for t in THREATS)
    (folder / "s000-x.jsonl").write_text(line)
    assert json.loads(line)["platform"] == "x"
    deployment = Deployment.open(folder, environ)
    try:
        report = run_cycle(deployment.app("s000"), "x", send=False)
        assert report.new == 1 and report.error is None
        with deployment.app("s000").sessions() as session:
            assert list(session.scalars(select(Case.severity))) == ["urgent"]
        with deployment.app("s001").sessions() as session:
            assert list(session.scalars(select(Case.id))) == []
    finally:
        deployment.close()


def test_latency_is_to_the_schools_next_urgent_mail_and_misses_are_counted() -> None:
    urgent = [(100.0, "s000"), (130.0, "s000"), (100.0, "s001"), (100.0, "s002")]
    received = [
        (90.0, ["head@s000.example"], "URGENT SW-1: threat"),  # before the post: not its mail
        (110.0, ["head@s000.example"], "HIGH SW-2: insult"),  # not urgent
        (125.0, ["head@s000.example"], "URGENT SW-3: threat"),
        (150.0, ["head@s000.example"], "URGENT SW-4: threat"),
        (160.0, ["head@s001.example"], "Urgent: SW-1 threat"),
    ]
    found, missed = latencies(urgent, received)
    assert found == [25.0, 20.0, 60.0]
    assert missed == 1
