"""The note page and its forms: submit, agreement, return, answers, reply, delegation, renegotiation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.core.forms import FormInvalid, read_form
from webapp.core.i18n import language
from webapp.extensions import db
from webapp.notes import policy, rendering, service, wording
from webapp.notes.models import Note, Renegotiation
from webapp.notes.schemas import (
    AgreementForm,
    AnswerForm,
    DelegationForm,
    RenegotiationForm,
    ReplyForm,
    SettleForm,
)
from webapp.notes.views.common import _deadline, _note_or_404, bp

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
    # The person, not the proxy: the page asks its policies some sixty questions about them, and each
    # attribute read through ``current_user`` looks the person up in the request again.
    user = current_user._get_current_object()
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
        event_labels=wording.event_labels(language()),
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
