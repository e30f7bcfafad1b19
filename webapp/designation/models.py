"""An élu's wishes for posts of the new organisation (issue 14 item 3): ranked, each justified, with an
answer to its alerts, and the hours a month the élu says they can give."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import Elu
from webapp.core.types import Timestamps, UUIDKey
from webapp.extensions import db
from webapp.organisation.models import Post


class Wish(UUIDKey, Timestamps, db.Model):
    __tablename__ = "designation_wish"
    __table_args__ = (UniqueConstraint("elu_id", "post_id", name="uq_designation_wish"),)

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    post_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_post.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 = most wanted
    justification: Mapped[str] = mapped_column(Text, nullable=False)
    # The élu's answer to the wish's alerts: an alert informs, it never blocks.
    alert_answer: Mapped[str] = mapped_column(Text, nullable=False, default="")

    elu: Mapped[Elu] = relationship()
    post: Mapped[Post] = relationship()


class Availability(UUIDKey, db.Model):
    """The hours a month the élu says they can give to their posts (the gauge's limit)."""

    __tablename__ = "designation_availability"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), unique=True,
                                              nullable=False)
    hours_per_month: Mapped[int] = mapped_column(Integer, nullable=False)
