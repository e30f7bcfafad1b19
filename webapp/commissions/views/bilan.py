"""The commission's bilan session: scale, ranking, the groups' selections, adoption."""

from __future__ import annotations

import functools
import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.commissions import policy, service
from webapp.commissions.schemas import (
    RankForm,
    ScaleForm,
    SelectionForm,
)
from webapp.commissions.views.common import _get, _require, bp
from webapp.core.errors import DomainError
from webapp.core.forms import commits, refusal_errors, use_form
from webapp.extensions import db
from webapp.organisation.models import Commission, PoliticalGroup

# --- bilan session ----------------------------------------------------------------------------------

def _group(group_id) -> PoliticalGroup | None:
    try:
        return db.session.get(PoliticalGroup, uuid.UUID(group_id)) if group_id else None
    except ValueError:
        return None


def _render_bilan(commission, errors=None, status=200):
    session = service.session_of(commission)
    groups = policy.my_groups(current_user, commission)
    own, group_selections = service.selections_of(commission, adopted_only=False)
    return render_template(
        "commissions/bilan.html", commission=commission, session=session,
        rows=service.ranking_table(session, commission), projects=service.commission_apercus(commission),
        own=service.selection(session), own_view=own, group_selections=group_selections,
        my_groups=[(g, service.selection(session, g)) for g in groups],
        can_run=policy.can_run_session(current_user, commission), errors=errors or {}), status


@bp.get("/commissions/<uuid:commission_id>/bilan")
@login_required
def bilan(commission_id):
    commission = _get(Commission, commission_id)
    _require(policy.can_view_session(current_user, commission))
    return _render_bilan(commission)


def _bilan_refused(exc: DomainError, commission_id):
    return _render_bilan(_get(Commission, commission_id), refusal_errors(exc), exc.status)[0]


def _bilan_invalid(errors: dict, commission_id):
    errors = {"message": _("Vérifiez les champs signalés."), **errors}
    return _render_bilan(_get(Commission, commission_id), errors, 422)[0]


def _bilan_action(schema=None):
    """A form of the bilan page: people who see the session, read by ``schema``, refusals shown on the page."""

    def decorate(view):
        inner = commits(_bilan_refused)(view)
        inner = use_form(schema, on_error=_bilan_invalid)(inner) if schema else functools.partial(inner, None)

        @functools.wraps(view)
        def wrapper(commission_id):
            _require(policy.can_view_session(current_user, _get(Commission, commission_id)))
            return inner(commission_id=commission_id)

        return login_required(wrapper)

    return decorate


def _bilan_done(commission: Commission, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("commissions.bilan", commission_id=commission.id))


def _run_session(commission_id) -> Commission:
    commission = _get(Commission, commission_id)
    _require(policy.can_run_session(current_user, commission))
    return commission


@bp.post("/commissions/<uuid:commission_id>/bilan/echelle")
@_bilan_action(ScaleForm)
def bilan_scale(data, commission_id):
    commission = _run_session(commission_id)
    service.set_scale(current_user, commission, data["scale"].splitlines())
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/classement")
@_bilan_action(RankForm)
def bilan_rank(data, commission_id):
    commission = _run_session(commission_id)
    levels = dict(choice.partition(":")[::2] for choice in data["levels"])
    service.rank(current_user, commission, levels)
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/selection")
@_bilan_action(SelectionForm)
def bilan_selection(data, commission_id):
    commission = _get(Commission, commission_id)
    group = _group(data["group_id"])
    if data["group_id"]:
        _require(group is not None and policy.can_write_group_selection(current_user, commission, group))
    else:
        _require(policy.can_run_session(current_user, commission))
    service.save_selection(current_user, commission, data["proud"], data["challenge"], group)
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/adoption")
@_bilan_action()
def bilan_adopt(_data, commission_id):
    commission = _run_session(commission_id)
    service.adopt(current_user, commission)
    return _bilan_done(commission, _("Bilan adopté : il est désormais verrouillé."))
