"""Telling people about a step of the installation week: a notification (centre + push on their devices)
and an e-mail for everyone. ``push.notify`` already mails people without a device; the others get the
mail here, so that each person receives one mail and, where they have a device, one push.

Titles and bodies say what happened, never wishes or justifications (they may reach a lock screen).
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.core.links import public_link
from webapp.extensions import db
from webapp.jobs.mail import send_mail
from webapp.push import service as push
from webapp.push.models import PushSubscription


def tell(users, *, kind: str, title, body, url: str) -> int:
    """Notify and mail ``users`` (lazy texts, read in each person's language); how many were told."""
    created = push.notify(users, kind=kind, title=title, body=body, url=url)
    ids = [n.user_id for n in created]
    with_device = set(db.session.scalars(db.select(PushSubscription.user_id)
                                         .where(PushSubscription.user_id.in_(ids)))) if ids else set()
    for user in {u.id: u for u in users if u is not None}.values():
        if user.id not in with_device:
            continue  # the notification's own delivery mails them
        with force_locale(user.language or "fr"):
            send_mail(user.email, f"Tandem : {title}", "\n\n".join(
                [str(title), str(body), _("Ouvrir dans Tandem : %(link)s", link=public_link(url))]))
    return len(created)
