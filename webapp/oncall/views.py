"""HTML pages of the on-call rotas, phone first: my rotas and shifts, a rota with this turn and the next
ones, "je demande un échange" and its answer, absences, the secret calendar link and its ``.ics`` feed.

One route per action. Forms are read by the API's schemas (core.forms); a refusal re-renders the page
with its errors and status.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import OrgUnit
from webapp.core.clock import to_paris, utcnow
from webapp.core.forms import commits, refusal_errors, typed, use_form
from webapp.core.links import public_url
from webapp.extensions import db
from webapp.oncall import feed, policy, service
from webapp.oncall.models import Absence, Rota, Swap
from webapp.oncall.rotation import upcoming, who_is_on_call
from webapp.oncall.schemas import AbsenceIn, OverrideIn, RotaIn, RotaPatch, SwapIn

bp = Blueprint("oncall", __name__, url_prefix="/oncall")


def _get(model, object_id):
    return db.session.get(model, object_id) or abort(404)


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


# --- my rotas ---------------------------------------------------------------------------------------------

def _render_index(errors: dict | None = None):
    now = utcnow()
    rotas = service.rotas_for(current_user)
    token = service.feed_token(current_user)
    until = service.feed_window(now)[1]
    return render_template(
        "oncall/index.html", rotas=[(r, who_is_on_call(r, now)) for r in rotas], now=now,
        my_shifts=service.shifts_of(current_user, now, until)[:8],
        feed_url=public_url("oncall.feed", token=token.token) if token else None,
        absences=service.absences_of(current_user, to_paris(now).date()),
        can_create=policy.can_create_rota(current_user), errors=errors or {},
        values=typed() if errors else {})


@bp.get("/")
@login_required
def index():
    return _render_index()


@bp.post("/absences")
@login_required
@use_form(AbsenceIn, on_error=lambda errors, **kw: _render_index(errors))
@commits(lambda exc, **kw: _render_index(refusal_errors(exc)))
def add_absence(data):
    service.add_absence(current_user, data["starts_on"], data["ends_on"])
    flash(_("Absence enregistrée : vos tours passent à la personne suivante."), "success")
    return redirect(url_for("oncall.index", _anchor="absences"))


@bp.post("/absences/<uuid:absence_id>/delete")
@login_required
@commits(lambda exc, **kw: _render_index(refusal_errors(exc)))
def remove_absence(absence_id):
    service.remove_absence(current_user, _get(Absence, absence_id))
    flash(_("Absence retirée."), "success")
    return redirect(url_for("oncall.index", _anchor="absences"))


@bp.post("/feed/renew")
@login_required
def renew_feed():
    service.renew_feed_token(current_user)
    flash(_("Nouveau lien d’agenda créé : l’ancien ne fonctionne plus."), "success")
    return redirect(url_for("oncall.index", _anchor="feed"))


@bp.post("/feed/revoke")
@login_required
def revoke_feed():
    service.revoke_feed_token(current_user)
    flash(_("Lien d’agenda révoqué."), "success")
    return redirect(url_for("oncall.index", _anchor="feed"))


@bp.get("/feed/<token>.ics", endpoint="feed")
def feed_ics(token):
    """The shifts of the link's owner, for calendar apps (no session: the secret link is the key)."""
    user = service.user_for_feed(token)
    if user is None:
        abort(404)
    response = Response(feed.calendar_of(user), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="astreintes.ics"'
    return response


# --- one rota ---------------------------------------------------------------------------------------------

def _render_rota(rota: Rota, errors: dict | None = None, form: str | None = None):
    now = utcnow()
    shifts = upcoming(rota, now)
    swaps = service.pending_swaps(rota)
    others = [m.user for m in rota.members if m.user_id != current_user.id]
    return render_template(
        "oncall/rota.html", rota=rota, now=now, on_call=who_is_on_call(rota, now), shifts=shifts,
        mine=[s for s in shifts if s.user.id == current_user.id and s.ends_at > now], others=others,
        to_answer=[s for s in swaps if s.target_id == current_user.id],
        asked=[s for s in swaps if s.requester_id == current_user.id],
        editable=policy.can_edit_rota(current_user, rota), member=policy.is_member(current_user, rota),
        errors=errors or {}, failed_form=form, values=typed() if errors else {})


def _viewable(rota_id) -> Rota:
    rota = _get(Rota, rota_id)
    _require(policy.can_view_rota(current_user, rota))
    return rota


def _rota_refused(form: str):
    return lambda exc, rota_id, **kw: _render_rota(_get(Rota, rota_id), refusal_errors(exc), form)


@bp.get("/rotas/<uuid:rota_id>")
@login_required
def rota(rota_id):
    return _render_rota(_viewable(rota_id))


@bp.post("/rotas/<uuid:rota_id>/swaps")
@login_required
@use_form(SwapIn, on_error=lambda errors, rota_id, **kw: _render_rota(_get(Rota, rota_id), errors, "swap"))
@commits(_rota_refused("swap"))
def ask_swap(data, rota_id):
    rota = _viewable(rota_id)
    _require(policy.can_ask_swap(current_user, rota))
    service.ask_swap(current_user, rota, data["shift"], data["target_id"])
    flash(_("Demande d’échange envoyée."), "success")
    return redirect(url_for("oncall.rota", rota_id=rota.id, _anchor="swaps"))


def _swap_refused(exc, swap_id, **kw):
    return _render_rota(_get(Swap, swap_id).rota, refusal_errors(exc), "answer")


@bp.post("/swaps/<uuid:swap_id>/accept")
@login_required
@commits(_swap_refused)
def accept_swap(swap_id):
    swap = _get(Swap, swap_id)
    _require(policy.can_answer_swap(current_user, swap))
    service.accept_swap(current_user, swap)
    flash(_("Échange accepté : les tours sont échangés."), "success")
    return redirect(url_for("oncall.rota", rota_id=swap.rota_id))


@bp.post("/swaps/<uuid:swap_id>/decline")
@login_required
@commits(_swap_refused)
def decline_swap(swap_id):
    swap = _get(Swap, swap_id)
    _require(policy.can_answer_swap(current_user, swap))
    service.decline_swap(current_user, swap)
    flash(_("Échange refusé."), "success")
    return redirect(url_for("oncall.rota", rota_id=swap.rota_id))


@bp.post("/swaps/<uuid:swap_id>/cancel")
@login_required
@commits(_swap_refused)
def cancel_swap(swap_id):
    swap = _get(Swap, swap_id)
    _require(policy.can_cancel_swap(current_user, swap))
    service.cancel_swap(current_user, swap)
    flash(_("Demande d’échange annulée."), "success")
    return redirect(url_for("oncall.rota", rota_id=swap.rota_id, _anchor="swaps"))


@bp.post("/rotas/<uuid:rota_id>/overrides")
@login_required
@use_form(OverrideIn, on_error=lambda errors, rota_id, **kw: _render_rota(_get(Rota, rota_id), errors, "override"))
@commits(_rota_refused("override"))
def add_override(data, rota_id):
    rota = _get(Rota, rota_id)
    _require(policy.can_edit_rota(current_user, rota))
    service.add_override(current_user, rota, data["user_id"], data["starts_at"], data["ends_at"])
    flash(_("Remplacement enregistré."), "success")
    return redirect(url_for("oncall.rota", rota_id=rota.id))


# --- setting a rota ---------------------------------------------------------------------------------------

def _units() -> list[OrgUnit]:
    units = db.session.scalars(db.select(OrgUnit).where(OrgUnit.kind.in_(("direction", "service")))
                               .order_by(OrgUnit.name)).all()
    return [u for u in units if policy.can_create_rota(current_user, u)]


def _render_form(rota: Rota | None, errors: dict | None = None):
    units = [rota.unit] if rota else _units()
    people = {}
    for unit in units:
        for person in service.candidates(unit):
            people[person.id] = person
    values = typed() if errors else {}
    chosen = values.getlist("member_ids") if errors else [str(m.user_id) for m in rota.members] if rota else []
    return render_template("oncall/form.html", rota=rota, units=units, errors=errors or {}, values=values,
                           people=sorted(people.values(), key=lambda p: p.name), chosen=chosen, slots=range(6))


@bp.get("/rotas/new")
@login_required
def new_rota():
    _require(policy.can_create_rota(current_user))
    return _render_form(None)


@bp.post("/rotas")
@login_required
@use_form(RotaIn, on_error=lambda errors, **kw: _render_form(None, errors))
@commits(lambda exc, **kw: _render_form(None, refusal_errors(exc)))
def create_rota(data):
    unit = _get(OrgUnit, data.pop("unit_id"))
    _require(policy.can_create_rota(current_user, unit))
    rota = service.create_rota(current_user, unit, **data)
    flash(_("Rotation créée."), "success")
    return redirect(url_for("oncall.rota", rota_id=rota.id))


@bp.get("/rotas/<uuid:rota_id>/edit")
@login_required
def edit_rota(rota_id):
    rota = _get(Rota, rota_id)
    _require(policy.can_edit_rota(current_user, rota))
    return _render_form(rota)


@bp.post("/rotas/<uuid:rota_id>/edit")
@login_required
@use_form(RotaPatch, on_error=lambda errors, rota_id, **kw: _render_form(_get(Rota, rota_id), errors))
@commits(lambda exc, rota_id, **kw: _render_form(_get(Rota, rota_id), refusal_errors(exc)))
def update_rota(data, rota_id):
    rota = _get(Rota, rota_id)
    _require(policy.can_edit_rota(current_user, rota))
    data.pop("unit_id", None)
    data.setdefault("urgent_notes", False)  # an unticked box is not sent
    service.update_rota(current_user, rota, **data)
    flash(_("Rotation enregistrée."), "success")
    return redirect(url_for("oncall.rota", rota_id=rota.id))
