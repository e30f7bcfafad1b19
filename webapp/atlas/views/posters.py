"""Posters: editing, preview, publication; the writers' spaces (political groups, staff representatives)."""

from __future__ import annotations

import functools

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.atlas import policy, service
from webapp.atlas.schemas import (
    GroupCommentForm,
    PosterForm,
    StaffTextForm,
)
from webapp.atlas.views.common import _require, bp
from webapp.commissions.service import current_commissions
from webapp.core.errors import DomainError
from webapp.core.forms import commits, refusal_errors, use_form
from webapp.extensions import db
from webapp.organisation.models import PoliticalGroup

# --- posters: editing, preview, publication; writers' spaces -----------------------------------------

def _poster_or_404(poster_id):
    poster = service.get_poster(poster_id)
    if poster is None:
        abort(404)
    return poster


def _render_poster(poster, errors=None, status=200):
    groups = policy.groups_of(current_user, poster)
    return render_template(
        "atlas/poster_edit.html", poster=poster, view=service.poster_view(poster), errors=errors or {},
        can_manage=policy.can_manage(current_user), commissions=current_commissions(),
        my_groups=[(g, service.political_comment(poster, g)) for g in groups],
        can_staff=policy.can_write_staff(current_user, poster)), status


@bp.get("/affiches/<uuid:poster_id>")
@login_required
def poster_edit(poster_id):
    poster = _poster_or_404(poster_id)
    _require(policy.can_use_spaces(current_user))
    return _render_poster(poster)


def _poster_refused(exc: DomainError, poster_id):
    return _render_poster(_poster_or_404(poster_id), refusal_errors(exc), exc.status)[0]


def _poster_invalid(errors: dict, poster_id):
    return _render_poster(_poster_or_404(poster_id), {"message": _("Champ obligatoire."), **errors}, 422)[0]


def _poster_action(schema=None):
    """A form posted from a poster's page: writers only, read by ``schema``, refusals re-rendered there."""

    def decorate(view):
        inner = commits(_poster_refused)(view)
        if schema is not None:
            inner = use_form(schema, on_error=_poster_invalid)(inner)
        else:
            inner = functools.partial(inner, None)

        @functools.wraps(view)
        def wrapper(poster_id):
            _poster_or_404(poster_id)
            _require(policy.can_use_spaces(current_user))
            return inner(poster_id=poster_id)

        return login_required(wrapper)

    return decorate


def _poster_done(message: str, poster_id):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("atlas.poster_edit", poster_id=poster_id))


@bp.post("/affiches/<uuid:poster_id>")
@_poster_action(PosterForm)
def poster_post(data, poster_id):
    _require(policy.can_manage(current_user))
    service.update_poster(current_user, _poster_or_404(poster_id), data["competences"],
                          str(data["commission_id"]) if data["commission_id"] else None, set_commission=True)
    return _poster_done(_("Affiche enregistrée."), poster_id)


@bp.post("/affiches/<uuid:poster_id>/publier")
@_poster_action()
def poster_publish(_data, poster_id):
    _require(policy.can_manage(current_user))
    service.publish(current_user, _poster_or_404(poster_id))
    return _poster_done(_("Affiche publiée."), poster_id)


@bp.post("/affiches/<uuid:poster_id>/retirer")
@_poster_action()
def poster_unpublish(_data, poster_id):
    _require(policy.can_manage(current_user))
    service.unpublish(current_user, _poster_or_404(poster_id))
    return _poster_done(_("Affiche retirée de l’atlas public."), poster_id)


@bp.post("/affiches/<uuid:poster_id>/groupe")
@_poster_action(GroupCommentForm)
def poster_group_comment(data, poster_id):
    poster = _poster_or_404(poster_id)
    group = db.session.get(PoliticalGroup, data["group_id"])
    _require(policy.can_write_group_comment(current_user, poster, group))
    service.save_political_comment(current_user, poster, group, data["body"])
    return _poster_done(_("Commentaire du groupe enregistré."), poster_id)


@bp.post("/affiches/<uuid:poster_id>/personnel")
@_poster_action(StaffTextForm)
def poster_staff(data, poster_id):
    poster = _poster_or_404(poster_id)
    _require(policy.can_write_staff(current_user, poster))
    service.save_staff_text(current_user, poster, data["body"])
    return _poster_done(_("Texte des représentants du personnel enregistré."), poster_id)


@bp.get("/espaces")
@login_required
def spaces():
    """The posters of the current mandate, for the people who write in them."""
    _require(policy.can_use_spaces(current_user))
    from webapp.accounts.roles import current_mandate

    mandate = current_mandate()
    return render_template("atlas/spaces.html", mandate=mandate, posters=service.posters(mandate) if mandate else [],
                           can_manage=policy.can_manage(current_user),
                           is_rep=service.is_staff_representative(current_user))
