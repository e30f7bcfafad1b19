"""The services' activity reports: upload and download."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.roles import current_mandate
from webapp.commissions import policy, service
from webapp.commissions.models import ActivityReport
from webapp.commissions.schemas import (
    ReportForm,
)
from webapp.commissions.views.common import _get, _require, bp
from webapp.core.errors import DomainError
from webapp.core.formatting import file_size
from webapp.core.forms import read_form
from webapp.extensions import db

# --- activity reports -------------------------------------------------------------------------------

@bp.route("/commissions/rapports", methods=["GET", "POST"])
@login_required
def reports():
    unit = current_user.unit
    can_upload = policy.can_upload_report(current_user, unit) and not policy.is_assemblies(current_user)
    if not (can_upload or policy.can_list_reports(current_user)):
        abort(403)
    error = None
    if request.method == "POST":
        _require(can_upload)
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise DomainError(_("Choisissez un fichier PDF."), fields={"file": [_("Obligatoire.")]}, status=422)
            with upload.stream as stream:  # closed at once: a large upload is spooled to a temporary file
                data = stream.read(service.activity_reports.MAX_REPORT_BYTES + 1)
            service.upload_report(current_user, unit, current_mandate(), read_form(ReportForm)["title"],
                                  upload.filename, data)
            db.session.commit()
            flash(_("Rapport d’activité remis au service des assemblées."), "success")
            return redirect(url_for("commissions.reports"))
        except DomainError as exc:
            db.session.rollback()
            error = exc
    listed = service.reports() if policy.can_list_reports(current_user) else service.reports(unit)
    return render_template("commissions/reports.html", reports=listed, can_upload=can_upload,
                           error=error, max_size=file_size(service.activity_reports.MAX_REPORT_BYTES)), (
        error.status if error else 200)


@bp.get("/commissions/rapports/<uuid:report_id>")
@login_required
def report_file(report_id):
    report = _get(ActivityReport, report_id)
    _require(policy.can_view_report(current_user, report))
    import io

    return send_file(io.BytesIO(report.content), mimetype="application/pdf", as_attachment=True,
                     download_name=report.filename)
