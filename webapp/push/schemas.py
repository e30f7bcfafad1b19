"""What enters and leaves the push API."""

from marshmallow import ValidationError, fields, validate, validates_schema

from webapp.core.schemas import InSchema, OutSchema


class VapidKeyOut(OutSchema):
    key = fields.String(allow_none=True)
    enabled = fields.Boolean()


class PushKeys(InSchema):
    p256dh = fields.String(required=True, validate=validate.Length(min=80, max=200))
    auth = fields.String(required=True, validate=validate.Length(min=16, max=100))


class PushSubscriptionIn(InSchema):
    """The browser's ``PushSubscription.toJSON()``, plus an optional user agent to name the device."""

    endpoint = fields.String(required=True, validate=validate.Length(min=10, max=1000))
    keys = fields.Nested(PushKeys, required=True)
    user_agent = fields.String(load_default="", validate=validate.Length(max=300))


class PushSubscriptionOut(OutSchema):
    id = fields.UUID()
    endpoint = fields.String()
    created_at = fields.DateTime()


class PushEndpointIn(InSchema):
    endpoint = fields.String(required=True, validate=validate.Length(min=10, max=1000))


class PushPreferences(InSchema):
    muted_kinds = fields.List(fields.String(validate=validate.Length(max=60)), load_default=list)
    quiet_start = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(0, 23))
    quiet_end = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(0, 23))

    @validates_schema
    def _both_or_none(self, data, **kwargs):
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise ValidationError("Indiquez le début et la fin des heures de silence, ou aucun des deux.",
                                  "quiet_end")


class PreferencesForm(InSchema):
    """The notification centre's form: the kinds ticked, and quiet hours when the box is ticked.
    An hour outside the list means no quiet hours (as the page offers only valid ones)."""

    kinds = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list,
                        validate=validate.Length(max=50))
    quiet = fields.Boolean(load_default=False)
    quiet_start = fields.String(load_default="", validate=validate.Length(max=4))
    quiet_end = fields.String(load_default="", validate=validate.Length(max=4))
