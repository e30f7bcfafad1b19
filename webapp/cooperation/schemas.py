"""Marshmallow schemas of the anti-manuel and the review: their HTML forms, read through core.forms."""

from __future__ import annotations

from marshmallow import fields, validate

from webapp.cooperation.models import CHANNELS, DECIDERS, MODALITIES, PRESENCES
from webapp.core.schemas import InSchema

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
