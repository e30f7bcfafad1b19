"""Rules of the organisation: granting the coordination, drafting bodies and posts, publishing at a set
time, and listing what changed after publication (issue 14 item 2)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from webapp.accounts.models import OrgUnit, User
from webapp.core import audit
from webapp.core.clock import PARIS, utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.organisation import policy
from webapp.organisation.labels import ROLES
from webapp.organisation.models import Body, Change, Coordinator, Mandate, Post, Publication

BODY_FIELDS = ("kind", "name", "theme", "conflict_categories")
POST_FIELDS = ("role", "seats", "function_type", "hours_per_month", "weekday", "nth_week", "starts_at", "ends_at",
               "conditions")


def organisation_mandate() -> Mandate | None:
    """The organisation being designated is the new mandate's, the one the forum opened."""
    return forum.forum_mandate()


def _require(allowed: bool) -> None:
    if not allowed:
        raise DomainError(str(_l("Action réservée à la coordination et au service des assemblées.")), status=403)


# --- the coordination -------------------------------------------------------------------------------------

def assemblies_people() -> list[User]:
    """The active people of the assemblies service (they prepare the plenary and record its vote)."""
    return db.session.scalars(db.select(User).join(OrgUnit, User.unit_id == OrgUnit.id)
                              .where(OrgUnit.kind == "assemblies", User.active.is_(True))).all()


def coordinators(mandate: Mandate) -> list[Coordinator]:
    return db.session.scalars(db.select(Coordinator).join(User, Coordinator.user_id == User.id)
                              .where(Coordinator.mandate_id == mandate.id).order_by(User.name)).all()


def grant_coordination(actor, mandate: Mandate, user: User) -> Coordinator:
    if not policy.can_grant_coordination(actor):
        raise DomainError(str(_l("Seuls l’administration et le service des assemblées désignent la coordination.")),
                          status=403)
    existing = db.session.scalar(db.select(Coordinator).where(Coordinator.user_id == user.id,
                                                              Coordinator.mandate_id == mandate.id))
    if existing is not None:
        return existing
    row = Coordinator(user=user, mandate_id=mandate.id, granted_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "organisation.coordination_granted", row, None, {"user": str(user.id)})
    return row


# --- publication ------------------------------------------------------------------------------------------

def publication(mandate: Mandate) -> Publication | None:
    return db.session.scalar(db.select(Publication).where(Publication.mandate_id == mandate.id))


def is_published(mandate: Mandate, now: datetime | None = None) -> bool:
    """Published once its set time has come: no worker is needed to flip it."""
    pub = publication(mandate)
    return pub is not None and pub.publish_at <= (now or utcnow())


def schedule_publication(actor, mandate: Mandate, publish_at: datetime) -> Publication:
    """Set (or move) the time the organisation opens to every élu; it cannot be withdrawn once open."""
    _require(policy.can_publish(actor, mandate))
    if publish_at.tzinfo is None:
        publish_at = publish_at.replace(tzinfo=PARIS)
    if is_published(mandate):
        raise DomainError(str(_l("L’organisation est déjà publiée ; ses changements sont listés.")))
    if not bodies(mandate):
        raise DomainError(str(_l("Ajoutez au moins une instance avant de publier.")), status=422)
    pub = publication(mandate)
    before = {"publish_at": pub.publish_at.isoformat()} if pub else None
    if pub is None:
        pub = Publication(mandate_id=mandate.id, publish_at=publish_at)
        db.session.add(pub)
    pub.publish_at = publish_at
    db.session.flush()
    audit.record(actor, "organisation.publication_scheduled", pub, before, {"publish_at": publish_at.isoformat()})
    return pub


def publish_by_calendar(mandate: Mandate, at: datetime) -> Publication:
    """The installation week's worker publishes at the calendar's time when nobody scheduled it (one row
    per mandate: the unique constraint decides between two runs)."""
    pub = Publication(mandate_id=mandate.id, publish_at=at)
    db.session.add(pub)
    db.session.flush()
    audit.record(None, "organisation.published_by_calendar", pub, None, {"publish_at": at.isoformat()})
    return pub


def changes(mandate: Mandate) -> list[Change]:
    return db.session.scalars(db.select(Change).where(Change.mandate_id == mandate.id)
                              .order_by(Change.at.desc())).all()


def _note_change(actor, mandate: Mandate, action: str, subject: str) -> None:
    """After publication every change is listed for the élus, who may already be choosing."""
    if is_published(mandate):
        db.session.add(Change(mandate_id=mandate.id, actor_id=getattr(actor, "id", None), action=action,
                              subject=subject[:400]))


