"""Rules of the testimonies: collection (created offline under the phone's UUID, files declared with their
size and SHA-256), captions and transcript, publication (never without captions), withdrawal (off the
public site and the open data at once, files dropped by the worker later), and the public reading.

Bodies and posts are the organisation's, read through ``webapp.organisation.service``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core import audit, uploads
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.testimonies import policy
from webapp.testimonies.captions import check_cue
from webapp.testimonies.models import BodyPage, Cue, Testimony, TestimonyFile

# The text the speaker agrees to, shown on the phone and stored with each consent exactly as agreed.
CONSENT_TEXT = (
    "J’accepte d’être filmé(e) et que cette vidéo, ses sous-titres et sa transcription soient publiés par la "
    "collectivité sur son site public « Ma vie d’élu local » et en données ouvertes (Licence Ouverte 2.0), "
    "réutilisables par d’autres collectivités. Je peux retirer mon accord à tout moment auprès du service des "
    "assemblées : la vidéo est alors retirée du site aussitôt et ses fichiers supprimés ensuite.")
SPEAKER_FIELDS = ("speaker_name", "speaker_role", "speaker_organisation", "recorded_on")


def _require(allowed: bool) -> None:
    if not allowed:
        raise DomainError(str(_l("Action réservée au service des assemblées.")), status=403)


# --- bodies (the organisation's) ---------------------------------------------------------------------------

def bodies() -> list:
    """The bodies of the organisation being designated, for the collectors."""
    mandate = organisation.organisation_mandate()
    return organisation.bodies(mandate) if mandate is not None else []


def public_bodies() -> list:
    """The bodies shown on the public site: those of the organisation once published."""
    mandate = organisation.organisation_mandate()
    if mandate is None or not organisation.is_published(mandate):
        return []
    return organisation.bodies(mandate)


def public_body(body_id):
    body = organisation.get_body(body_id)
    return body if body is not None and body in public_bodies() else None


def body_summary(body) -> str:
    page = db.session.scalar(db.select(BodyPage).where(BodyPage.body_id == body.id))
    return page.summary if page else ""


def set_body_summary(actor, body, summary: str) -> BodyPage:
    _require(policy.can_collect(actor))
    page = db.session.scalar(db.select(BodyPage).where(BodyPage.body_id == body.id))
    before = {"summary": page.summary} if page else None
    if page is None:
        page = BodyPage(body_id=body.id)
        db.session.add(page)
    page.summary = summary.strip()
    db.session.flush()
    audit.record(actor, "testimonies.body_summary", page, before, {"summary": page.summary})
    return page


# --- collection ---------------------------------------------------------------------------------------------

def get(testimony_id) -> Testimony | None:
    return db.session.get(Testimony, testimony_id)


def collected() -> list[Testimony]:
    return db.session.scalars(db.select(Testimony).order_by(Testimony.created_at.desc())).all()


def _state(t: Testimony) -> dict:
    files = {f.kind: {"id": str(f.id), "size": f.size, "sha256": f.sha256} for f in t.files}
    return {"body_id": str(t.body_id), **{k: str(getattr(t, k)) for k in SPEAKER_FIELDS},
            "consent_given": t.consent_given, "consent_name": t.consent_name, "consent_text": t.consent_text,
            "files": files}


def create(actor, data: dict) -> tuple[Testimony, bool]:
    """Record a testimony sent by a phone: ``(testimony, True)`` when new, ``(it, False)`` for a replay.

    A replay with other content is a conflict (409): the id is the phone's, one capture, one row.
    """
    _require(policy.can_collect(actor))
    body = organisation.get_body(data["body_id"])
    if body is None or body not in bodies():
        raise DomainError(str(_l("Instance inconnue.")), {"body_id": ["unknown"]}, status=422)
    if not (data.get("consent_given") and data.get("consent_name", "").strip() and data.get("consent_text")):
        raise DomainError(str(_l("Le consentement signé est obligatoire : case cochée et nom saisi.")),
                          {"consent_name": ["?"]}, status=422)
    video = data["video"]
    if video["size"] > current_app.config["TESTIMONY_VIDEO_MAX_BYTES"]:
        raise DomainError(str(_l("Vidéo trop volumineuse.")), {"video": ["size"]}, status=413)
    existing = get(data["id"])
    if existing is not None:
        return _same(existing, data), False

    def insert() -> Testimony:
        testimony = Testimony(
            id=data["id"], body_id=body.id, created_by_id=getattr(actor, "id", None), status="draft",
            consent_given=True, consent_name=data["consent_name"].strip(), consent_text=data["consent_text"],
            consented_at=utcnow(), **{k: data.get(k) or "" for k in SPEAKER_FIELDS if k != "recorded_on"},
            recorded_on=data["recorded_on"])
        for kind in ("video", "poster"):
            if data.get(kind):
                f = data[kind]
                testimony.files.append(TestimonyFile(id=f["id"], kind=kind, content_type=f["content_type"],
                                                     size=f["size"], sha256=f["sha256"]))
        db.session.add(testimony)
        db.session.flush()
        audit.record(actor, "testimonies.collected", testimony, None, _state(testimony))
        return testimony

    testimony, fresh = insert_once(insert, lambda: get(data["id"]))
    return (testimony, True) if fresh else (_same(testimony, data), False)


def _same(testimony: Testimony, data: dict) -> Testimony:
    sent = {kind: data[kind]["sha256"] for kind in ("video", "poster") if data.get(kind)}
    held = {f.kind: f.sha256 for f in testimony.files}
    if str(testimony.body_id) != str(data["body_id"]) or sent != held:
        raise DomainError(str(_l("Ce témoignage existe déjà avec un autre contenu.")), status=409)
    return testimony


def load_file(file_id, lock: bool = False) -> TestimonyFile | None:
    """A testimony's file; ``lock`` while its bytes are written (with the file lock of ``core/uploads``)."""
    stmt = db.select(TestimonyFile).where(TestimonyFile.id == file_id)
    return db.session.scalar(stmt.with_for_update() if lock else stmt)


