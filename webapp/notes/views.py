"""HTML pages of notes en stock: drafting, agreement, inbox, the note page and its forms, figures.

Plain POST forms calling the service; refusals re-render the page with the message (422).
"""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from webapp.accounts.models import Commission
from webapp.accounts.roles import roles_of
from webapp.core.clock import to_paris, utcnow
from webapp.core.errors import DomainError
from webapp.core.forms import FormInvalid, read_form, refusal_errors, typed
from webapp.core.pagination import page_args
from webapp.extensions import db
from webapp.notes import ahead, policy, rendering, service, situations, wording
from webapp.notes.home import urgency_label
from webapp.notes.models import Note, Renegotiation
from webapp.notes.schemas import (
    AgreementForm,
    AnswerForm,
    DelegationForm,
    DraftForm,
    RenegotiationForm,
    ReplyForm,
    SettleForm,
)

bp = Blueprint("notes", __name__, url_prefix="/notes")

STATUS_LABELS = {
    "draft": "Brouillon", "submitted": "Délai à convenir", "returned": "Renvoyée à l’auteur",
    "sent": "Envoyée à l’élu·e", "question": "Question à l’auteur", "delegated": "Décision déléguée",
    "answered": "Avis rendu", "decided": "Décidée",
}


@bp.app_template_filter("markdown")
def markdown(text: str) -> Markup:
    return rendering.markdown(text)


@bp.app_context_processor
def _labels():
    return {"note_status_label": lambda s: _(STATUS_LABELS.get(s, s)), "urgency_label": urgency_label,
            "reader_status": lambda note: wording.reader_status(note, current_user)}


def _note_or_404(note_id, whole: bool = False) -> Note:
    note = service.get_note(note_id, whole=whole)
    if note is None:
        abort(404)
    if not policy.can_view(current_user, note):
        abort(403)
    return note


def _deadline(day: date | None, keep=None):
    """A day from a form, as the 18:00 Paris deadline; the same day as ``keep`` keeps ``keep`` exactly."""
    if day is None:
        return None
    if keep is not None and to_paris(keep).date() == day:
        return keep
    return service.deadline_from_day(day)


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
    page = service.my_notes_page(current_user, *page_args(20), status=status, q=q)
    return render_template("notes/index.html", page=page, q=q, status=status, now=utcnow(),
                           can_create=policy.can_create(current_user), statuses=STATUS_LABELS,
                           urgency=service.urgency)


@bp.get("/inbox")
@login_required
def inbox():
    """The élu's inbox, phone first: by urgency, with filters and search."""
    if "cabinet" in roles_of(current_user):
        abort(403)
    status = request.args.get("status") or None
    q = request.args.get("q", "").strip()
    unit_id = _arg_uuid("unit")
    commission_id = _arg_uuid("commission")
    page = service.inbox_page(current_user, *page_args(30), status=status, unit_id=unit_id,
                              commission_id=commission_id, q=q)
    marks = wording.inbox_marks(current_user, page.items)  # one statement, whatever the page size
    now = utcnow()
    groups: dict[str, list] = {}
    for note in page.items:
        groups.setdefault(service.urgency(note, now), []).append(note)
    order = ["overdue", "today", "soon", "later", "paused", "done"]
    return render_template(
        "notes/inbox.html", page=page, groups=[(k, groups[k]) for k in order if k in groups], q=q, status=status,
        unit_id=unit_id, commission_id=commission_id, statuses=STATUS_LABELS,
        filter_url=_filter_url(q, status, unit_id, commission_id), marks=marks,
        **service.inbox_filter_choices())


def _filter_url(q, status, unit_id, commission_id):
    """The inbox's URL with one filter changed (a chip), the others kept."""
    def url(**changes) -> str:
        args = {"q": q or None, "status": status, "unit": unit_id, "commission": commission_id, **changes}
        return url_for("notes.inbox", **{k: v for k, v in args.items() if v})
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


# --- drafting -------------------------------------------------------------------------------------

def _draft_fields(note: Note | None, data: dict) -> dict:
    return {**data, "proposed_deadline": _deadline(data["proposed_deadline"], note.proposed_deadline if note else None),
            "commission_id": _lenient_uuid(data["commission_id"]),
            "situation_type_id": _lenient_uuid(data["situation_type_id"])}


def _lenient_uuid(value: str | None):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _form_context(note: Note | None) -> dict:
    suggested = service.suggested_addressees(current_user)
    suggested_ids = {u.id for u in suggested}
    elus = suggested + [u for u in service.current_elus() if u.id not in suggested_ids]
    return {"note": note, "elus": elus, "suggested_ids": suggested_ids,
            "colleagues": [u for u in service.colleagues_of(current_user) if u.id != current_user.id],
            "commissions": db.session.scalars(db.select(Commission).order_by(Commission.name)).all(),
            "situations": situations.form_choices(note.author if note else current_user)}


