"""What enters and leaves the notes API."""

from marshmallow import fields, validate

from webapp.core.schemas import InSchema, OutSchema, PageArgs, PageMeta


def _urgency(note) -> str:
    from webapp.notes.service import urgency

    return urgency(note)


STATUS_CHOICES = ["open", "draft", "submitted", "returned", "sent", "question", "delegated", "answered", "decided"]


class NotePersonRef(OutSchema):
    id = fields.UUID()
    name = fields.String()


class NoteOptionOut(OutSchema):
    id = fields.UUID()
    label = fields.String()
    description = fields.String()


class NoteAddresseeOut(OutSchema):
    user = fields.Nested(NotePersonRef)
    acknowledged_at = fields.AwareDateTime(allow_none=True)


class NoteAnswerOut(OutSchema):
    id = fields.UUID()
    kind = fields.String()
    verdict = fields.String(allow_none=True)
    option = fields.Nested(NoteOptionOut, allow_none=True)
    text = fields.String()
    quote = fields.String(allow_none=True)
    offset = fields.Integer(allow_none=True)
    author = fields.Nested(NotePersonRef)
    created_at = fields.AwareDateTime()


class NoteDelegationOut(OutSchema):
    id = fields.UUID()
    by = fields.Nested(NotePersonRef)
    delegatees = fields.List(fields.Nested(NotePersonRef))
    instructions = fields.String()
    created_at = fields.AwareDateTime()


class NoteRenegotiationOut(OutSchema):
    id = fields.UUID()
    requested_by = fields.Nested(NotePersonRef)
    previous_deadline = fields.AwareDateTime()
    requested_deadline = fields.AwareDateTime()
    argument = fields.String()
    status = fields.String()
    settled_by = fields.Nested(NotePersonRef, allow_none=True)
    settled_at = fields.AwareDateTime(allow_none=True)
    comment = fields.String()


class NoteAttachmentOut(OutSchema):
    id = fields.UUID()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.Function(lambda a: f"/notes/{a.note_id}/attachments/{a.id}")


class NoteSummary(OutSchema):
    id = fields.UUID()
    title = fields.String()
    status = fields.String()
    urgency = fields.Function(lambda n: _urgency(n))
    author = fields.Nested(NotePersonRef)
    unit = fields.Function(lambda n: n.unit.name if n.unit else None)
    deadline = fields.AwareDateTime(allow_none=True)
    deadline_argument = fields.String()
    sent_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime()


class NoteOut(NoteSummary):
    body = fields.String()
    unit_id = fields.UUID(allow_none=True)
    commission_id = fields.UUID(allow_none=True)
    situation_type_id = fields.UUID(allow_none=True)
    manager = fields.Nested(NotePersonRef, allow_none=True)
    proposed_deadline = fields.AwareDateTime(allow_none=True)
    proposed_argument = fields.String()
    agreement_comment = fields.String()
    return_comment = fields.String()
    agreed_by = fields.Nested(NotePersonRef, allow_none=True)
    agreed_at = fields.AwareDateTime(allow_none=True)
    self_agreed = fields.Boolean()
    submitted_at = fields.AwareDateTime(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    paused_at = fields.AwareDateTime(allow_none=True)
    options = fields.List(fields.Nested(NoteOptionOut))
    addressees = fields.List(fields.Nested(NoteAddresseeOut))
    concerned = fields.List(fields.Nested(NotePersonRef))
    answers = fields.List(fields.Nested(NoteAnswerOut))
    delegations = fields.List(fields.Nested(NoteDelegationOut))
    renegotiations = fields.List(fields.Nested(NoteRenegotiationOut))
    attachments = fields.List(fields.Nested(NoteAttachmentOut))


class NotePage(OutSchema):
    items = fields.List(fields.Nested(NoteSummary))
    meta = fields.Nested(PageMeta)


class NoteListArgs(PageArgs):
    box = fields.String(load_default="inbox", validate=validate.OneOf(["inbox", "mine"]))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUS_CHOICES))
    unit_id = fields.UUID(load_default=None)
    commission_id = fields.UUID(load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=100))


_text = {"validate": validate.Length(max=20000)}


class NoteIn(InSchema):
    id = fields.UUID(load_default=None)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(load_default="", **_text)
    addressee_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    concerned_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=50))
    options = fields.List(fields.String(validate=validate.Length(max=500)), load_default=list,
                          validate=validate.Length(max=8))
    proposed_deadline = fields.AwareDateTime(load_default=None)
    proposed_argument = fields.String(load_default="", validate=validate.Length(max=2000))
    commission_id = fields.UUID(load_default=None)
    situation_type_id = fields.UUID(load_default=None)