# --- bodies and posts -------------------------------------------------------------------------------------

def bodies(mandate: Mandate) -> list[Body]:
    return db.session.scalars(db.select(Body).where(Body.mandate_id == mandate.id)
                              .order_by(Body.kind, Body.name)).all()


def get_body(body_id) -> Body | None:
    return db.session.get(Body, body_id)


def all_posts(mandate: Mandate) -> list[Post]:
    return db.session.scalars(db.select(Post).join(Body).where(Body.mandate_id == mandate.id)
                              .order_by(Body.name, Post.created_at)).all()


def _check_rhythm(data: dict) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if (starts is None) != (ends is None):
        raise DomainError(str(_l("Donnez l’heure de début et l’heure de fin.")), {"ends_at": ["?"]}, status=422)
    if starts is not None and ends <= starts:
        raise DomainError(str(_l("La réunion doit finir après son début.")), {"ends_at": ["<"]}, status=422)
    if data.get("nth_week") is not None and data.get("weekday") is None:
        raise DomainError(str(_l("Une semaine du mois suppose un jour de la semaine.")), {"weekday": ["?"]},
                          status=422)


def add_body(actor, mandate: Mandate, data: dict) -> Body:
    _require(policy.can_draft(actor, mandate))
    body = Body(mandate_id=mandate.id, **{k: data[k] for k in BODY_FIELDS if k in data})
    db.session.add(body)
    db.session.flush()
    audit.record(actor, "organisation.body_added", body, None, {k: getattr(body, k) for k in BODY_FIELDS})
    _note_change(actor, mandate, "body_added", body.name)
    return body


def remove_body(actor, body: Body) -> None:
    _require(policy.can_draft(actor, body.mandate))
    audit.record(actor, "organisation.body_removed", body, {"name": body.name}, None)
    _note_change(actor, body.mandate, "body_removed", body.name)
    db.session.delete(body)
    db.session.flush()


def post_label(post: Post) -> str:
    return f"{post.body.name} — {ROLES[post.role]}"


def delegable_units() -> list[OrgUnit]:
    """The directions and services a post may delegate."""
    return db.session.scalars(db.select(OrgUnit).where(OrgUnit.kind.in_(("direction", "service")))
                              .order_by(OrgUnit.name)).all()


def _units(ids) -> list[OrgUnit]:
    ids = set(ids or [])
    units = db.session.scalars(db.select(OrgUnit).where(OrgUnit.id.in_(ids))).all() if ids else []
    if len(units) != len(ids):
        raise DomainError(str(_l("Service inconnu.")), {"unit_ids": ["unknown"]}, status=422)
    return list(units)


def add_post(actor, body: Body, data: dict) -> Post:
    _require(policy.can_draft(actor, body.mandate))
    _check_rhythm(data)
    post = Post(body=body, units=_units(data.get("unit_ids")), **{k: data[k] for k in POST_FIELDS if k in data})
    db.session.add(post)
    db.session.flush()
    audit.record(actor, "organisation.post_added", post, None, _post_state(post))
    _note_change(actor, body.mandate, "post_added", post_label(post))
    return post


def _post_state(post: Post) -> dict:
    state = {k: getattr(post, k) for k in POST_FIELDS}
    state = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in state.items()}
    return {**state, "unit_ids": sorted(str(unit.id) for unit in post.units)}


def update_post(actor, post: Post, data: dict) -> Post:
    _require(policy.can_draft(actor, post.body.mandate))
    merged = {**_post_state(post), **data}
    merged["starts_at"], merged["ends_at"] = data.get("starts_at", post.starts_at), data.get("ends_at", post.ends_at)
    _check_rhythm(merged)
    before = _post_state(post)
    for key in POST_FIELDS:
        if key in data:
            setattr(post, key, data[key])
    if "unit_ids" in data:
        post.units = _units(data["unit_ids"])
    db.session.flush()
    audit.record(actor, "organisation.post_changed", post, before, _post_state(post))
    _note_change(actor, post.body.mandate, "post_changed", post_label(post))
    return post


def remove_post(actor, post: Post) -> None:
    _require(policy.can_draft(actor, post.body.mandate))
    audit.record(actor, "organisation.post_removed", post, _post_state(post), None)
    _note_change(actor, post.body.mandate, "post_removed", post_label(post))
    db.session.delete(post)
    db.session.flush()
