"""Marshmallow schemas of the anti-manuel: its HTML forms (read through core.forms) and its JSON output."""

from __future__ import annotations

from marshmallow import fields, validate

from webapp.cooperation.models import CHANNELS, DECIDERS, MODALITIES, PRESENCES
from webapp.core.schemas import InSchema, OutSchema

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


class RuleOut(OutSchema):
    situation_type = fields.Function(lambda r: r.situation_type.key)
    label = fields.Function(lambda r: r.situation_type.label)
    modality = fields.String()
    delegatee_id = fields.UUID(allow_none=True)
    deadline_days = fields.Integer()
    shortenable = fields.Boolean()
    deciders = fields.String()
    channel = fields.String()
    quiet_start = fields.Integer(allow_none=True)
    quiet_end = fields.Integer(allow_none=True)
    urgent = fields.Boolean()
    presence = fields.String()
    argument = fields.String()


class VersionOut(OutSchema):
    id = fields.UUID()
    number = fields.Integer()
    status = fields.String()
    summary = fields.String()
    agreed_at = fields.AwareDateTime(allow_none=True)
    rules = fields.List(fields.Nested(RuleOut))


class CharterOut(OutSchema):
    id = fields.UUID()
    unit_id = fields.UUID()
    head_id = fields.UUID()
    elu_ids = fields.Function(lambda c: [str(e.id) for e in c.elus])
    versions = fields.List(fields.Nested(VersionOut))


class OpenReviewForm(InSchema):
    elu_id = fields.UUID(required=True)


class AnswersForm(InSchema):
    lose_time = fields.String(load_default="", validate=validate.Length(max=5000))
    gain_time = fields.String(load_default="", validate=validate.Length(max=5000))
    complicated = fields.String(load_default="", validate=validate.Length(max=5000))


class AcceptForm(InSchema):
    situation_type_id = fields.UUID(required=True)
