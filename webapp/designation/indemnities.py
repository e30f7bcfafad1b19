"""The indemnities of the assignment as a whole (issue 14 item 4): each élu's simulated indemnity for the
posts given, the total against the legal envelope (the sum of the law's ceilings for the same functions,
CGCT L3123-16 and L3123-17), and the annex table the deliberation needs (who holds which post, with
functions and indemnities), shown as HTML and exported as CSV and PDF. A simulation, never a payroll.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from webapp.designation import assigning, rules, service, simulation
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu

LEVELS = {"conseiller": _l("Conseiller départemental"), "commission_president": _l("Président de commission"),
          "vice_president": _l("Vice-président"), "president": _l("Président")}


def annex(mandate) -> dict:
    """One row per élu (by name) with their posts, functions and simulated indemnity, and the totals."""
    by_elu: dict = {}
    for row in assigning.assignments(mandate):
        by_elu.setdefault(row.elu_id, []).append(row.post)
    terms = sorted(db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)),
                   key=lambda t: t.user.name)
    legal = rules.legal_scale(mandate)
    scale = rules.scale(mandate)
    rows, total, envelope = [], Decimal(0), Decimal(0)
    for term in terms:
        posts = sorted(by_elu.get(term.id, []), key=organisation.post_label)
        standing = service.standing(term, posts)
        sim = standing["simulation"]
        permanent = sim["permanent_commission"]
        ceiling = simulation.ceiling(sim["level"], permanent, legal)
        rate = (sim["amount"] / scale.reference * 100).quantize(Decimal("0.01")) if scale.reference else Decimal(0)
        rows.append({"term": term, "name": term.user.name, "group": term.group.name if term.group else "",
                     "function": str(LEVELS[sim["level"]]), "permanent_commission": permanent,
                     "posts": [organisation.post_label(p) for p in posts], "hours": standing["gauge"]["used"],
                     "rate": rate, "amount": sim["amount"], "legal_ceiling": ceiling,
                     "over_parliamentary_cap": sim["over_parliamentary_cap"]})
        total += sim["amount"]
        envelope += ceiling
    return {"rows": rows, "total": total, "envelope": envelope, "over": total > envelope, "scale": scale,
            "proposal": assigning.proposal(mandate)}
