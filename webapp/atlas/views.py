"""HTML pages of the atlas: the public atlas (no login: index, one page per theme, PDF, open data),
the assemblies' workbench (budget, themes, posters, publication, PDF build) and the writers' spaces
(political groups, staff representatives)."""

from __future__ import annotations

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
from webapp.commissions.service import current_commissions
from webapp.core.errors import DomainError
from webapp.core.exports import SafeWriter
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


def _manage_action() -> str:
    """Run one workbench form; returns the success message."""
    action = request.form.get("action")
    if action == "import":
        upload = request.files.get("file")
        text = service.decode_csv(upload.read()) if upload and upload.filename else request.form.get("csv", "")
        result = service.import_budget_csv(current_user, text)
        return _("%(n)d lignes de budget importées.", n=len(result.lines))
    if action == "line":
        return _manual_line()
    if action == "theme":
        theme = service.get_or_create_theme(_required_text("name"), len(service.themes()))
        return _("Thème « %(t)s » enregistré.", t=theme.name)
    if action == "code":
        theme = service.find_theme(request.form.get("theme", ""))
        if theme is None:
            raise DomainError(_("Thème inconnu."), fields={"theme": [_("Thème inconnu.")]}, status=422)
        service.map_code(current_user, request.form.get("code", ""), theme, request.form.get("label", ""))
        return _("Code fonctionnel rattaché.")
    if action == "posters":
        service.ensure_posters(current_user, _required_mandate())
        return _("Affiches créées pour chaque thème.")
    if action == "staff_add":
        user = find_by_email(request.form.get("email", "").replace("\x00", ""))
        if user is None:
            raise DomainError(_("Aucun compte avec cette adresse."), fields={"email": [_("Inconnue.")]}, status=422)
        service.add_staff_representative(current_user, user, request.form.get("organisation", ""))
        return _("Représentant·e du personnel ajouté·e.")
    if action == "staff_remove":
        user = db.session.get(User, _uuid("user_id")) or abort(404)
        service.remove_staff_representative(current_user, user)
        return _("Représentant·e du personnel retiré·e.")
    abort(400)


def _uuid(name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.form.get(name, ""))
    except ValueError:
        abort(400)


def _required_text(name: str) -> str:
    value = request.form.get(name, "").strip()
    if not value:
        raise DomainError(_("Champ obligatoire."), fields={name: [_("Obligatoire.")]}, status=422)
    return value


def _required_mandate() -> Mandate:
    mandate = _mandate_arg()
    if mandate is None:
        raise DomainError(_("Choisissez un mandat."), fields={"mandate_id": [_("Obligatoire.")]}, status=422)
    return mandate


def _manual_line() -> str:
    mandate = _required_mandate()
    theme = service.find_theme(request.form.get("theme", ""))
    year = request.form.get("year", "")
    if theme is None or not year.isdigit():
        raise DomainError(_("Choisissez un thème et une année."), fields={"theme": [_("Obligatoire.")]}, status=422)
    service.add_line(current_user, mandate, int(year), theme, request.form.get("amount", ""))
    return _("Montant enregistré.")


@bp.post("/gestion")
@login_required
def manage_post():
    _require(policy.can_manage(current_user))
    try:
        message = _manage_action()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        import_errors = [(k, v[0]) for k, v in exc.fields.items()] if request.form.get("action") == "import" else []
        return _render_manage({"message": exc.message, "action": request.form.get("action"), **exc.fields},
                              exc.status, import_errors)
    flash(message, "success")
    mandate = _mandate_arg()
    return redirect(url_for("atlas.manage", mandate_id=mandate.id if mandate else None))


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
@login_required
def build_pdf():
    _require(policy.can_manage(current_user))
    try:
        build = service.request_build(current_user, _required_mandate())
        # Committed before it is queued: the worker reads the build row from its own session.
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_manage({"message": exc.message}, exc.status)
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


def _poster_action(poster) -> str:
    action = request.form.get("action")
    if action == "edit":
        _require(policy.can_manage(current_user))
        service.update_poster(current_user, poster, request.form.get("competences", ""),
                              request.form.get("commission_id") or None, set_commission=True)
        return _("Affiche enregistrée.")
    if action in ("publish", "unpublish"):
        _require(policy.can_manage(current_user))
        (service.publish if action == "publish" else service.unpublish)(current_user, poster)
        return _("Affiche publiée.") if action == "publish" else _("Affiche retirée de l’atlas public.")
    if action == "group_comment":
        group = db.session.get(PoliticalGroup, _uuid("group_id"))
        _require(policy.can_write_group_comment(current_user, poster, group))
        service.save_political_comment(current_user, poster, group, request.form.get("body", ""))
        return _("Commentaire du groupe enregistré.")
    if action == "staff":
        _require(policy.can_write_staff(current_user, poster))
        service.save_staff_text(current_user, poster, request.form.get("body", ""))
        return _("Texte des représentants du personnel enregistré.")
    abort(400)


@bp.post("/affiches/<uuid:poster_id>")
@login_required
def poster_post(poster_id):
    poster = _poster_or_404(poster_id)
    _require(policy.can_use_spaces(current_user))
    try:
        message = _poster_action(poster)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_poster(_poster_or_404(poster_id), {"message": exc.message, **exc.fields}, exc.status)
    flash(message, "success")
    return redirect(url_for("atlas.poster_edit", poster_id=poster_id))


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
