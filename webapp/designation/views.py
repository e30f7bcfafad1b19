"""The élu's wishes page, phone first: the published posts to choose from, the élu's ranked and justified
wishes with their alerts, and beside them the gauge, the cap and the indemnity simulation, all
recomputed by the server after each change (the page is re-displayed: no script needed).

One route per action; forms are read by the API's schemas (core.forms).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.core.forms import typed, use_form
from webapp.designation import policy, rules, service
from webapp.designation.models import Wish
from webapp.designation.schemas import AvailabilityIn, WishIn, WishPatch
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Post

bp = Blueprint("designation", __name__, url_prefix="/designation")


def euros(amount) -> str:
    """An amount in the page's language (Babel): "2 466,31 €" in French, "€2,466.31" in English."""
    return format_currency(amount, "EUR")


def _term():
    term = service.term_of(current_user)
    if not policy.can_wish(current_user, term):
        abort(403)
    return term


def _render(errors: dict | None = None, form: str | None = None, status: int = 200):
    term = _term()
    published = organisation.is_published(term.mandate)
    chosen = service.wishes(term) if published else []
    wished = {w.post_id for w in chosen}
    return render_template(
        "designation/wishes.html", term=term, published=published, wishes=chosen,
        bodies=organisation.bodies(term.mandate) if published else [], wished=wished,
        analysis=service.analysis(term), caps=rules.caps(term.mandate), scale=rules.scale(term.mandate),
        euros=euros, errors=errors or {}, failed_form=form, values=typed() if errors else {}), status


@bp.get("/wishes")
@login_required
def wishes():
    return _render()


def _act(form: str, action, message: str, anchor: str = "#my-wishes"):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return _render({**exc.fields, "form": [exc.message]}, form, 422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("designation.wishes") + anchor)


def _own(wish_id) -> Wish:
    wish = db.session.get(Wish, wish_id)
    if wish is None or wish.elu_id != _term().id:
        abort(404)
    return wish


@bp.post("/wishes")
@login_required
@use_form(WishIn, on_error=lambda errors, **kw: _render(errors, f"post-{typed().get('post_id')}")[0])
def add(data):
    term = _term()
    post = db.session.get(Post, data["post_id"]) or abort(404)
    return _act(f"post-{post.id}", lambda: service.add_wish(current_user, term, post, data["justification"]),
                _("Vœu ajouté."))


@bp.post("/wishes/<uuid:wish_id>")
@login_required
@use_form(WishPatch, on_error=lambda errors, wish_id: _render(errors, f"wish-{wish_id}")[0])
def update(data, wish_id):
    wish = _own(wish_id)
    return _act(f"wish-{wish_id}", lambda: service.update_wish(current_user, wish, data), _("Vœu enregistré."))


@bp.post("/wishes/<uuid:wish_id>/up")
@login_required
def up(wish_id):
    wish = _own(wish_id)
    return _act("move", lambda: service.move_wish(current_user, wish, -1), _("Vœu remonté."))


@bp.post("/wishes/<uuid:wish_id>/down")
@login_required
def down(wish_id):
    wish = _own(wish_id)
    return _act("move", lambda: service.move_wish(current_user, wish, 1), _("Vœu descendu."))


@bp.post("/wishes/<uuid:wish_id>/remove")
@login_required
def remove(wish_id):
    wish = _own(wish_id)
    return _act("move", lambda: service.remove_wish(current_user, wish), _("Vœu retiré."))


@bp.post("/availability")
@login_required
@use_form(AvailabilityIn, on_error=lambda errors, **kw: _render(errors, "availability")[0])
def availability(data):
    term = _term()
    return _act("availability", lambda: service.set_availability(current_user, term, data["hours_per_month"],
                                                                 data.get("other_indemnities")),
                _("Disponibilité enregistrée."), "#gauge")
