"""The lists: an agent's notes, the élu's inbox with its filters, the notes stored ahead, the figures."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from flask import abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.accounts.roles import roles_of
from webapp.core import facts
from webapp.core.clock import utcnow
from webapp.core.pagination import page_args
from webapp.core.templating import fixed_url
from webapp.notes import ahead, policy, rendering, service, wording
from webapp.notes.service.inbox import parse_cursor
from webapp.notes.views.common import STATUS_LABELS, bp

INBOX_PAGE = 30  # notes a page of the inbox shows

# --- lists ----------------------------------------------------------------------------------------

@bp.get("")
@login_required
def index():
    """An agent's notes: written, to agree, concerned by. Élus without a service see their inbox here
    (no redirect: the service worker keeps pages, not redirects, for offline reading)."""
    roles = roles_of(current_user)
    if "cabinet" in roles:
        abort(403)
    if "elu" in roles and "agent" not in roles:
        return inbox()
    status = request.args.get("status") or None
    q = request.args.get("q", "").strip()
    page = service.my_notes_page(current_user, *page_args(20), rows=True, status=status, q=q)
    rows = rendering.note_rows(wording.note_lines(page.items, _note_href(), service.urgency, utcnow(),
                                                  STATUS_LABELS))
    return render_template("notes/index.html", page=page, rows=rows, q=q, status=status,
                           can_create=policy.can_create(current_user), statuses=STATUS_LABELS)


def _note_href() -> str:
    """A note's link with ``{}`` for its id: built once per list, not once per row."""
    return url_for("notes.show", note_id=uuid.UUID(int=0)).replace(str(uuid.UUID(int=0)), "{}")


@bp.get("/inbox")
@login_required
def inbox():
    """The élu's inbox, phone first: by urgency, with filters and search; pages by keyset (``?after=``)."""
    facts.ask(*service.FILTER_CHOICES.values())  # with the roles' statement
    if "cabinet" in roles_of(current_user):
        abort(403)
    status = request.args.get("status") or None
    q = request.args.get("q", "").strip()
    unit_id = _arg_uuid("unit")
    commission_id = _arg_uuid("commission")
    after = request.args.get("after")
    rows, next_cursor = service.inbox_rows(current_user, after=parse_cursor(after), per_page=INBOX_PAGE,
                                           status=status, unit_id=unit_id, commission_id=commission_id, q=q)
    note_href = _note_href()
    filter_url = _filter_url(q, status, unit_id, commission_id)
    return render_template(
        "notes/inbox.html", groups=wording.inbox_groups(rows, note_href, service.urgency, utcnow()), q=q,
        status=status, unit_id=unit_id, commission_id=commission_id, statuses=STATUS_LABELS,
        filter_url=filter_url, next_url=filter_url(after=next_cursor) if next_cursor else None,
        first_url=filter_url() if after else None, inbox_rows=rendering.inbox_rows,
        **service.inbox_filter_choices(current_user))


def _filter_url(q, status, unit_id, commission_id):
    """The inbox's URL with one filter changed (a chip), the others kept (from its first page). Its path
    once, its query by ``urlencode``: the page makes a dozen of these links."""
    path = fixed_url("notes.inbox")

    def url(**changes) -> str:
        args = {"q": q or None, "status": status, "unit": unit_id, "commission": commission_id, **changes}
        query = urlencode([(k, str(v)) for k, v in args.items() if v], safe="!$'()*,/:;?@")  # as url_for
        return f"{path}?{query}" if query else path
    return url


@bp.get("/ahead")
@login_required
def ahead_list():
    """What the service worker stores on the device ahead of time (see ``notes.ahead``)."""
    response = jsonify({"items": ahead.items(current_user)})
    response.headers["Cache-Control"] = "no-store"
    return response


def _arg_uuid(name: str):
    try:
        return uuid.UUID(request.args[name]) if request.args.get(name) else None
    except ValueError:
        return None


# --- figures --------------------------------------------------------------------------------------

@bp.get("/figures")
@login_required
def figures():
    if not policy.can_view_figures(current_user):
        abort(403)
    return render_template("notes/figures.html", figures=service.figures())
