"""``schoolwatch train``, ``evaluate``, ``retrain`` and ``model``: building, measuring, learning
from the school's decisions, and choosing the model version in force."""

from __future__ import annotations

import argparse
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from classifiers.corpus import LabelledDataError, corpus_schools, read_labelled
from classifiers.learned import MODEL_PATH, ModelError, load_model, shipped_model
from classifiers.training import TrainingDataError, build_model, default_corpus, evaluate_posts
from config import ConfigError, load_settings

log = logging.getLogger("schoolwatch")
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def add_parsers(sub: Any) -> None:
    """Adds ``train`` and ``evaluate`` to the ``schoolwatch`` subcommands."""
    train = sub.add_parser("train", help="rebuild the classifier's learned model")
    train.add_argument("--data-dir", help=f"public labelled data (default {DEFAULT_DATA_DIR})")
    train.add_argument("--no-public-data", action="store_true",
                       help="train on the school-context corpus alone")  # fmt: skip
    train.add_argument(
        "--corpus",
        action="append",
        help="labelled JSONL to train on (repeatable; default: train split)",
    )
    train.add_argument("--dev", help="labelled JSONL added to the corpus (default the dev split)")
    train.add_argument("--folds", type=int, default=3,
                       help="cross-validation folds for the thresholds (0: none)")  # fmt: skip
    train.add_argument("--output", default=str(MODEL_PATH), help="where to write the model (.npz)")
    train.add_argument(
        "--record-folds", metavar="FILE", help="also write the out-of-fold flags as JSON"
    )

    retrain = sub.add_parser(
        "retrain", help="learn from this school's decisions; promote only if the gate allows it"
    )
    retrain.add_argument("--config")
    retrain.add_argument(
        "--data-dir", help=f"public labelled data to train on too (default {DEFAULT_DATA_DIR} "
        "when it exists)"
    )  # fmt: skip
    retrain.add_argument("--no-public-data", action="store_true",
                         help="train on the corpus and the school's decisions alone")  # fmt: skip

    model = sub.add_parser("model", help="the model versions kept under the data dir")
    model_sub = model.add_subparsers(dest="model_command", required=True)  # the parent's class
    listing = model_sub.add_parser("list", help="every version with its figures")
    listing.add_argument("--config")
    restore = model_sub.add_parser("restore", help="put an earlier version back in force")
    restore.add_argument("version", help="a version from `model list`, or 'shipped'")
    restore.add_argument("--config")

    evaluate = sub.add_parser("evaluate", help="precision, recall and F1 on labelled posts")
    evaluate.add_argument("--input", required=True, help="labelled JSONL (lines with 'labels')")
    evaluate.add_argument("--config", help="classify every post as about this school")
    evaluate.add_argument("--model", help="a model file (default the shipped one)")
    evaluate.add_argument("--rules-only", action="store_true", help="leave the learned model out")
    evaluate.add_argument(
        "--scope",
        choices=("school", "area"),
        default="school",
        help="where the posts were found: 'school' (a search for the school, its own channels; "
        "the default) or 'area' (a broad local source)",
    )


