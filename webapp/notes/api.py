"""JSON API of notes en stock: every write the pages offer, for the PWA's outbox. Thin handlers:
load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core.api import require, signed_in
from webapp.core.errors import DomainError, register_current
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.notes import policy, service
from webapp.notes.models import Note, Renegotiation
from webapp.notes.schemas import (
    NoteAgreementIn,
    NoteAnswerIn,
    NoteAnswerOut,
    NoteAttachmentOut,
    NoteDelegationIn,
    NoteDelegationOut,
    NoteFiguresOut,
    NoteIn,
    NoteListArgs,
    NoteOut,
    NotePage,
    NotePatch,
    NoteRenegotiationIn,
    NoteRenegotiationOut,
    NoteReplyIn,
    NoteReturnIn,
    NoteSettleIn,
    NoteTimelineOut,
)

blp = Blueprint("notes_api", __name__, url_prefix="/api/v1/notes", description="Notes en stock")
# A step taken by someone else first answers 409 with the note (or the request for more time) as it is now.
register_current(Note, lambda note: NoteOut().dump(note))
register_current(Renegotiation, lambda item: NoteRenegotiationOut().dump(item))


def _load(note_id) -> Note:
    note = service.get_note(note_id)
    if note is None:
        abort(404)
    require(policy.can_view(current_user, note))
    return note


@blp.route("")
class Notes(MethodView):
    @signed_in
    @blp.arguments(NoteListArgs, location="query")
    @blp.response(200, NotePage)
    def get(self, args):
        """The inbox (élus, delegatees) or one's own notes (written, to agree, concerned)."""
        filters = {"status": args["status"], "q": args["q"]}
        if args["box"] == "inbox":
            page = service.inbox_page(current_user, args["page"], args["per_page"], unit_id=args["unit_id"],
                                      commission_id=args["commission_id"], **filters)
        else:
            page = service.my_notes_page(current_user, args["page"], args["per_page"], **filters)
        return {"items": page.items, "meta": page.as_meta()}

    @idempotent
    @signed_in
    @blp.arguments(NoteIn)
    @blp.response(201, NoteOut)
    def post(self, data):
        """Draft a note (the client may supply its id)."""
        require(policy.can_create(current_user))
        return service.create_note(current_user, **data)


@blp.route("/figures")
class Figures(MethodView):
    @signed_in
    @blp.response(200, NoteFiguresOut)
    def get(self):
        """Per élu and per service: median response time, share on time, delegations, renegotiations."""
        require(policy.can_view_figures(current_user))
        return service.figures()


@blp.route("/<uuid:note_id>")
class NoteItem(MethodView):
    @signed_in
    @blp.response(200, NoteOut)
    def get(self, note_id):
        return _load(note_id)

    @idempotent
    @signed_in
    @blp.arguments(NotePatch)
    @blp.response(200, NoteOut)
    def patch(self, data, note_id):
        """Change a draft (or a returned note); drafts autosave through this."""
        note = _load(note_id)
        require(policy.can_edit(current_user, note))
        return service.update_note(current_user, note, **data)


@blp.route("/<uuid:note_id>/submit")
class Submit(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, NoteOut)
    def post(self, note_id):
        """Send the draft to the author's manager for the deadline agreement."""
        note = _load(note_id)
        require(policy.is_author(current_user, note))
        return service.submit(current_user, note)


@blp.route("/<uuid:note_id>/agreement")
class Agreement(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteAgreementIn)
    @blp.response(200, NoteOut)
    def post(self, data, note_id):
        """The manager agrees the deadline, possibly amending deadline and argument (with a comment)."""
        note = _load(note_id)
        require(policy.is_manager(current_user, note))
        return service.agree(current_user, note, deadline=data["deadline"], argument=data["argument"],
                             comment=data["comment"])


@blp.route("/<uuid:note_id>/return")
class Return(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteReturnIn)
    @blp.response(200, NoteOut)
    def post(self, data, note_id):
        """The manager returns the note to its author, saying what to rework."""
        note = _load(note_id)
        require(policy.is_manager(current_user, note))
        return service.return_to_author(current_user, note, data["comment"])