@bp.get("/new")
@login_required
def new():
    if not policy.can_create(current_user):
        abort(403)
    return _draft_page(None)


@bp.get("/<uuid:note_id>/edit")
@login_required
def edit(note_id):
    return _draft_page(_editable(note_id))


def _editable(note_id) -> Note:
    note = _note_or_404(note_id)
    if not policy.can_edit(current_user, note):
        abort(403)
    return note


def _draft_page(note: Note | None, errors: dict | None = None, status: int = 200):
    form = typed() if request.method == "POST" else None
    return render_template("notes/form.html", errors=errors or {}, form=form, **_form_context(note)), status


# The draft form has two buttons: "save" posts to the form's own address, "submit" (``formaction``)
# to the same address followed by /submit; notes.js moves both once autosave has created the draft.

@bp.post("/new")
@login_required
def create():
    return _save_draft(None, submit=False)


@bp.post("/new/submit")
@login_required
def create_and_submit():
    return _save_draft(None, submit=True)


@bp.post("/<uuid:note_id>/edit")
@login_required
def update(note_id):
    return _save_draft(_editable(note_id), submit=False)


@bp.post("/<uuid:note_id>/edit/submit")
@login_required
def update_and_submit(note_id):
    return _save_draft(_editable(note_id), submit=True)


def _save_draft(note: Note | None, submit: bool):
    if note is None and not policy.can_create(current_user):
        abort(403)
    try:
        fields = _draft_fields(note, read_form(DraftForm))
        if note is None:
            note = service.create_note(current_user, **fields)
        else:
            service.update_note(current_user, note, **fields)
        if submit:
            service.submit(current_user, note)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        note = service.get_note(note.id) if note is not None and note.id else None
        return _draft_page(note, refusal_errors(exc), 422)
    if submit:
        flash(_("Note soumise.") if note.status == "submitted" else _("Note envoyée."), "success")
        return redirect(url_for("notes.show", note_id=note.id))
    flash(_("Brouillon enregistré."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))


# --- the note -------------------------------------------------------------------------------------

@bp.get("/<uuid:note_id>")
@login_required
def show(note_id):
    note = _note_or_404(note_id, whole=True)
    # A page stored ahead by the service worker was not read: the receipt waits for a real opening
    # (then sent from the device through the outbox, see notes.js).
    stored_ahead = request.headers.get("X-Tandem-Ahead") == "1"
    if not stored_ahead and policy.can_acknowledge(current_user, note) and service.acknowledge(current_user, note):
        db.session.commit()
    return _note_page(note)


def _note_page(note: Note, errors: dict | None = None, form: str | None = None, status: int = 422):
    user = current_user
    can = {name: getattr(policy, f"can_{name}")(user, note) for name in (
        "edit", "submit", "agree", "answer", "annotate", "decide", "delegate", "reply", "renegotiate",
        "settle_renegotiation")}
    delegate_choices = []
    if can["delegate"]:
        delegate_choices = service.delegate_choices(note.author, user)
    body, placed = rendering.highlighted_body(note)
    expected, tone = wording.expectation(note, user, can)
    acknowledge = policy.can_acknowledge(user, note) and wording.is_unread(note, user)
    return render_template(
        "notes/show.html", note=note, body=body, placed=placed, can=can, errors=errors or {}, failed_form=form,
        now=utcnow(), expected=expected, tone=tone, acknowledge=acknowledge,
        urgency=service.urgency(note), timeline=service.timeline(note), delegate_choices=delegate_choices,
        sees_receipts=policy.is_author(user, note) or policy.is_manager(user, note),
    ), (status if errors else 200)


def _act(note: Note, form_name: str, action, success: str, schema=None):
    """Run one service action from a form (loaded by ``schema`` and given to ``action``); an invalid form
    or a refusal re-renders the note page with the message, beside the form that was sent."""
    try:
        if schema is None:
            action()
        else:
            action(read_form(schema))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        note = service.get_note(note.id)
        return _note_page(note, {"message": exc.message, **exc.fields}, form_name, status=exc.status)
    flash(success, "success")
    return redirect(url_for("notes.show", note_id=note.id))


def _guard(allowed: bool) -> None:
    if not allowed:
        abort(403)


@bp.post("/<uuid:note_id>/submit")
@login_required
def submit(note_id):
    note = _note_or_404(note_id)
    _guard(policy.is_author(current_user, note))
    return _act(note, "submit", lambda: service.submit(current_user, note), _("Note soumise."))


@bp.post("/<uuid:note_id>/agreement")
@login_required
def agreement(note_id):
    note = _note_or_404(note_id)
    _guard(policy.is_manager(current_user, note))

    def agree(form):
        service.agree(current_user, note, deadline=_deadline(form["deadline"], note.proposed_deadline),
                      argument=form["argument"], comment=form["comment"])

    return _act(note, "agreement", agree, _("Délai convenu : la note est transmise."), AgreementForm)


