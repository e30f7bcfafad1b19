"""Rules of the wishes (issue 14 item 3): choosing, ranking and justifying posts, and what the élu is
shown live as they choose — alerts, the time gauge, the representation cap, the indemnity simulation.

The agenda constraints and declared interests are read through the forum's service function
``private_profile_for_designation`` (the forum's policy allows that read, and only that one).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from webapp.core import audit
from webapp.core.errors import DomainError
from webapp.designation import arbitration, calendar, rules, simulation
from webapp.designation.models import Availability, Wish
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.organisation import labels
from webapp.organisation import policy as organisation_policy
from webapp.organisation import service as organisation
from webapp.organisation.models import FUNCTION_TYPES, Elu, Post

DEFAULT_AVAILABILITY = 40
# The most representation posts (function type "représentation") an élu may hold, by level of
# responsibility, when the coordination has set none (``rules.caps`` gives the ones in force).
REPRESENTATION_CAPS = rules.DEFAULT_CAPS
# A post's role sets the level of whoever holds it; the highest wished one counts.
LEVEL_OF_ROLE = {"president": "president", "vice_president": "vice_president",
                 "commission_president": "commission_president"}
# Hours of the day a half-day constraint covers.
HALF_DAYS = {"morning": (time(0), time(12, 30)), "afternoon": (time(12, 30), time(23, 59))}


def term_of(user) -> Elu | None:
    return forum.term_of(user)


def wishes(term: Elu) -> list[Wish]:
    return db.session.scalars(db.select(Wish).where(Wish.elu_id == term.id).order_by(Wish.rank)).all()


def _open(term: Elu) -> None:
    if not organisation.is_published(term.mandate):
        raise DomainError(str(_l("Les vœux s’ouvrent quand l’organisation est publiée.")))
    if calendar.wishes_closed(term.mandate):
        raise DomainError(str(_l("Les vœux sont clos : la coordination arbitre.")), status=409)


def add_wish(actor, term: Elu, post: Post, justification: str) -> Wish:
    _open(term)
    if post.body.mandate_id != term.mandate_id:
        raise DomainError(str(_l("Ce poste n’appartient pas à ce mandat.")), status=404)
    if not justification.strip():
        raise DomainError(str(_l("Justifiez ce vœu.")), {"justification": ["required"]}, status=422)
    if db.session.scalar(db.select(Wish.id).where(Wish.elu_id == term.id, Wish.post_id == post.id)):
        raise DomainError(str(_l("Ce poste est déjà dans vos vœux.")))
    wish = Wish(elu=term, post=post, rank=len(wishes(term)) + 1, justification=justification.strip())
    db.session.add(wish)
    db.session.flush()
    audit.record(actor, "designation.wish_added", wish, None, {"post": str(post.id), "rank": wish.rank})
    return wish


def update_wish(actor, wish: Wish, data: dict) -> Wish:
    _open(wish.elu)
    if "justification" in data and not data["justification"].strip():
        raise DomainError(str(_l("Justifiez ce vœu.")), {"justification": ["required"]}, status=422)
    before = {"justification": wish.justification, "alert_answer": wish.alert_answer}
    for key in ("justification", "alert_answer"):
        if key in data:
            setattr(wish, key, data[key].strip())
    db.session.flush()
    audit.record(actor, "designation.wish_changed", wish, before,
                 {"justification": wish.justification, "alert_answer": wish.alert_answer})
    return wish


def move_wish(actor, wish: Wish, step: int) -> None:
    """Move a wish up (-1) or down (+1) the élu's ranking."""
    _open(wish.elu)
    ordered = wishes(wish.elu)
    index = ordered.index(wish)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        _renumber(ordered)
        audit.record(actor, "designation.wish_moved", wish, {"rank": index + 1}, {"rank": target + 1})


def _renumber(ordered: list[Wish]) -> None:
    # Two passes so that no two rows share a rank even briefly (no unique index, but clearer history).
    for number, item in enumerate(ordered, start=1):
        item.rank = number
    db.session.flush()