# --- captions and transcript --------------------------------------------------------------------------------

def add_cue(actor, testimony: Testimony, start_ms: int, end_ms: int, text: str) -> Cue:
    _require(policy.can_collect(actor))
    check_cue(start_ms, end_ms, text)
    cue = Cue(testimony=testimony, start_ms=start_ms, end_ms=end_ms, text=text.strip())
    db.session.add(cue)
    db.session.flush()
    audit.record(actor, "testimonies.cue_added", testimony, None, {"cue": str(cue.id), "text": cue.text})
    return cue


def update_cue(actor, cue: Cue, start_ms: int, end_ms: int, text: str) -> Cue:
    _require(policy.can_collect(actor))
    check_cue(start_ms, end_ms, text)
    before = {"start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text}
    cue.start_ms, cue.end_ms, cue.text = start_ms, end_ms, text.strip()
    db.session.flush()
    audit.record(actor, "testimonies.cue_changed", cue.testimony, before, {"cue": str(cue.id), "text": cue.text})
    return cue


def remove_cue(actor, cue: Cue) -> None:
    _require(policy.can_collect(actor))
    testimony = cue.testimony
    if testimony.status == "published" and len(testimony.cues) == 1:
        raise DomainError(str(_l("Une vidéo publiée garde au moins un sous-titre.")), status=422)
    audit.record(actor, "testimonies.cue_removed", testimony, {"cue": str(cue.id), "text": cue.text}, None)
    testimony.cues.remove(cue)
    db.session.flush()


def set_transcript(actor, testimony: Testimony, transcript: str) -> Testimony:
    _require(policy.can_collect(actor))
    if testimony.status == "published" and not transcript.strip():
        raise DomainError(str(_l("Une vidéo publiée garde sa transcription.")), {"transcript": ["?"]}, status=422)
    before = {"transcript": testimony.transcript}
    testimony.transcript = transcript.strip()
    db.session.flush()
    audit.record(actor, "testimonies.transcript", testimony, before, {"transcript": testimony.transcript})
    return testimony


# --- moderation ---------------------------------------------------------------------------------------------

def missing_for_publication(testimony: Testimony) -> list[str]:
    """What keeps a testimony off the public site, in the collectors' words (empty: it may go)."""
    missing = []
    if testimony.video is None or not testimony.video.complete:
        missing.append(str(_l("la vidéo n’est pas encore reçue en entier")))
    if not testimony.cues:
        missing.append(str(_l("la vidéo n’a pas de sous-titres : une vidéo sans sous-titres ne peut pas être "
                              "publiée")))
    if not testimony.transcript.strip():
        missing.append(str(_l("la transcription est vide")))
    if not testimony.consent_given:
        missing.append(str(_l("le consentement manque")))
    return missing


def publish(actor, testimony: Testimony) -> Testimony:
    _require(policy.can_publish(actor))

    def change() -> Testimony:
        if testimony.status == "withdrawn":
            raise DomainError(str(_l("Un témoignage retiré ne peut pas être republié.")), status=409)
        if testimony.status == "published":
            return testimony
        missing = missing_for_publication(testimony)
        if missing:
            raise DomainError(str(_l("Publication impossible : %(why)s.", why="; ".join(missing))),
                              {"publish": missing}, status=422)
        testimony.status, testimony.published_at = "published", utcnow()
        db.session.flush()
        audit.record(actor, "testimonies.published", testimony, {"status": "draft"}, {"status": "published"})
        return testimony

    return compare_and_set(change)


def withdraw(actor, testimony: Testimony) -> Testimony:
    """Off the public site and the open data at once; the files go after ``TESTIMONY_DROP_DAYS``."""
    _require(policy.can_publish(actor))

    def change() -> Testimony:
        if testimony.status == "withdrawn":
            return testimony
        before = {"status": testimony.status}
        testimony.status, testimony.withdrawn_at = "withdrawn", utcnow()
        db.session.flush()
        audit.record(actor, "testimonies.withdrawn", testimony, before, {"status": "withdrawn"})
        return testimony

    return compare_and_set(change)


def drop_withdrawn_files(now=None) -> int:
    """Delete the files of testimonies withdrawn more than ``TESTIMONY_DROP_DAYS`` ago (the worker's job)."""
    limit = (now or utcnow()) - timedelta(days=current_app.config["TESTIMONY_DROP_DAYS"])
    due = db.session.scalars(db.select(Testimony).where(
        Testimony.status == "withdrawn", Testimony.withdrawn_at <= limit, Testimony.files_dropped_at.is_(None))).all()
    for testimony in due:
        for f in testimony.files:
            uploads.drop_files(f)
        testimony.files_dropped_at = utcnow()
        audit.record(None, "testimonies.files_dropped", testimony, None, {"files": len(testimony.files)})
    db.session.flush()
    return len(due)


# --- public reading -----------------------------------------------------------------------------------------

def published(body=None) -> list[Testimony]:
    stmt = db.select(Testimony).where(Testimony.status == "published")
    if body is not None:
        stmt = stmt.where(Testimony.body_id == body.id)
    return db.session.scalars(stmt.order_by(Testimony.recorded_on.desc(), Testimony.speaker_name)).all()


def public_testimony(testimony_id) -> Testimony | None:
    testimony = get(testimony_id)
    if testimony is None or testimony.status != "published" or public_body(testimony.body_id) is None:
        return None
    return testimony


def themes() -> list[str]:
    """Every theme word of the public bodies (their ``theme``, comma separated), sorted."""
    words = {w.strip() for b in public_bodies() for w in b.theme.split(",") if w.strip()}
    return sorted(words, key=str.casefold)


def search(theme: str) -> list:
    """Public bodies whose theme or name contains ``theme`` (case-insensitive)."""
    needle = theme.strip().casefold()
    return [b for b in public_bodies() if needle in b.theme.casefold() or needle in b.name.casefold()]
