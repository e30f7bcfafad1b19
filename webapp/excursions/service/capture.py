"""Offline capture: evidence items (notes, photos, sounds, answers) sent in bundles, idempotent by client UUID."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.core.concurrency import insert_once
from webapp.core.errors import DomainError
from webapp.core.formatting import megabytes
from webapp.excursions.models import EvidenceItem, Excursion, Media
from webapp.excursions.service.common import MEDIA_TYPES, _invalid
from webapp.extensions import db

# --- capture -------------------------------------------------------------------------------------------

def bundle_limits() -> tuple[int, int]:
    """How much a bundle of small files may weigh, and how many files it may hold (each file whole, so a
    cut loses only the file in flight)."""
    return int(current_app.config["EXCURSION_BUNDLE_BYTES"]), int(current_app.config["EXCURSION_BUNDLE_FILES"])


def media_max_bytes() -> int:
    return int(current_app.config["EXCURSION_MEDIA_MAX_BYTES"])


def _item_matches(item: EvidenceItem, excursion: Excursion, actor: User, sent: dict | None = None) -> bool:
    """A replay: same excursion, same author and, when known, the same capture (kind, text, question,
    file). Another capture under a used id is refused rather than silently dropped."""
    if item.excursion_id != excursion.id or item.author_id != actor.id:
        return False
    if sent is None:
        return True
    media_id = (sent.get("media") or {}).get("id")
    return (item.kind == sent["kind"] and item.text == (sent.get("text") or "")
            and item.question_id == sent.get("question_id")
            and (item.media.id if item.media else None) == media_id)


def add_item(actor: User, excursion: Excursion, *, id: uuid.UUID, kind: str, captured_at: datetime,
             media: dict | None = None, question_id=None, known: dict | None = None,
             taken_media: set | None = None, **fields) -> tuple[EvidenceItem, bool]:
    """Record one capture under the client's UUID; the same UUID again returns the first one unchanged.

    Returns ``(item, created)``. Items are append-only: a replay never edits what was stored.
    ``known`` (items by id) and ``taken_media`` (media ids) are prefetched by ``add_items``.
    """
    sent = {"kind": kind, "text": fields.get("text"), "question_id": question_id, "media": media}
    existing = known.get(id) if known is not None else db.session.get(EvidenceItem, id)
    if existing is not None:
        return _replayed(existing, excursion, actor, sent), False
    if known is None:
        # Alone: a twin sent at the same moment (a phone's retry while the first is running) may win
        # the insert; ours is then rolled back and the twin is the answer.
        try:
            item, created = insert_once(lambda: _new_item(actor, excursion, id, kind, captured_at, media,
                                                          question_id, None, fields),
                                        lambda: db.session.get(EvidenceItem, id))
        except DomainError:
            # Refused as "file id already used": by this very capture, committed by its twin meanwhile?
            db.session.rollback()
            if (item := db.session.get(EvidenceItem, id)) is None:
                raise
            created = False
        return (item, True) if created else (_replayed(item, excursion, actor, sent), False)
    return _new_item(actor, excursion, id, kind, captured_at, media, question_id, taken_media, fields), True


def _replayed(existing: EvidenceItem, excursion: Excursion, actor: User, sent: dict) -> EvidenceItem:
    if not _item_matches(existing, excursion, actor, sent):
        raise _invalid(_("Cet identifiant est déjà utilisé."), status=409)
    return existing


def _new_item(actor, excursion, id, kind, captured_at, media, question_id, taken_media, fields) -> EvidenceItem:
    _check_item(excursion, kind, media, question_id, taken_media)
    item = EvidenceItem(id=id, excursion_id=excursion.id, author_id=actor.id, kind=kind,
                        captured_at=captured_at, question_id=question_id,
                        text=fields.get("text") or "", person_name=fields.get("person_name") or "",
                        consent_given=fields.get("consent_given"), tags=_clean_tags(fields.get("tags")),
                        latitude=fields.get("latitude"), longitude=fields.get("longitude"),
                        accuracy=fields.get("accuracy"))
    if media:
        item.media = Media(id=media["id"], content_type=media["content_type"], size=media["size"],
                           sha256=media["sha256"].lower(), received=0)
    db.session.add(item)
    if taken_media is None:
        db.session.flush()
    return item


def add_items(actor: User, excursion: Excursion, bodies: list[dict], load) -> list[dict]:
    """Record a batch of captures; each one gets its own status, as if posted alone (201, 200 or 4xx).

    ``load`` validates one raw item (the API's schema). ``add_item`` checks everything before it adds to
    the session, so a refused capture leaves nothing behind and never undoes the others. (No savepoint:
    with SQLite's driver, releasing the outermost one commits to disk, once per item.) Existing ids are
    read in two queries and the new rows written in one flush: a phone back online sends hundreds.
    """
    try:
        return _add_items(actor, excursion, bodies, load)
    except IntegrityError:
        # Another request stored some of these ids meanwhile (a batch sent twice at once): start again,
        # the twins are then known and each answers as a replay.
        db.session.rollback()
        return _add_items(actor, excursion, bodies, load)


def _add_items(actor: User, excursion: Excursion, bodies: list[dict], load) -> list[dict]:
    from marshmallow import ValidationError

    parsed = []
    for body in bodies:
        try:
            parsed.append((body, load(body), None))
        except ValidationError as error:
            parsed.append((body, None, error))
    known, taken_media = _prefetch([data for _, data, _ in parsed if data])
    results = []
    for body, data, error in parsed:
        item_id = str(body.get("id", "")) if isinstance(body, dict) else ""
        if error is not None:
            results.append(_refused(item_id, 422, _("Certaines informations sont invalides."), error.messages))
            continue
        try:
            item, created = add_item(actor, excursion, known=known, taken_media=taken_media, **data)
        except DomainError as refusal:
            results.append(_refused(item_id, refusal.status, refusal.message, refusal.fields))
            continue
        known[item.id] = item
        if item.media is not None:
            taken_media.add(item.media.id)
        results.append(_accepted(item, created))
    db.session.flush()
    return results


def _accepted(item: EvidenceItem, created: bool) -> dict:
    # Read before the flush: afterwards, each item's media would be loaded again, one query per item.
    media = item.media
    return {"id": str(item.id), "status": 201 if created else 200, "outcome": "stored" if created else "replayed",
            "error": None,
            "media_id": str(media.id) if media else None, "media_complete": bool(media and media.complete)}


def _prefetch(items: list[dict]) -> tuple[dict, set]:
    ids = [d["id"] for d in items]
    media_ids = [d["media"]["id"] for d in items if d.get("media")]
    known = {i.id: i for i in db.session.scalars(db.select(EvidenceItem).where(EvidenceItem.id.in_(ids))
                                                 .options(selectinload(EvidenceItem.media)))} if ids else {}
    taken = set(db.session.scalars(db.select(Media.id).where(Media.id.in_(media_ids)))) if media_ids else set()
    return known, taken


def _refused(item_id: str, status: int, message: str, fields) -> dict:
    return {"id": item_id, "status": status, "outcome": "refused", "media_id": None, "media_complete": False,
            "error": {"code": "refused", "message": message, "fields": fields}}


def _clean_tags(tags) -> list[str]:
    return list(dict.fromkeys(t.strip()[:40] for t in tags or [] if t and t.strip()))[:10]


def _check_item(excursion: Excursion, kind: str, media: dict | None, question_id, taken_media=None) -> None:
    if kind in ("photo", "audio") and not media:
        raise _invalid(_("Le fichier de cette capture est manquant."), media=_("Fichier manquant."))
    if kind == "answer" and not any(q.id == question_id for q in excursion.questions):
        raise _invalid(_("Cette question n’existe pas pour cette excursion."), question_id=_("Question inconnue."))
    if media:
        _check_media(media, taken_media)


def _check_media(media: dict, taken_media: set | None = None) -> None:
    limit = media_max_bytes()
    if media["size"] > limit:
        message = _("Fichier trop volumineux : %(size)s Mo pour %(limit)s Mo au plus.",
                    size=megabytes(media["size"]), limit=megabytes(limit))
        raise DomainError(message, fields={"media": [message]}, status=413)
    if media["content_type"].split(";")[0].strip().lower() not in MEDIA_TYPES:
        raise _invalid(_("Seules les photos et les enregistrements audio sont acceptés."),
                       media=_("Type de fichier non accepté."))
    taken = media["id"] in taken_media if taken_media is not None else db.session.get(Media, media["id"]) is not None
    if taken:
        raise _invalid(_("Cet identifiant de fichier est déjà utilisé."), status=409)


def item_synced(item: EvidenceItem) -> bool:
    """An item is synchronised only once its attachment, if any, is complete and verified."""
    return item.media is None or item.media.complete


def missing_media(excursion: Excursion) -> int:
    return sum(1 for item in excursion.items if not item_synced(item))
