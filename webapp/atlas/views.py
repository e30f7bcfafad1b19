"""HTML pages of the atlas: the public atlas (no login: index, one page per theme, PDF, open data),
the assemblies' workbench (budget, themes, posters, publication, PDF build) and the writers' spaces
(political groups, staff representatives)."""

from __future__ import annotations

import functools
import io
import json
import uuid
from pathlib import Path

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import Mandate, PoliticalGroup, User
from webapp.accounts.service import find_by_email
from webapp.atlas import policy, service, tasks
from webapp.atlas.models import BudgetLine
from webapp.atlas.schemas import (
    CodeForm,
    GroupCommentForm,
    ImportForm,
    LineForm,
    MandateForm,
    PosterForm,
    StaffAddForm,
    StaffRemoveForm,
    StaffTextForm,
    ThemeForm,
)
from webapp.commissions.service import current_commissions
from webapp.core.errors import DomainError
from webapp.core.exports import SafeWriter
from webapp.core.forms import commits, refusal_errors, use_form
from webapp.core.links import public_url
from webapp.extensions import db

bp = Blueprint("atlas", __name__, url_prefix="/atlas")
PUBLIC_CACHE = "public, max-age=300"
LICENSE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


def _public(response: Response) -> Response:
    # Public pages are the same for everyone: shared caches may keep them a few minutes.
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


def _public_mandate() -> Mandate:
    mandate = service.public_mandate()
    if mandate is None:
        abort(404)
    return mandate


@bp.app_template_filter("euros")
def euros(amount) -> str:
    """Amounts as French readers expect them: 12,4 M€ above a million, else 12 345 €."""
    value = float(amount or 0)
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f}".replace(",", "\u202f").replace(".", ",") + "\u00a0M€"
    return f"{value:,.0f}".replace(",", "\u202f") + "\u00a0€"


# --- public atlas -----------------------------------------------------------------------------------

@bp.get("")
def index():
    mandate = service.public_mandate()
    items = []
    if mandate is not None:
        share_by_theme = {s.theme.id: s for s in service.shares(mandate)}
        items = [(p, share_by_theme.get(p.theme_id)) for p in service.posters(mandate, published_only=True)]
    build = service.latest_build(mandate, done_only=True) if mandate else None
    return _public(Response(render_template("atlas/public_index.html", mandate=mandate, items=items, build=build)))


@bp.get("/<slug>")
def poster_page(slug: str):
    poster = service.published_poster(slug)
    if poster is None:
        abort(404)
    return _public(Response(render_template("atlas/public_poster.html", view=service.poster_view(poster),
                                            mandate=poster.mandate)))


@bp.get("/atlas.pdf")
def pdf():
    """The latest finished PDF of the public atlas; while none exists, a page says it is being prepared."""
    mandate = _public_mandate()
    build = service.latest_build(mandate, done_only=True)
    if build is None:
        running = service.latest_build(mandate)
        return render_template("atlas/pdf_pending.html", build=running, mandate=mandate), 404
    filename = f"atlas-de-mandature-{mandate.label}.pdf"
    response = Response(build.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _public(response)


@bp.get("/donnees/budget.csv")
def open_budget_csv():
    """Open data: every mandate's spending per theme and its share of the total (semicolon CSV, UTF-8)."""
    _public_mandate()
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";")
    writer.writerow(["mandat", "theme", "montant_euros", "total_mandat_euros", "part_du_budget"])
    for mandate in service.mandates():
        for share in service.shares(mandate):
            if share.total:
                writer.writerow([mandate.label, share.theme.name, f"{share.amount:.2f}", f"{share.total:.2f}",
                                 f"{share.share:.4f}"])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="atlas-budget.csv"'
    return _public(response)


