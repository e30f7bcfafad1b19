"""The services' activity reports and the PDFs joined to an aperçu (10 Mo at most)."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _

from webapp.accounts.models import OrgUnit, User
from webapp.commissions import policy
from webapp.commissions.models import (
    ActivityReport,
    Apercu,
    ApercuAttachment,
)
from webapp.commissions.service.common import _invalid, _text
from webapp.core import audit
from webapp.core.errors import DomainError
from webapp.core.formatting import file_size
from webapp.extensions import db
from webapp.organisation.models import Commission, Mandate

MAX_REPORT_BYTES = 10 * 1024 * 1024


# --- activity reports -------------------------------------------------------------------------------

def upload_report(actor: User, unit: OrgUnit, mandate: Mandate | None, title: str, filename: str,
                  data: bytes) -> ActivityReport:
    """Store a service's activity report (PDF, 10 Mo at most)."""
    if mandate is None:
        raise _invalid(_("Aucun mandat n’est défini."))
    if len(data) > MAX_REPORT_BYTES:
        raise DomainError(_("Le fichier pèse %(size)s : la limite est de %(max)s. Réduisez-le (export PDF "
                            "« taille réduite ») et réessayez.", size=file_size(len(data)),
                            max=file_size(MAX_REPORT_BYTES)),
                          fields={"file": [_("Fichier trop volumineux.")]}, status=413)
    if not data.startswith(b"%PDF-"):
        raise _invalid(_("Le rapport d’activité doit être un fichier PDF."), {"file": [_("PDF attendu.")]})
    clean_title = _text(title, 200) or _text(filename, 200) or _("Rapport d’activité")
    report = ActivityReport(unit=unit, mandate=mandate, title=clean_title,
                            filename=_text(filename, 200) or "rapport.pdf", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), content=data, uploaded_by=actor)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "activity_report.uploaded", report, None, {"unit_id": unit.id, "size": len(data)})
    return report


def attach_to_apercu(actor: User, apercu: Apercu, title: str, filename: str, data: bytes) -> ApercuAttachment:
    """Join a PDF (10 Mo at most) to an aperçu's dossier, e.g. the mini-bilan of an excursion."""
    if len(data) > MAX_REPORT_BYTES:
        raise DomainError(_("Le fichier pèse %(size)s : la limite est de %(max)s.", size=file_size(len(data)),
                            max=file_size(MAX_REPORT_BYTES)), fields={"file": [_("Fichier trop volumineux.")]},
                          status=413)
    if not data.startswith(b"%PDF-"):
        raise _invalid(_("Seuls les fichiers PDF peuvent être joints au dossier."), {"file": [_("PDF attendu.")]})
    attachment = ApercuAttachment(apercu=apercu, title=_text(title, 200) or _("Pièce jointe"),
                                  filename=_text(filename, 200) or "piece-jointe.pdf", size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(), content=data, added_by=actor)
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, "apercu.attachment_added", apercu, None,
                 {"attachment": attachment.id, "title": attachment.title, "size": len(data)})
    return attachment


def attachable_apercus(user: User) -> list[Apercu]:
    """The aperçus a person may join a document to: their service's, and their commissions' once submitted."""
    units = db.select(OrgUnit.id).where(db.or_(OrgUnit.id == user.unit_id, OrgUnit.parent_id == user.unit_id))
    in_my_commissions = Apercu.commission.has(Commission.members.any(User.id == user.id))
    mine = db.or_(Apercu.unit_id.in_(units), Apercu.author_id == user.id,
                  db.and_(Apercu.status == "submitted", in_my_commissions))
    candidates = db.session.scalars(db.select(Apercu).where(mine).order_by(Apercu.title).limit(100))
    return [a for a in candidates if policy.can_attach_to_apercu(user, a)]


def reports(unit: OrgUnit | None = None) -> list[ActivityReport]:
    stmt = db.select(ActivityReport).order_by(ActivityReport.uploaded_at.desc())
    if unit is not None:
        stmt = stmt.where(ActivityReport.unit_id == unit.id)
    return list(db.session.scalars(stmt))
