"""What the excursions' rules share: limits, loading, who sees which excursion, URLs."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for

from webapp.accounts.models import User
from webapp.accounts.roles import is_cabinet
from webapp.core.errors import DomainError
from webapp.excursions.models import Excursion, Media, Participant
from webapp.extensions import db

MAX_DURATION_MINUTES = 8 * 60  # "sur un temps court" (003:771): half a day to a day at most
# Served back from our origin: an allow-list, so no active content (SVG, HTML) can ride in as a "photo".
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif",
               "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/aac", "audio/wav", "audio/x-wav")


def _invalid(message: str, status: int = 422, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=status)


def excursion_url(excursion: Excursion) -> str:
    return f"/excursions/{excursion.id}"


def get_excursion(excursion_id) -> Excursion | None:
    return db.session.get(Excursion, excursion_id)


def visible_query(user: User):
    """Excursions the person organises, takes part in, or whose members they manage; newest first."""
    if is_cabinet(user):
        return db.select(Excursion).where(db.false())
    managed = db.select(User.id).where(User.manager_id == user.id)
    mine = db.or_(
        Excursion.organiser_id == user.id,
        Excursion.organiser_id.in_(managed),
        Excursion.participants.any(Participant.user_id == user.id),
        Excursion.participants.any(Participant.user_id.in_(managed)),
    )
    return db.select(Excursion).where(mine).order_by(Excursion.starts_at.desc())


def upcoming_and_past(user: User, now: datetime):
    """The person's excursions still to come, soonest first, and a query for the others, newest first."""
    visible = visible_query(user)
    coming = Excursion.status == "prepared", Excursion.starts_at >= now - timedelta(hours=MAX_DURATION_MINUTES / 60)
    upcoming = db.session.scalars(visible.where(*coming).order_by(None).order_by(Excursion.starts_at)).all()
    return upcoming, visible.where(db.not_(db.and_(*coming)))


def media_url(media: Media) -> str:
    return url_for("excursions_api.MediaContent", media_id=media.id)
