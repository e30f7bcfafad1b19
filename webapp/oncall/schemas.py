"""What enters and leaves the on-call rotas, for the JSON API and the HTML forms alike (core.forms)."""

from marshmallow import ValidationError, fields, validate

from webapp.commissions.schemas import Text
from webapp.core.clock import PARIS
from webapp.core.schemas import InSchema, OutSchema
from webapp.oncall.models import ROTATIONS


class HandoverTime(fields.Time):
    """A time of day ("09:00") stored as minutes after midnight."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment.hour * 60 + moment.minute

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 60:02d}:{value % 60:02d}"


class ParisDateTime(fields.DateTime):
    """A moment; without an offset (a phone's ``datetime-local`` box) it is Paris time."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=PARIS)


def _no_blank_ids(values):
    if not [v for v in values if v]:
        raise ValidationError("Missing data for required field.")


class RotaIn(InSchema):
    unit_id = fields.UUID(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    rotation = fields.String(required=True, validate=validate.OneOf(ROTATIONS))
    starts_on = fields.Date(required=True)
    handover_minute = HandoverTime(required=True, data_key="handover_time")
    escalation_delay_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=24 * 60))
    escalation_steps = fields.Integer(required=True, validate=validate.Range(min=0, max=10))
    urgent_notes = fields.Boolean(load_default=False, metadata={
        "description": "Notes of an urgent situation type (anti-manuel) go to the person on call too."})
    # In turn order; the form's boxes "1st, 2nd…" may leave blanks at the end.
    member_ids = fields.List(fields.String(), required=True, validate=_no_blank_ids)


class RotaPatch(InSchema):
    """Any of the rota's settings; ``version`` (from the last read) turns a concurrent change into a 409."""

    version = fields.Integer(load_default=None)
    name = Text(validate=validate.Length(min=1, max=120))
    rotation = fields.String(validate=validate.OneOf(ROTATIONS))
    starts_on = fields.Date()
    handover_minute = HandoverTime(data_key="handover_time")
    escalation_delay_minutes = fields.Integer(validate=validate.Range(min=1, max=24 * 60))
    escalation_steps = fields.Integer(validate=validate.Range(min=0, max=10))
    urgent_notes = fields.Boolean()
    member_ids = fields.List(fields.String(), validate=_no_blank_ids)


class OncallPersonOut(OutSchema):
    id = fields.UUID()
    name = fields.String()


class OncallShiftOut(OutSchema):
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    user = fields.Nested(OncallPersonOut)
    swapped = fields.Boolean()


class RotaOut(OutSchema):
    id = fields.UUID()
    version = fields.Integer()
    unit_id = fields.UUID()
    name = fields.String()
    rotation = fields.String()
    starts_on = fields.Date()
    handover_time = HandoverTime(attribute="handover_minute")
    escalation_delay_minutes = fields.Integer()
    escalation_steps = fields.Integer()
    urgent_notes = fields.Boolean()
    members = fields.List(fields.Nested(OncallPersonOut), attribute="people")
    on_call = fields.Nested(OncallPersonOut, allow_none=True)
    shifts = fields.List(fields.Nested(OncallShiftOut))


class SwapIn(InSchema):
    shift = fields.AwareDateTime(required=True, metadata={"description": "Start of one's own coming shift."})
    target_id = fields.UUID(required=True)


class SwapOut(OutSchema):
    id = fields.UUID()
    rota_id = fields.UUID()
    status = fields.String()
    requester = fields.Nested(OncallPersonOut)
    target = fields.Nested(OncallPersonOut)
    shift_starts_at = fields.DateTime()
    shift_ends_at = fields.DateTime()
    return_starts_at = fields.DateTime(allow_none=True)
    return_ends_at = fields.DateTime(allow_none=True)


class OverrideIn(InSchema):
    user_id = fields.UUID(required=True)
    starts_at = ParisDateTime(required=True, metadata={"description": "Paris time when no offset is given."})
    ends_at = ParisDateTime(required=True)


class OverrideOut(OutSchema):
    id = fields.UUID()
    user_id = fields.UUID()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()


class AbsenceIn(InSchema):
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class AbsenceOut(OutSchema):
    id = fields.UUID()
    starts_on = fields.Date()
    ends_on = fields.Date()


class OncallFeedOut(OutSchema):
    url = fields.String(allow_none=True)
