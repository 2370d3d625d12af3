"""The bundled demo: a fictional school, its roster and sample posts, run end to end."""

from __future__ import annotations

import os
import secrets
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from config import Settings, load_settings
from models import Case, OutboxEmail, Post, User
from monitor.app import App
from monitor.casefile import write_case_files
from monitor.cycle import run_cycle
from monitor.digest import send_digest

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_EMAIL = "head@roose.example"
DEMO_HOST, DEMO_PORT = "127.0.0.1", 8000


def demo_settings(data_dir: Path) -> Settings:
    """The embedded defaults: SQLite under ``data_dir``, e-mails as .eml files."""
    environ = {
        k: v for k, v in os.environ.items()
        if k not in ("SCHOOLWATCH_DATABASE_URL", "SCHOOLWATCH_SMTP_URL")
        and not k.startswith(("SCHOOLWATCH_DATABASE_URL", "SCHOOLWATCH_SMTP_URL"))
    }  # fmt: skip
    environ["SCHOOLWATCH_DATA_DIR"] = str(data_dir)
    return load_settings(DEMO_DIR / "school.toml", environ)


def run_demo(data_dir: Path | None, once: bool) -> int:
    settings = demo_settings((data_dir or Path("var/demo")).resolve())
    app = App.open(settings)
    try:
        for source in settings.sources:
            report = run_cycle(app, source.name)
            if report.error:
                print(f"schoolwatch: demo source {source.name} failed: {report.error}")
                return 1
        send_digest(app, force=True)
        write_case_files(app.sessions, settings, settings.data_dir / "cases")
        print(summary(app))
        if not once:
            from monitor.web.serve import check_free, serve

            check_free(DEMO_HOST, DEMO_PORT)  # before the password changes under a running demo
            password = demo_login(app)
            print(f"Review page: http://{DEMO_HOST}:{DEMO_PORT}/  log in as {DEMO_EMAIL} "
                  f"with the password {password}  (Ctrl-C stops it)", flush=True)  # fmt: skip
            serve(app, DEMO_HOST, DEMO_PORT)
    finally:
        app.close()
    return 0


def demo_login(app: App) -> str:
    """Create the demo headteacher, or give it a new password; return the password."""
    from monitor.web.users import create_user, password_problem, set_password

    password = secrets.token_urlsafe(12)
    while password_problem(password, DEMO_EMAIL):
        password = secrets.token_urlsafe(12)
    with app.sessions.begin() as session:
        user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
        if user is None:
            create_user(session, DEMO_EMAIL, "headteacher", password)
        else:
            set_password(session, user, password)
            user.active = True
    return password


def summary(app: App) -> str:
    settings = app.settings
    with app.sessions() as session:
        posts = session.scalar(select(func.count(Post.id))) or 0
        relevant = session.scalar(select(func.count(Post.id)).where(Post.relevant.is_(True))) or 0
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        categories: Counter[str] = Counter(c for case in cases for c in case.categories)
        emails = session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    lines = [
        f"Schoolwatch demo: {settings.school.name}",
        f"  posts stored:   {posts} ({relevant} about the school)",
        f"  cases:          {len(cases)} "
        f"({sum(1 for c in cases if c.severity == 'urgent')} urgent)",
        "  flags by category: "
        + (", ".join(f"{k} {v}" for k, v in sorted(categories.items())) or "none"),
        f"  e-mails:        {sum(1 for e in emails if e.status == 'sent')} written, "
        f"{sum(1 for e in emails if e.status == 'pending')} waiting, "
        f"{sum(1 for e in emails if e.status == 'failed')} failed",
        f"  e-mails are in: {settings.outbox_dir}",
        f"  drafts, letters and evidence packs: {settings.data_dir / 'cases'}",
        f"  database:       {settings.database_url}",
    ]
    return "\n".join(lines)
