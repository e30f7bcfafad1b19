"""The annex table of the designation deliberation (issue 14 items 4 and 7): who holds which post, with
functions and simulated indemnities, the total against the legal envelope; as a page, a CSV (cells
neutralised, ``core.exports``) and a PDF (WeasyPrint). The coordination and the assemblies service read it."""

from __future__ import annotations

import io

from flask import Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.exports import SafeWriter
from webapp.designation import indemnities, plenary
from webapp.designation.views import bp, euros
from webapp.organisation import policy as organisation_policy
from webapp.organisation import service as organisation


def _annex():
    mandate = organisation.organisation_mandate() or abort(404)
    if not organisation_policy.can_draft(current_user, mandate):
        abort(403)
    return mandate, indemnities.annex(mandate)


def _context(mandate, annex) -> dict:
    return {"mandate": mandate, "annex": annex, "adopted": plenary.adopted(mandate), "euros": euros}


@bp.get("/annex")
@login_required
def annex():
    mandate, table = _annex()
    return render_template("designation/annex.html", **_context(mandate, table))


@bp.get("/annex.csv")
@login_required
def annex_csv():
    mandate, table = _annex()
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";")
    writer.writerow([_("élu"), _("groupe"), _("fonction"), _("commission permanente"), _("postes"),
                     _("heures par mois"), _("taux de la référence (%)"), _("indemnité simulée (€ brut/mois)"),
                     _("plafond légal (€ brut/mois)")])
    for row in table["rows"]:
        writer.writerow([row["name"], row["group"], row["function"], _("oui") if row["permanent_commission"] else "",
                         " ; ".join(row["posts"]), f"{row['hours']:g}", f"{row['rate']:.2f}", f"{row['amount']:.2f}",
                         f"{row['legal_ceiling']:.2f}"])
    writer.writerow([_("total"), "", "", "", "", "", "", f"{table['total']:.2f}", f"{table['envelope']:.2f}"])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="annexe-designations-{mandate.label}.csv"'
    return response


@bp.get("/annex.pdf")
@login_required
def annex_pdf():
    from weasyprint import HTML

    mandate, table = _annex()
    html = render_template("designation/annex_pdf.html", **_context(mandate, table))
    response = Response(HTML(string=html).write_pdf(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="annexe-designations-{mandate.label}.pdf"'
    return response
