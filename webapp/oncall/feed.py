"""The ``.ics`` feed of one person's shifts, read by calendar apps through a secret link.

Written by the ``icalendar`` library (escaping and folding as RFC 5545 says). Each shift is one event
whose UID stays the same while the shift does (rota, person, start), so that a calendar app updates it;
a shift taken over through a swap says so in its title.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.links import public_link
from webapp.oncall import service


def calendar_of(user: User, now: datetime | None = None) -> bytes:
    now = now or utcnow()
    since, until = service.feed_window(now)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Astreinte//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Astreintes — %(name)s", name=user.name))
    for rota, shift in service.shifts_of(user, since, until):
        event = icalendar.Event()
        event.add("uid", f"{rota.id}-{user.id}-{int(shift.starts_at.timestamp())}@tandem")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", shift.starts_at.astimezone(UTC))
        event.add("dtend", shift.ends_at.astimezone(UTC))
        title = _("Astreinte : %(rota)s", rota=rota.name)
        if shift.swapped:
            title = _("%(title)s (échange)", title=title)
        event.add("summary", title)
        event.add("url", public_link(service.rota_url(rota)))
        calendar.add_component(event)
    return calendar.to_ical()
