"""API usage for the deployment: calls, posts read and their estimated cost, per school, platform
and day. A shared search's usage is split between its member schools in equal shares."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base


class ApiUsage(Base):
    __tablename__ = "api_usage"
    __table_args__ = (UniqueConstraint("day", "platform", "school", "shared"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # UTC
    platform: Mapped[str] = mapped_column(String(40))
    school: Mapped[str] = mapped_column(String(200))
    shared: Mapped[bool] = mapped_column(Boolean)  # from a search shared with other schools
    calls: Mapped[float] = mapped_column(Float, default=0.0)
    posts_read: Mapped[float] = mapped_column(Float, default=0.0)
    cost: Mapped[float] = mapped_column(Float, default=0.0)  # USD, estimated from ApiCosts
