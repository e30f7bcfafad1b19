"""Base marshmallow schemas: unknown fields are dropped, errors come back as 422 with field messages."""

from marshmallow import EXCLUDE, Schema, fields, validate


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
