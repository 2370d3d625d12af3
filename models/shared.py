"""The cursors of shared platform searches: a search done once for several schools belongs to
the deployment, not to any one school, so its resume point lives here and not on a school's
``sources`` row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime


class SharedCursor(Base):
    __tablename__ = "shared_cursors"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # SharedFetch.key
    platform: Mapped[str] = mapped_column(String(40))
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