def cmd_train(args: argparse.Namespace) -> int:
    data_dir: Path | None = None
    if not args.no_public_data:
        data_dir = Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR
        if not data_dir.is_dir():
            raise ConfigError(f"public data directory {data_dir} does not exist; "
                              "give --data-dir DIR or --no-public-data")  # fmt: skip
    corpus, dev = default_corpus()
    if args.corpus:
        corpus = [Path(p) for p in args.corpus]
    if args.dev:
        dev = Path(args.dev)
    version = "tfidf-lr-" + datetime.now(UTC).strftime("%Y%m%d-%H%M")
    started = time.monotonic()
    try:
        record = Path(args.record_folds) if args.record_folds else None
        model = build_model(data_dir, corpus, dev, version, args.folds, record)
    except (LabelledDataError, TrainingDataError) as exc:
        raise ConfigError(str(exc)) from None
    output = Path(args.output)
    model.save(output)
    size = output.stat().st_size / 1e6
    print(f"wrote {output} ({size:.1f} MB, version {version}) in {time.monotonic() - started:.0f}s")
    print("thresholds from cross-validation: "
          + ", ".join(f"{k} {v:.2f}" for k, v in model.thresholds.items()))  # fmt: skip
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    try:
        posts = read_labelled(Path(args.input))
    except LabelledDataError as exc:
        raise ConfigError(str(exc)) from None
    school = None
    thresholds: dict[str, float] = {}
    if args.config or os.environ.get("SCHOOLWATCH_CONFIG"):
        settings = load_settings(args.config)
        school = (settings.school, settings.roster)
        thresholds = dict(settings.thresholds)
    else:
        known = corpus_schools()
        for post in posts:
            if post.school not in known:
                raise ConfigError(
                    f"{args.input}: post {post.id} names no bundled 'school'; "
                    "give --config FILE for the school the posts are about"
                )
    model = None
    if not args.rules_only:
        try:
            model = load_model(Path(args.model)) if args.model else shipped_model()
        except ModelError as exc:
            raise ConfigError(str(exc)) from None
    scores = evaluate_posts(
        posts, model, school=school, config_thresholds=thresholds, scope=args.scope
    )
    print(scores.table())
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from monitor.app import App
    from monitor.learning import retrain

    settings = load_settings(args.config)
    public: Path | None = None
    if args.data_dir:
        public = Path(args.data_dir)
        if not public.is_dir():
            raise ConfigError(f"public data directory {public} does not exist; "
                              "give another --data-dir or --no-public-data")  # fmt: skip
    elif not args.no_public_data and DEFAULT_DATA_DIR.is_dir():
        public = DEFAULT_DATA_DIR
    app = App.open(settings)
    try:
        report = retrain(app, public_data=public, actor=_cli_actor())
    except (LabelledDataError, TrainingDataError, ModelError) as exc:
        raise ConfigError(str(exc)) from None
    finally:
        app.close()
    print(report.summary())
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from monitor.registry import Registry, RegistryError

    settings = load_settings(args.config)
    registry = Registry(settings.data_dir)
    try:
        if args.model_command == "list":
            print(format_versions(registry))
            return 0
        before = registry.restore(args.version, datetime.now(UTC).isoformat())
    except RegistryError as exc:
        raise ConfigError(str(exc)) from None
    from models import AuditEvent, utcnow
    from monitor.app import App

    app = App.open(settings)
    try:
        with app.sessions.begin() as session:
            session.add(AuditEvent(actor=_cli_actor(), action="model_restored",
                                   object_type="model", object_id=args.version,
                                   detail=f"{args.version} restored in place of {before}",
                                   created_at=utcnow()))  # fmt: skip
    finally:
        app.close()
    print(f"model {args.version} is in force (was {before})")
    return 0


def format_versions(registry: Any) -> str:
    from monitor.registry import SHIPPED

    active = registry.active()
    lines = [f"{'':2}{'version':<34} {'status':<9} {'school F1':>9} {'dev-3 F1':>8}  reason"]
    lines.append(f"{'*' if active == SHIPPED else '':2}{SHIPPED:<34} {'shipped':<9} "
                 f"{'':>9} {'':>8}  the model shipped with Schoolwatch")  # fmt: skip
    for entry in registry.entries():
        side = entry["figures"].get("candidate", {})
        school = side.get("school held-back", {}).get("micro_f1")
        dev = side.get("dev-3", {}).get("micro_f1")
        mark = "*" if entry["version"] == active else ""
        lines.append(
            f"{mark:2}{entry['version']:<34} {entry['status']:<9} "
            f"{'' if school is None else f'{school:.3f}':>9} "
            f"{'' if dev is None else f'{dev:.3f}':>8}  {entry['reason']}"
        )
    return "\n".join(lines)


def _cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"