def _open_poster(view) -> dict:
    def selection(sel):
        return None if sel is None else {"label": sel.label, "projects": [
            {"title": a.title, "expected_results": a.expected_results, "obtained_results": a.obtained_results}
            for a in sel.proud], "challenges": sel.challenges}

    poster = view.poster
    return {
        "theme": view.theme.name, "slug": view.theme.slug,
        "url": public_url("atlas.poster_page", slug=view.theme.slug),
        "budget": [{"mandate": s.mandate.label, "amount": f"{s.amount:.2f}", "total": f"{s.total:.2f}",
                    "share": round(s.share, 4)} for s in view.history],
        "commission": poster.commission.name if poster.commission else None,
        "members": [m.name for m in view.members], "competences": poster.competences,
        "selection": selection(view.selection), "group_selections": [selection(s) for s in view.group_selections],
        "political_comments": [{"group": c.group.name, "text": c.body} for c in view.comments],
        "staff_representatives": poster.staff_text,
    }


@bp.get("/donnees/atlas.json")
def open_atlas_json():
    """Open data: the published posters, as JSON."""
    mandate = _public_mandate()
    body = {"mandate": mandate.label, "license": LICENSE,
            "posters": [_open_poster(service.poster_view(p)) for p in service.posters(mandate, published_only=True)]}
    return _public(Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json"))


def _build_status(build) -> dict:
    if build is None:
        return {"status": "none", "percent": 0, "done": 0, "total": 0}
    return {"id": str(build.id), "status": build.status, "percent": build.percent, "done": build.done,
            "total": build.total, "url": url_for("atlas.pdf") if build.status == "done" else None}


@bp.get("/atlas-pdf-status.json")
def public_build_status():
    """The public atlas's latest PDF build, polled by the page while it is being built."""
    mandate = _public_mandate()
    response = jsonify(_build_status(service.latest_build(mandate)))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the assemblies' workbench ----------------------------------------------------------------------

def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _mandate_arg(name: str = "mandate_id") -> Mandate | None:
    value = request.values.get(name, "")
    try:
        return db.session.get(Mandate, uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _selected_mandate() -> Mandate | None:
    from webapp.accounts.roles import current_mandate

    return _mandate_arg() or current_mandate()


def _render_manage(errors=None, status=200, import_errors=None):
    mandate = _selected_mandate()
    return render_template(
        "atlas/manage.html", mandate=mandate, mandates=service.mandates(), themes=service.themes(),
        codes=sorted(service.code_map().items()), shares={m.id: service.shares(m) for m in service.mandates()},
        posters=service.posters(mandate) if mandate else [], build=service.latest_build(mandate) if mandate else None,
        lines=service.budget_lines(mandate)[-30:] if mandate else [], reps=service.staff_representatives(),
        errors=errors or {}, import_errors=import_errors or []), status


@bp.get("/gestion/exemple.csv")
@login_required
def sample_csv():
    """The documented sample file (webapp/atlas/sample_budget.csv)."""
    _require(policy.can_manage(current_user))
    path = Path(__file__).with_name("sample_budget.csv")
    response = Response(path.read_bytes(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="exemple-budget.csv"'
    return response


@bp.get("/gestion")
@login_required
def manage():
    _require(policy.can_manage(current_user))
    return _render_manage()


def _manage_refused(exc: DomainError, **_kw):
    return _render_manage(refusal_errors(exc), exc.status)[0]


def _manage_invalid(errors: dict, **_kw):
    return _render_manage({"message": _("Champ obligatoire."), **errors}, 422)[0]


def _done(message: str, mandate_id=None):
    """Commit the action, say so, and go back to the workbench of the mandate being worked on."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("atlas.manage", mandate_id=mandate_id))


def _workbench_action(schema, on_error=_manage_invalid, on_refusal=_manage_refused):
    """The workbench's form actions: assemblies only, the form read by ``schema``, refusals re-rendered."""

    def decorate(view):
        return login_required(_managers_only(use_form(schema, on_error=on_error)(commits(on_refusal)(view))))

    return decorate


def _managers_only(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        _require(policy.can_manage(current_user))
        return view(*args, **kwargs)

    return wrapper


def _posted_mandate(data: dict) -> Mandate:
    mandate = db.session.get(Mandate, data["mandate_id"])
    if mandate is None:
        raise DomainError(_("Choisissez un mandat."), fields={"mandate_id": [_("Obligatoire.")]}, status=422)
    return mandate


def _import_refused(exc: DomainError, **_kw):
    import_errors = [(k, v[0]) for k, v in exc.fields.items()]
    return _render_manage({"message": exc.message, "action": "import", **exc.fields}, exc.status, import_errors)[0]


@bp.post("/gestion/import")
@_workbench_action(ImportForm, on_refusal=_import_refused)
def manage_import(data):
    upload = request.files.get("file")
    text = service.decode_csv(upload.read()) if upload and upload.filename else data["csv"]
    result = service.import_budget_csv(current_user, text)
    return _done(_("%(n)d lignes de budget importées.", n=len(result.lines)), data["mandate_id"])


@bp.post("/gestion/lignes")
@_workbench_action(LineForm)
def manage_line(data):
    mandate = _posted_mandate(data)
    theme = service.find_theme(data["theme"])
    if theme is None:
        raise DomainError(_("Choisissez un thème et une année."), fields={"theme": [_("Obligatoire.")]}, status=422)
    service.add_line(current_user, mandate, data["year"], theme, data["amount"])
    return _done(_("Montant enregistré."), mandate.id)


@bp.post("/gestion/themes")
@_workbench_action(ThemeForm)
def manage_theme(data):
    theme = service.get_or_create_theme(data["name"].strip(), len(service.themes()))
    return _done(_("Thème « %(t)s » enregistré.", t=theme.name), _mandate_arg())


@bp.post("/gestion/codes")
@_workbench_action(CodeForm)
def manage_code(data):
    theme = service.find_theme(data["theme"])
    if theme is None:
        raise DomainError(_("Thème inconnu."), fields={"theme": [_("Thème inconnu.")]}, status=422)
    service.map_code(current_user, data["code"], theme, data["label"])
    return _done(_("Code fonctionnel rattaché."), _mandate_arg())


@bp.post("/gestion/affiches")
@_workbench_action(MandateForm)
def manage_posters(data):
    mandate = _posted_mandate(data)
    service.ensure_posters(current_user, mandate)
    return _done(_("Affiches créées pour chaque thème."), mandate.id)


@bp.post("/gestion/representants")
@_workbench_action(StaffAddForm)
def manage_staff_add(data):
    user = find_by_email(data["email"])
    if user is None:
        raise DomainError(_("Aucun compte avec cette adresse."), fields={"email": [_("Inconnue.")]}, status=422)
    service.add_staff_representative(current_user, user, data["organisation"])
    return _done(_("Représentant·e du personnel ajouté·e."), _mandate_arg())


@bp.post("/gestion/representants/retirer")
@_workbench_action(StaffRemoveForm, on_error=lambda errors, **_kw: abort(400))
def manage_staff_remove(data):
    user = db.session.get(User, data["user_id"]) or abort(404)
    service.remove_staff_representative(current_user, user)
    return _done(_("Représentant·e du personnel retiré·e."), _mandate_arg())


@bp.post("/gestion/lignes/<uuid:line_id>/supprimer")
@login_required
def delete_line(line_id):
    line = db.session.get(BudgetLine, line_id) or abort(404)
    _require(policy.can_manage(current_user))
    mandate_id = line.mandate_id
    service.delete_line(current_user, line)
    db.session.commit()
    flash(_("Ligne supprimée."), "success")
    return redirect(url_for("atlas.manage", mandate_id=mandate_id))


@bp.post("/gestion/pdf")
@_workbench_action(MandateForm)
def build_pdf(data):
    mandate = _posted_mandate(data)
    build = service.request_build(current_user, mandate)
    # Committed before it is queued: the worker reads the build row from its own session.
    db.session.commit()
    tasks.build_atlas_pdf(str(build.id))
    flash(_("Fabrication du PDF lancée."), "success")
    return redirect(url_for("atlas.manage", mandate_id=build.mandate_id, _anchor="pdf"))


@bp.get("/gestion/pdf/<uuid:build_id>.json")
@login_required
def build_status(build_id):
    _require(policy.can_manage(current_user))
    return jsonify(_build_status(service.get_build(build_id) or abort(404)))


@bp.get("/gestion/pdf/<uuid:build_id>.pdf")
@login_required
def build_file(build_id):
    _require(policy.can_manage(current_user))
    build = service.get_build(build_id)
    if build is None or build.status != "done":
        abort(404)
    return Response(build.pdf, mimetype="application/pdf")


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