def remove_wish(actor, wish: Wish) -> None:
    _open(wish.elu)
    term = wish.elu
    audit.record(actor, "designation.wish_removed", wish, {"post": str(wish.post_id)}, None)
    db.session.delete(wish)
    db.session.flush()
    _renumber(wishes(term))


def availability(term: Elu) -> int:
    row = db.session.scalar(db.select(Availability).where(Availability.elu_id == term.id))
    return row.hours_per_month if row else DEFAULT_AVAILABILITY


def other_indemnities(term: Elu) -> Decimal:
    row = db.session.scalar(db.select(Availability).where(Availability.elu_id == term.id))
    return row.other_indemnities if row else Decimal(0)


def set_availability(actor, term: Elu, hours: int, other: float | Decimal | None = None) -> None:
    """The hours a month one can give and, if given, the indemnities received for other mandates."""
    row = db.session.scalar(db.select(Availability).where(Availability.elu_id == term.id))
    before = {"hours": row.hours_per_month, "other": str(row.other_indemnities)} if row else None
    if row is None:
        row = Availability(elu_id=term.id, hours_per_month=hours, other_indemnities=Decimal(0))
        db.session.add(row)
    row.hours_per_month = hours
    if other is not None:
        row.other_indemnities = Decimal(str(other)).quantize(simulation.CENT)
    db.session.flush()
    audit.record(actor, "designation.availability_set", row, before,
                 {"hours": hours, "other": str(row.other_indemnities)})


# --- what the élu sees as they choose -------------------------------------------------------------------

