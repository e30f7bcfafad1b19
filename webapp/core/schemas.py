"""Base marshmallow schemas: unknown fields are dropped, errors come back as 422 with field messages."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


class Text(fields.String):
    """A string without NUL characters: PostgreSQL text cannot store them, so they are refused (422)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Caractère nul interdit.")
        return text


class InSchema(Schema):
    """Input: fields a client may not set are silently excluded, never applied."""

    class Meta:
        unknown = EXCLUDE


class OutSchema(Schema):
    """Output: explicit field lists only."""


class PageMeta(OutSchema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class PageArgs(InSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ErrorBody(OutSchema):
    code = fields.String(required=True, metadata={"description": "Stable machine code: invalid, conflict, ..."})
    message = fields.String(required=True, metadata={"description": "Shown to the person as is."})
    field_messages = fields.Dict(data_key="fields", required=True,
                                 metadata={"description": "Messages per field (nested like the input)."})
    current = fields.Dict(metadata={"description": "The current state, when the request lost a race (409, 412)."})


class Error(OutSchema):
    """Every error the API answers: ``{"error": {"code", "message", "fields"}}``."""

    error = fields.Nested(ErrorBody, required=True)
