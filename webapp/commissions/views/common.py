"""The commissions blueprint and what its pages share (labels, loading or 404, refusals)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user

from webapp.commissions import policy, service
from webapp.extensions import db

bp = Blueprint("commissions", __name__)

KIND_LABELS = {"comment": "Commentaire", "opinion": "Avis", "problem": "Problème rencontré",
               "interference": "Croisement ou interférence avec une autre politique"}
STATUS_LABELS = {"draft": "Brouillon", "submitted": "Soumis à la commission"}


@bp.app_context_processor
def _labels():
    return {"comment_kind_label": lambda k: _(KIND_LABELS.get(k, k)),
            "apercu_status_label": lambda s: _(STATUS_LABELS.get(s, s))}


def _get(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _apercu_or_404(apercu_id):
    apercu = service.get_apercu(apercu_id)
    if apercu is None:
        abort(404)
    if not policy.can_view_apercu(current_user, apercu):
        abort(403)
    return apercu


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)