def _overlap(a: tuple[time, time], b: tuple[time, time]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _hours(post: Post) -> tuple[time, time] | None:
    return (post.starts_at, post.ends_at) if post.starts_at is not None else None


def clashes_with_constraint(post: Post, constraint) -> bool:
    """A weekly constraint on the meeting's weekday that covers its hours (or the whole day)."""
    if post.weekday is None or constraint.weekday != post.weekday:
        return False
    meeting = _hours(post)
    if constraint.period == "day" or meeting is None:
        return True
    if constraint.period in HALF_DAYS:
        return _overlap(meeting, HALF_DAYS[constraint.period])
    if constraint.starts_at is None or constraint.ends_at is None:
        return True
    return _overlap(meeting, (constraint.starts_at, constraint.ends_at))


def clashes_between(a: Post, b: Post) -> bool:
    """Two meetings on the same weekday of the same weeks, at overlapping hours."""
    if a.weekday is None or a.weekday != b.weekday:
        return False
    if a.nth_week and b.nth_week and a.nth_week != b.nth_week:
        return False
    if _hours(a) is None or _hours(b) is None:
        return False
    return _overlap(_hours(a), _hours(b))


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def conflicting_interests(post: Post, interests) -> list:
    categories = {c.strip() for c in post.body.conflict_categories.split(",") if c.strip()}
    return [i for i in interests if _same_name(i.organisation, post.body.name) or i.category in categories]


def alerts_for(wish_posts: list[Post], private: dict) -> dict:
    """For each wished post (by id), the alerts that explain themselves."""
    found: dict = {post.id: [] for post in wish_posts}
    for post in wish_posts:
        for constraint in private["unavailabilities"]:
            if clashes_with_constraint(post, constraint):
                reason = f" ({constraint.reason})" if constraint.reason else ""
                found[post.id].append({"kind": "agenda", "message": str(_l(
                    "Réunions %(rhythm)s : vous avez déclaré ne pas être disponible le %(day)s%(reason)s.",
                    rhythm=labels.rhythm(post) or "", day=labels.WEEKDAYS[constraint.weekday], reason=reason))})
        for other in wish_posts:
            if other.id != post.id and clashes_between(post, other):
                found[post.id].append({"kind": "agenda", "message": str(_l(
                    "Se réunit aux mêmes heures qu’un autre de vos vœux : %(other)s (%(rhythm)s).",
                    other=organisation.post_label(other), rhythm=labels.rhythm(other)))})
        for interest in conflicting_interests(post, private["interests"]):
            found[post.id].append({"kind": "conflict", "message": str(_l(
                "Intérêt déclaré : %(role)s %(organisation)s — risque de conflit d’intérêts avec cette instance.",
                role=interest.role, organisation=interest.organisation))})
    return found


def level_of(posts: list[Post]) -> str:
    levels = [LEVEL_OF_ROLE[p.role] for p in posts if p.role in LEVEL_OF_ROLE]
    return max(levels, key=simulation.LEVELS.index) if levels else "conseiller"


def gauge(posts: list[Post], available: int) -> dict:
    by_type = {kind: 0.0 for kind in FUNCTION_TYPES}
    for post in posts:
        by_type[post.function_type] += float(post.hours_per_month)
    used = sum(by_type.values())
    return {"by_type": by_type, "used": used, "available": available, "over": used > available,
            "percent": min(100, round(100 * used / available)) if available else 100}


def cap(posts: list[Post], limits: dict | None = None) -> dict:
    level = level_of(posts)
    count = sum(1 for p in posts if p.function_type == "representation")
    limit = (limits or REPRESENTATION_CAPS)[level]
    return {"level": level, "representations": count, "limit": limit, "over": count > limit}


def analysis(term: Elu) -> dict:
    """Everything the wishes page shows next to the list, recomputed after each change."""
    chosen = wishes(term)
    posts = [w.post for w in chosen]
    private = forum.private_profile_for_designation(term)
    alerts = alerts_for(posts, private)
    for post_id, found in rules.cumul_alerts(posts, private["interests"], rules.rules(term.mandate)).items():
        alerts[post_id].extend(found)
    return {"alerts": alerts, **standing(term, posts)}


def standing(term: Elu, posts: list[Post]) -> dict:
    """Gauge, cap and indemnity simulation of a set of posts under the mandate's rules in force; the
    simulation says whether all the élu's indemnities pass the legal cap (CGCT L3123-18)."""
    g = gauge(posts, availability(term))
    permanent = any(p.body.kind == "permanent_commission" for p in posts)
    result = simulation.simulate(level_of(posts), permanent, g["by_type"], rules.scale(term.mandate))
    base = rules.parliamentary_base(term.mandate)
    other = other_indemnities(term)
    limit = (base * rules.PARLIAMENTARY_CAP).quantize(simulation.CENT) if base else None
    total = result["amount"] + other
    result.update(other_indemnities=other, total=total, parliamentary_limit=limit,
                  over_parliamentary_cap=limit is not None and total > limit)
    return {"gauge": g, "cap": cap(posts, rules.caps(term.mandate)), "simulation": result}


# --- arbitration ------------------------------------------------------------------------------------------

def arbitration_problem(mandate) -> arbitration.Problem:
    """Every élu's wishes as a problem for the solver: seats, each élu's representation cap at the level
    of their wished posts, clashes between posts, and wishes that clash with a declared unavailability
    (hard: the élu said they cannot be there)."""
    rows = db.session.scalars(db.select(Wish).join(Elu).where(Elu.mandate_id == mandate.id)).all()
    posts = organisation.all_posts(mandate)
    by_elu: dict = {}
    for wish in rows:
        by_elu.setdefault(wish.elu, []).append(wish)
    excluded = set()
    caps = {}
    limits = rules.caps(mandate)
    for term, own in by_elu.items():
        private = forum.private_profile_for_designation(term)
        caps[term.id] = limits[level_of([w.post for w in own])]
        for wish in own:
            if any(clashes_with_constraint(wish.post, c) for c in private["unavailabilities"]):
                excluded.add((term.id, wish.post_id))
    clashes = frozenset(frozenset({a.id, b.id}) for a in posts for b in posts
                        if str(a.id) < str(b.id) and clashes_between(a, b))
    return arbitration.Problem(
        wishes={(w.elu_id, w.post_id): w.rank for w in rows}, seats={p.id: p.seats for p in posts},
        representation=frozenset(p.id for p in posts if p.function_type == "representation"),
        caps=caps, clashes=clashes, excluded=frozenset(excluded))


def propose_assignment(actor, mandate) -> set[tuple]:
    """The solver's proposal, as (élu id, post id) pairs, for the coordination to adjust by hand."""
    if not organisation_policy.is_coordinator(actor, mandate):
        raise DomainError(str(_l("Action réservée à la coordination.")), status=403)
    return arbitration.propose(arbitration_problem(mandate))