@bp.post("/<uuid:note_id>/return")
@login_required
def return_to_author(note_id):
    """The agreement form's other button: the manager sends the note back instead of agreeing."""
    note = _note_or_404(note_id)
    _guard(policy.is_manager(current_user, note))
    return _act(note, "agreement", lambda form: service.return_to_author(current_user, note, form["comment"]),
                _("Note renvoyée à son auteur."), AgreementForm)


@bp.post("/<uuid:note_id>/answer")
@login_required
def answer(note_id):
    note = _note_or_404(note_id)
    kind = _kind_asked()
    _guard(policy.takes_part_in_answer(current_user, note, kind))

    def act(form):
        choice = form["choice"]
        verdict, option = (("option", choice[len("option:"):]) if choice.startswith("option:")
                           else (choice or None, None))
        service.answer(current_user, note, kind=kind, text=form["text"], verdict=verdict,
                       option_label=option, quote=form["quote"], offset=form["offset"])

    messages = {"decision": _("Décision enregistrée."), "opinion": _("Avis enregistré."),
                "annotation": _("Annotation enregistrée."), "question": _("Question envoyée à l’auteur.")}
    return _act(note, kind, act, messages.get(kind, _("Enregistré.")), AnswerForm)


def _kind_asked() -> str:
    """The answer's kind, read before anything else: who may send the form depends on it."""
    try:
        return read_form(AnswerForm)["kind"]
    except FormInvalid:
        return ""


@bp.post("/<uuid:note_id>/reply")
@login_required
def reply(note_id):
    note = _note_or_404(note_id)
    _guard(policy.is_author(current_user, note))
    return _act(note, "reply", lambda form: service.reply(current_user, note, form["text"]),
                _("Réponse envoyée : la note revient à l’élu·e."), ReplyForm)


@bp.post("/<uuid:note_id>/delegate")
@login_required
def delegate(note_id):
    note = _note_or_404(note_id)
    _guard(policy.is_addressee(current_user, note))
    return _act(note, "delegate", lambda form: service.delegate(
        current_user, note, form["delegatee_ids"], form["instructions"]), _("Décision déléguée."), DelegationForm)


@bp.post("/<uuid:note_id>/renegotiate")
@login_required
def renegotiate(note_id):
    note = _note_or_404(note_id)
    _guard(policy.is_addressee(current_user, note))
    return _act(note, "renegotiate", lambda form: service.request_renegotiation(
        current_user, note, _deadline(form["deadline"]), form["argument"]),
        _("Demande de délai envoyée."), RenegotiationForm)


@bp.post("/<uuid:note_id>/renegotiations/<uuid:renegotiation_id>")
@login_required
def settle(note_id, renegotiation_id):
    note = _note_or_404(note_id)
    item = db.session.get(Renegotiation, renegotiation_id)
    if item is None or item.note_id != note.id:
        abort(404)
    _guard(policy.takes_part_in_settlement(current_user, note))
    return _act(note, "settle", lambda form: service.settle_renegotiation(
        current_user, note, item, form["decision"] == "accept", form["comment"]),
        _("Réponse enregistrée."), SettleForm)


# --- attachments --------------------------------------------------------------------------------

@bp.post("/<uuid:note_id>/attachments")
@login_required
def attach(note_id):
    note = _note_or_404(note_id)
    _guard(policy.can_edit(current_user, note))
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise DomainError(_("Choisissez un fichier."), fields={"file": [_("Obligatoire.")]}, status=422)
        try:
            data = upload.read(service.MAX_ATTACHMENT + 1)
        finally:
            upload.close()  # large uploads are spooled to a temporary file
        service.add_attachment(current_user, note, upload.filename, data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        note = service.get_note(note_id)
        errors = {"message": exc.message, **exc.fields}
        return render_template("notes/form.html", errors=errors, form=None, **_form_context(note)), exc.status
    flash(_("Pièce jointe ajoutée."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))


@bp.post("/<uuid:note_id>/attachments/<uuid:attachment_id>/delete")
@login_required
def detach(note_id, attachment_id):
    note = _note_or_404(note_id)
    item = next((a for a in note.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    _guard(policy.can_edit(current_user, note))
    service.remove_attachment(current_user, note, item)
    db.session.commit()
    flash(_("Pièce jointe retirée."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))


@bp.get("/<uuid:note_id>/attachments/<uuid:attachment_id>")
@login_required
def attachment(note_id, attachment_id):
    """Download: only who may see the note; always as a download, never rendered inline."""
    note = _note_or_404(note_id)
    item = next((a for a in note.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    response = Response(item.data, mimetype=item.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- figures --------------------------------------------------------------------------------------

@bp.get("/figures")
@login_required
def figures():
    if not policy.can_view_figures(current_user):
        abort(403)
    return render_template("notes/figures.html", figures=service.figures())