@blp.route("/<uuid:note_id>/acknowledge")
class Acknowledge(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, NoteOut)
    def post(self, note_id):
        """Record the accusé de réception (the PWA replays it when the note was opened offline)."""
        note = _load(note_id)
        require(policy.can_acknowledge(current_user, note))
        service.acknowledge(current_user, note)
        return note


@blp.route("/<uuid:note_id>/answers")
class Answers(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteAnswerIn)
    @blp.response(201, NoteAnswerOut)
    def post(self, data, note_id):
        """A decision, an opinion, an annotation of a passage, or a question back."""
        note = _load(note_id)
        require(policy.takes_part_in_answer(current_user, note, data["kind"]))
        option = data.pop("option")
        return service.answer(current_user, note, option_label=option, **data)


@blp.route("/<uuid:note_id>/reply")
class Reply(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteReplyIn)
    @blp.response(201, NoteAnswerOut)
    def post(self, data, note_id):
        """The author answers the élu's question; the paused deadline resumes."""
        note = _load(note_id)
        require(policy.is_author(current_user, note))
        return service.reply(current_user, note, data["text"])


@blp.route("/<uuid:note_id>/delegations")
class Delegations(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteDelegationIn)
    @blp.response(201, NoteDelegationOut)
    def post(self, data, note_id):
        """The élu delegates the decision with instructions."""
        note = _load(note_id)
        require(policy.is_addressee(current_user, note))
        return service.delegate(current_user, note, data["delegatee_ids"], data["instructions"])


@blp.route("/<uuid:note_id>/renegotiations")
class Renegotiations(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteRenegotiationIn)
    @blp.response(201, NoteRenegotiationOut)
    def post(self, data, note_id):
        """The élu asks for more time, with an argument."""
        note = _load(note_id)
        require(policy.is_addressee(current_user, note))
        return service.request_renegotiation(current_user, note, data["deadline"], data["argument"])


@blp.route("/<uuid:note_id>/renegotiations/<uuid:renegotiation_id>")
class RenegotiationItem(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(NoteSettleIn)
    @blp.response(200, NoteRenegotiationOut)
    def post(self, data, note_id, renegotiation_id):
        """The author or the manager accepts or refuses the request."""
        note = _load(note_id)
        item = db.session.get(Renegotiation, renegotiation_id)
        if item is None or item.note_id != note.id:
            abort(404)
        require(policy.takes_part_in_settlement(current_user, note))
        return service.settle_renegotiation(current_user, note, item, data["accept"], data["comment"])


def _file() -> tuple[str, bytes]:
    upload = request.files.get("file")
    if upload is None:
        raise DomainError(_("Joignez un fichier (champ « file »)."), fields={"file": [_("Obligatoire.")]}, status=422)
    try:
        return upload.filename or "", upload.read(service.MAX_ATTACHMENT + 1)
    finally:
        upload.close()  # large uploads are spooled to a temporary file


@blp.route("/<uuid:note_id>/attachments")
class Attachments(MethodView):
    @idempotent
    @signed_in
    @blp.response(201, NoteAttachmentOut)
    def post(self, note_id):
        """Join a PDF or an image (multipart field ``file``, 5 MB at most: 413 beyond) to a draft."""
        note = _load(note_id)
        require(policy.can_edit(current_user, note))
        filename, data = _file()
        return service.add_attachment(current_user, note, filename, data)


@blp.route("/<uuid:note_id>/attachments/<uuid:attachment_id>")
class AttachmentItem(MethodView):
    @idempotent
    @signed_in
    @blp.response(204)
    def delete(self, note_id, attachment_id):
        """Remove an attachment from a draft."""
        note = _load(note_id)
        item = next((a for a in note.attachments if a.id == attachment_id), None)
        if item is None:
            abort(404)
        require(policy.can_edit(current_user, note))
        service.remove_attachment(current_user, note, item)


@blp.route("/<uuid:note_id>/history")
class History(MethodView):
    @signed_in
    @blp.response(200, NoteTimelineOut(many=True))
    def get(self, note_id):
        """Every step of the note, timestamped."""
        return service.timeline(_load(note_id))
