"""The public atlas, without sign-in: index, one page per theme, the PDF, open data."""

from __future__ import annotations

import io
import json

from flask import Response, abort, jsonify, render_template, url_for

from webapp.atlas import service
from webapp.atlas.views.common import LICENSE, _public, _public_mandate, bp
from webapp.core.exports import SafeWriter
from webapp.core.links import public_url

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
