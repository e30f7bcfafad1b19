"""Marshmallow schemas of the anti-manuel and the review: their HTML forms, read through core.forms."""

from __future__ import annotations

from marshmallow import fields, validate

from webapp.cooperation.models import CHANNELS, DECIDERS, MODALITIES, PRESENCES
from webapp.core.schemas import InSchema, OutSchema, Text

_hour = {"load_default": None, "validate": validate.Range(min=0, max=23)}


class OpenForm(InSchema):
    unit_id = fields.UUID(required=True)


class TypeForm(InSchema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=120))


class AddRuleForm(InSchema):
    situation_type_id = fields.UUID(required=True)


class RuleForm(InSchema):
    modality = fields.String(required=True, validate=validate.OneOf(MODALITIES))
    delegatee_id = fields.UUID(load_default=None)
    deadline_days = fields.Integer(required=True, validate=validate.Range(min=0, max=365))
    shortenable = fields.Boolean(load_default=False)
    deciders = fields.String(required=True, validate=validate.OneOf(DECIDERS))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    quiet_start = fields.Integer(**_hour)
    quiet_end = fields.Integer(**_hour)
    urgent = fields.Boolean(load_default=False)
    presence = fields.String(required=True, validate=validate.OneOf(PRESENCES))
    argument = fields.String(load_default="", validate=validate.Length(max=2000))


class ProposeForm(InSchema):
    summary = fields.String(load_default="", validate=validate.Length(max=2000))


class OpenReviewForm(InSchema):
    elu_id = fields.UUID(required=True)


class AnswersForm(InSchema):
    lose_time = fields.String(load_default="", validate=validate.Length(max=5000))
    gain_time = fields.String(load_default="", validate=validate.Length(max=5000))
    complicated = fields.String(load_default="", validate=validate.Length(max=5000))


class AcceptForm(InSchema):
    situation_type_id = fields.UUID(required=True)


# --- the JSON API (api.py) -----------------------------------------------------------------------------

class RuleChangeIn(InSchema):
    """A change to the rule of one situation type in the open version (unsent fields keep their value)."""

    situation_type_id = fields.UUID(required=True)
    modality = fields.String(validate=validate.OneOf(MODALITIES))
    delegatee_id = fields.UUID(allow_none=True)
    deadline_days = fields.Integer(validate=validate.Range(min=0, max=365))
    shortenable = fields.Boolean()
    deciders = fields.String(validate=validate.OneOf(DECIDERS))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    quiet_start = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=23))
    quiet_end = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=23))
    urgent = fields.Boolean()
    presence = fields.String(validate=validate.OneOf(PRESENCES))
    argument = Text(validate=validate.Length(max=2000))


class VersionStep(InSchema):
    """Propose or agree the open version; ``version`` is the row version read (409 when it moved)."""

    version = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    summary = Text(load_default="", validate=validate.Length(max=2000))


class PartyOut(OutSchema):
    id = fields.UUID()
    name = fields.String()


class SituationTypeOut(OutSchema):
    id = fields.UUID()
    key = fields.String()
    label = fields.Function(lambda kind: _type_label(kind))


def _type_label(kind) -> str:
    from webapp.cooperation.service import type_label

    return type_label(kind)


class RuleOut(OutSchema):
    id = fields.UUID()
    situation_type = fields.Nested(SituationTypeOut)
    modality = fields.String()
    delegatee = fields.Nested(PartyOut, allow_none=True)
    deadline_days = fields.Integer()
    shortenable = fields.Boolean()
    deciders = fields.String()
    channel = fields.String()
    quiet_start = fields.Integer(allow_none=True)
    quiet_end = fields.Integer(allow_none=True)
    urgent = fields.Boolean()
    presence = fields.String()
    argument = fields.String()
    edited_by = fields.Nested(PartyOut, allow_none=True)
    edited_at = fields.DateTime()


class AgreementOut(OutSchema):
    user = fields.Nested(PartyOut)
    side = fields.String()
    agreed_at = fields.DateTime()


class VersionOut(OutSchema):
    id = fields.UUID()
    number = fields.Integer()
    version = fields.Integer()
    status = fields.String()
    summary = fields.String()
    author = fields.Nested(PartyOut, allow_none=True)
    created_at = fields.DateTime()
    proposed_at = fields.DateTime(allow_none=True)
    agreed_at = fields.DateTime(allow_none=True)
    rules = fields.List(fields.Nested(RuleOut))
    agreements = fields.List(fields.Nested(AgreementOut))


class CharterOut(OutSchema):
    id = fields.UUID()
    unit_id = fields.UUID()
    head = fields.Nested(PartyOut)
    elus = fields.List(fields.Nested(PartyOut))
    first_agreed_at = fields.DateTime(allow_none=True)
    in_force = fields.Nested(VersionOut, allow_none=True)
    versions = fields.List(fields.Nested(VersionOut))


class TypeFiguresOut(OutSchema):
    type_id = fields.UUID(allow_none=True)
    label = fields.String()
    agreed_days = fields.Integer(allow_none=True)
    notes = fields.Integer()
    answered = fields.Integer()
    median_days = fields.Float(allow_none=True)
    on_time_share = fields.Float(allow_none=True)
    overdue = fields.Integer()
    median_ack_hours = fields.Float(allow_none=True)
    outside_hours = fields.Integer()
    delegations = fields.Integer()
    renegotiations = fields.Integer()
    questions = fields.Integer()
    paged = fields.Integer()
    escalated = fields.Integer()


class ProposalOut(OutSchema):
    type_id = fields.UUID()
    label = fields.String()
    field = fields.String()
    before = fields.Integer(allow_none=True)
    after = fields.Integer()
    reason = fields.String()


class ReviewBrief(OutSchema):
    id = fields.UUID()
    charter_id = fields.UUID()
    elu = fields.Nested(PartyOut)
    period_start = fields.DateTime()
    period_end = fields.DateTime()


class ReviewOut(ReviewBrief):
    types = fields.List(fields.Nested(TypeFiguresOut))
    total = fields.Nested(TypeFiguresOut)
    excursions = fields.Integer()
    bilans = fields.Integer()
    proposals = fields.List(fields.Nested(ProposalOut))
