"""Idempotent writes: a retried request with the same ``Idempotency-Key`` returns the first response.

The PWA's outbox replays writes after a cut; without this, a write that reached the server but whose
answer was lost would be applied twice. Keys are scoped to the person who sent them.
"""

from __future__ import annotations

import functools
import json
import uuid
from datetime import datetime

from flask import Response, abort, request
from flask_login import current_user
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.clock import utcnow
from webapp.core.types import UTCDateTime, UUIDKey
from webapp.extensions import db

MAX_KEY = 100


class IdempotentRequest(UUIDKey, db.Model):
    """The stored outcome of one write, per person and key."""

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotent_request_user_key"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    key: Mapped[str] = mapped_column(String(MAX_KEY), nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def _stored(key: str) -> IdempotentRequest | None:
    return db.session.scalar(db.select(IdempotentRequest).where(
        IdempotentRequest.user_id == current_user.id, IdempotentRequest.key == key))


def _replay(stored: IdempotentRequest) -> Response:
    if stored.method != request.method or stored.path != request.path:
        abort(422, description="Idempotency-Key already used for another request.")
    response = Response(stored.body, status=stored.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(fn):
    """Wrap an API write: commit its effect and its stored response together, or replay the stored one.

    Only 2xx outcomes are stored: a refused write (4xx) may be retried once the cause is fixed.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or not current_user.is_authenticated:
            return fn(*args, **kwargs)
        if len(key) > MAX_KEY:
            abort(400, description="Idempotency-Key is too long (100 characters at most).")
        stored = _stored(key)
        if stored is not None:
            return _replay(stored)
        result = fn(*args, **kwargs)
        response = _as_response(result)
        if 200 <= response.status_code < 300:
            db.session.add(IdempotentRequest(
                user_id=current_user.id, key=key, method=request.method, path=request.path,
                status=response.status_code, body=response.get_data(as_text=True)))
            try:
                db.session.commit()
            except IntegrityError:
                # A concurrent duplicate won the race: undo ours and answer with theirs.
                db.session.rollback()
                stored = _stored(key)
                if stored is not None:
                    return _replay(stored)
                raise
        return response

    return wrapper


def _as_response(result) -> Response:
    from flask import make_response

    if isinstance(result, Response):
        return result
    if isinstance(result, dict | list):
        return make_response(json.dumps(result), 200, {"Content-Type": "application/json"})
    return make_response(result)
