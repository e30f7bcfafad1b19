"""What enters and leaves the forum, for the JSON API and the HTML forms alike (core.forms)."""

from marshmallow import fields, validate

from webapp.core.schemas import InSchema, OutSchema, Text
from webapp.forum.models import INTEREST_CATEGORIES, PERIODS


class _BlankIsNone:
    """An empty box of a form sent through the outbox arrives as "": it means "not given"."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        return super().deserialize(None if value == "" else value, attr, data, **kwargs)


class OptionalDate(_BlankIsNone, fields.Date):
    def __init__(self, **kwargs):
        super().__init__(load_default=None, allow_none=True, **kwargs)


class OptionalTime(_BlankIsNone, fields.Time):
    def __init__(self, **kwargs):
        super().__init__(load_default=None, allow_none=True, **kwargs)


def _text(limit: int, required: bool = False, **kw):
    minimum = 1 if required else 0
    if not required:
        kw.setdefault("load_default", "")
    return Text(required=required, validate=validate.Length(min=minimum, max=limit), **kw)


class MandateIn(InSchema):
    label = _text(40, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class EluIn(InSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = _text(160, required=True)
    group = _text(160, required=True)


class PresentationIn(InSchema):
    presentation = _text(2000)
    themes = _text(500)
    preferred_contact = _text(300)


class ProfilePatch(InSchema):
    """Only the fields sent are changed."""

    presentation = Text(validate=validate.Length(max=2000))
    themes = Text(validate=validate.Length(max=500))
    preferred_contact = Text(validate=validate.Length(max=300))
    consent_public = fields.Boolean()


class ConsentIn(InSchema):
    """An unchecked box is absent from the form: absent means "no"."""

    consent_public = fields.Boolean(load_default=False)


class UnavailabilityIn(InSchema):
    weekday = fields.Integer(required=True, validate=validate.Range(min=0, max=6))
    period = fields.String(load_default="day", validate=validate.OneOf(PERIODS))
    starts_at = OptionalTime()
    ends_at = OptionalTime()
    valid_from = OptionalDate()
    valid_until = OptionalDate()
    reason = _text(300)


class InterestIn(InSchema):
    category = fields.String(required=True, validate=validate.OneOf(INTEREST_CATEGORIES))
    organisation = _text(200, required=True)
    role = _text(200)
    starts_on = OptionalDate()
    ends_on = OptionalDate()


class StandIn(InSchema):
    missions = _text(4000)
    projects = _text(4000)


class QuestionIn(InSchema):
    id = fields.UUID(load_default=None)
    text = _text(2000, required=True)
    private = fields.Boolean(load_default=False)


class AnswerIn(InSchema):
    answer = _text(4000, required=True)


class UnavailabilityOut(OutSchema):
    id = fields.UUID()
    weekday = fields.Integer()
    period = fields.String()
    starts_at = fields.Time(allow_none=True)
    ends_at = fields.Time(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    reason = fields.String()


class InterestOut(OutSchema):
    id = fields.UUID()
    category = fields.String()
    organisation = fields.String()
    role = fields.String()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)


class ProfileOut(OutSchema):
    presentation = fields.String()
    themes = fields.String()
    preferred_contact = fields.String()
    consent_public = fields.Boolean()
    has_portrait = fields.Boolean()
    complete = fields.Boolean()
    unavailabilities = fields.List(fields.Nested(UnavailabilityOut))
    interests = fields.List(fields.Nested(InterestOut))


class QuestionOut(OutSchema):
    id = fields.UUID()
    unit_id = fields.UUID()
    text = fields.String()
    private = fields.Boolean()
    answer = fields.String(allow_none=True)
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
