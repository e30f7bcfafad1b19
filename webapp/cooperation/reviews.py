"""The six-month review's steps: opened (by a party, or by the reminder six months after the first agreed
version), each side's answers to the three questions, and a proposed change accepted into a new version
of the anti-manuel."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.cooperation import review as figures_of
from webapp.cooperation import service
from webapp.cooperation.models import Charter, Review, ReviewAnswer
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.push.service import notify

SIX_MONTHS = timedelta(days=182)


def open_review(actor: User | None, charter: Charter, elu: User, start: datetime, end: datetime) -> Review:
    """The review of the pair over [start, end): once per pair and start (a unique constraint)."""
    if not any(e.id == elu.id for e in charter.elus):
        raise DomainError(_("Cette personne n’est pas élue référente de ce service."), status=422)
    if end <= start:
        raise DomainError(_("La période doit finir après son début."), status=422,
                          fields={"period_end": [_("Après le début.")]})
    existing = db.session.scalar(db.select(Review).where(Review.charter_id == charter.id, Review.elu_id == elu.id,
                                                         Review.period_start == start))
    if existing is not None:
        return existing
    item = Review(charter=charter, charter_id=charter.id, elu_id=elu.id, elu=elu, period_start=start,
                  period_end=end, opened_by_id=actor.id if actor else None)
    db.session.add(item)
    db.session.flush()
    record(actor, "coop.review_opened", charter, after={"review": str(item.id), "elu": str(elu.id),
                                                        "start": start, "end": end})
    return item


def default_period(charter: Charter, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The six months from the first agreed version; the six months before now when none was agreed."""
    now = now or utcnow()
    if charter.first_agreed_at is None:
        return now - SIX_MONTHS, now
    return charter.first_agreed_at, charter.first_agreed_at + SIX_MONTHS


def side_of(user: User, review: Review) -> str | None:
    if user.id == review.elu_id:
        return "elu"
    return "head" if user.id == review.charter.head_id else None


def answer(actor: User, review: Review, *, lose_time: str, gain_time: str, complicated: str) -> ReviewAnswer:
    """The actor's own answers to the three questions (written again as often as they like)."""
    side = side_of(actor, review)
    if side is None:
        raise DomainError(_("Seuls l’élu·e et le responsable du service répondent."), status=403)
    item = db.session.get(ReviewAnswer, (review.id, actor.id))
    if item is None:
        item = ReviewAnswer(review_id=review.id, user_id=actor.id, side=side)
        review.answers.append(item)
    item.lose_time, item.gain_time, item.complicated = (lose_time.strip(), gain_time.strip(), complicated.strip())
    item.updated_at = utcnow()
    db.session.flush()
    record(actor, "coop.review_answered", review.charter, after={"review": str(review.id), "side": side})
    return item


def accept(actor: User, review: Review, situation_type_id, now: datetime | None = None):
    """Accept the review's proposal for one situation type: the anti-manuel's open version (a new one
    from the rules in force when none is open) takes the proposed value; both sides then agree it."""
    proposal = next((p for p in figures_of.proposals(figures_of.figures(review, now))
                     if str(p["type_id"]) == str(situation_type_id)), None)
    if proposal is None:
        raise DomainError(_("Cette proposition ne tient plus : les chiffres ont changé."), status=409)
    summary = _("Revue de six mois : %(label)s, délai de %(after)d jours.", label=proposal["label"],
                after=proposal["after"])
    version = service.start_version(actor, review.charter, summary=summary)
    service.set_rule(actor, version, proposal["type_id"], **{proposal["field"]: proposal["after"]})
    if summary not in version.summary:
        version.summary = "\n".join(filter(None, [version.summary, summary]))[:2000]
    db.session.flush()
    record(actor, "coop.review_change_accepted", review.charter, after={
        "review": str(review.id), "type": proposal["label"], "field": proposal["field"],
        "before": proposal["before"], "after": proposal["after"], "version": version.number})
    return version


def open_due_reviews(now: datetime | None = None) -> int:
    """Six months after an anti-manuel's first agreed version, open the review of each of its pairs and
    tell both sides. Once per anti-manuel: ``review_reminded_at`` is set by a conditional UPDATE."""
    now = now or utcnow()
    due = db.session.scalars(db.select(Charter.id).where(
        Charter.first_agreed_at.is_not(None), Charter.first_agreed_at <= now - SIX_MONTHS,
        Charter.review_reminded_at.is_(None))).all()
    opened = 0
    for charter_id in due:
        claimed = db.session.execute(
            db.update(Charter).where(Charter.id == charter_id, Charter.review_reminded_at.is_(None))
            .values(review_reminded_at=now, version=Charter.version + 1)
            .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        charter = db.session.get(Charter, charter_id)
        db.session.refresh(charter)
        start = charter.first_agreed_at
        for elu in charter.elus:
            item = open_review(None, charter, elu, start, start + SIX_MONTHS)
            url = f"/cooperation/reviews/{item.id}"  # the worker has no request to build URLs from
            notify([elu, charter.head], kind="coop.review", title=_l("Revue de six mois à préparer"),
                   body=_l("Répondez aux trois questions avant la rencontre : la revue est prête."), url=url)
            opened += 1
    db.session.flush()
    return opened