class NotePatch(InSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    body = fields.String(**_text)
    addressee_ids = fields.List(fields.UUID(), validate=validate.Length(max=20))
    concerned_ids = fields.List(fields.UUID(), validate=validate.Length(max=50))
    options = fields.List(fields.String(validate=validate.Length(max=500)), validate=validate.Length(max=8))
    proposed_deadline = fields.AwareDateTime(allow_none=True)
    proposed_argument = fields.String(validate=validate.Length(max=2000))
    commission_id = fields.UUID(allow_none=True)
    situation_type_id = fields.UUID(allow_none=True)


class NoteAgreementIn(InSchema):
    # Before /return existed, a return was posted here as {"action": "return"}: one still waiting in a
    # phone's outbox, or sent by a page the worker kept, is refused (422), never taken for an agreement.
    action = fields.String(load_default=None, load_only=True, validate=validate.OneOf(["agree"]))
    deadline = fields.AwareDateTime(load_default=None)
    argument = fields.String(load_default=None, validate=validate.Length(max=2000))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class NoteReturnIn(InSchema):
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class NoteAnswerIn(InSchema):
    id = fields.UUID(load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(["decision", "opinion", "annotation", "question"]))
    verdict = fields.String(load_default=None, validate=validate.OneOf(["approve", "reject", "option"]))
    option = fields.String(load_default=None, validate=validate.Length(max=2))
    text = fields.String(load_default="", **_text)
    quote = fields.String(load_default=None, validate=validate.Length(max=2000))
    offset = fields.Integer(load_default=None, validate=validate.Range(min=0))


class NoteReplyIn(InSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class NoteDelegationIn(InSchema):
    delegatee_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=20))
    instructions = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class NoteRenegotiationIn(InSchema):
    deadline = fields.AwareDateTime(required=True)
    argument = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class NoteSettleIn(InSchema):
    accept = fields.Boolean(required=True)
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class NoteTimelineOut(OutSchema):
    at = fields.AwareDateTime()
    action = fields.String()
    actor = fields.Nested(NotePersonRef, allow_none=True)


class NoteFigureRow(OutSchema):
    id = fields.String(allow_none=True)
    name = fields.String()
    notes = fields.Integer()
    answered = fields.Integer()
    median_response_hours = fields.Float(allow_none=True)
    on_time_share = fields.Float(allow_none=True)
    delegations = fields.Integer()
    renegotiations = fields.Integer()


class NoteFiguresOut(OutSchema):
    elus = fields.List(fields.Nested(NoteFigureRow))
    services = fields.List(fields.Nested(NoteFigureRow))


# --- HTML forms: the no-script fallbacks of the note pages (read by webapp.core.forms) -------------------

class DraftForm(InSchema):
    title = fields.String(load_default="", validate=validate.Length(max=200))
    body = fields.String(load_default="", **_text)
    addressee_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    concerned_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=50))
    options = fields.List(fields.String(validate=validate.Length(max=500)), load_default=list,
                          validate=validate.Length(max=8))
    proposed_deadline = fields.Date(load_default=None)  # a day: the deadline is 18:00 Paris that day
    proposed_argument = fields.String(load_default="", validate=validate.Length(max=2000))
    commission_id = fields.String(load_default=None, validate=validate.Length(max=40))  # unknown: none
    situation_type_id = fields.String(load_default=None, validate=validate.Length(max=40))  # unknown: none


class AgreementForm(InSchema):
    deadline = fields.Date(load_default=None)
    argument = fields.String(load_default=None, validate=validate.Length(max=2000))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class AnswerForm(InSchema):
    kind = fields.String(load_default="", validate=validate.Length(max=20))
    choice = fields.String(load_default="", validate=validate.Length(max=20))  # approve, reject, option:B
    text = fields.String(load_default="", **_text)
    quote = fields.String(load_default=None, validate=validate.Length(max=2000))
    offset = fields.Integer(load_default=None, validate=validate.Range(min=0))


class ReplyForm(InSchema):
    text = fields.String(load_default="", **_text)


class DelegationForm(InSchema):
    delegatee_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    instructions = fields.String(load_default="", validate=validate.Length(max=5000))


class RenegotiationForm(InSchema):
    deadline = fields.Date(load_default=None)
    argument = fields.String(load_default="", validate=validate.Length(max=2000))


class SettleForm(InSchema):
    decision = fields.String(load_default="", validate=validate.Length(max=20))  # accept or refuse
    comment = fields.String(load_default="", validate=validate.Length(max=2000))
