"""Run tests/connectors against the lowest connector library versions pyproject.toml allows.

A floor (``tweepy>=4.14``) is a promise that the connector works with that release; this checks it.
A scratch virtual environment gets the project with each connector library pinned ``==floor`` and
everything else as pip resolves it, then the connector tests run from this checkout.

    python3 .ci/connector_floors.py [--venv DIR]    (or: make connector-floors)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The libraries connectors/ imports (directly or as the HTTP client an SDK runs on).
LIBRARIES = ("prawcore", "tweepy", "atproto", "Mastodon.py", "feedparser", "requests")


def floors(pyproject: Path) -> dict[str, str]:
    """``{name: lowest version}`` for LIBRARIES, from ``name>=X`` in the project's dependencies."""
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    found: dict[str, str] = {}
    for requirement in dependencies:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)", requirement)
        if match and match.group(1).lower() in {n.lower() for n in LIBRARIES}:
            found[match.group(1)] = match.group(2)
    missing = [n for n in LIBRARIES if n.lower() not in {k.lower() for k in found}]
    if missing:
        raise SystemExit(f"connector_floors: no '>=' floor in pyproject.toml for {missing}")
    return found


def run(*command: str | Path) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/schoolwatch-connector-floors"))
    args = parser.parse_args(argv)
    pins = floors(ROOT / "pyproject.toml")
    shutil.rmtree(args.venv, ignore_errors=True)
    run(sys.executable, "-m", "venv", args.venv)
    python = args.venv / "bin" / "python"
    constraints = args.venv / "floors.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in pins.items()))
    print("pinned:", ", ".join(f"{n}=={v}" for n, v in pins.items()), flush=True)
    run(python, "-m", "pip", "install", "--quiet", "-c", constraints, f"{ROOT}[dev]")
    run(python, "-m", "pip", "list", "--format=freeze")
    # From the checkout, so the code under test is this one and only the libraries are old.
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/connectors"],
        cwd=ROOT,
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
