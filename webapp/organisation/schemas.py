"""What enters and leaves the organisation, for the JSON API and the HTML forms alike (core.forms)."""

from marshmallow import ValidationError, fields, validate, validates

from webapp.core.schemas import InSchema, OutSchema, Text
from webapp.forum.models import INTEREST_CATEGORIES
from webapp.forum.schemas import OptionalTime
from webapp.organisation.models import BODY_KINDS, FUNCTION_TYPES, POST_ROLES


class BodyIn(InSchema):
    kind = fields.String(required=True, validate=validate.OneOf(BODY_KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    theme = Text(load_default="", validate=validate.Length(max=200))
    conflict_categories = Text(load_default="", validate=validate.Length(max=200))

    @validates("conflict_categories")
    def _known(self, value, **kwargs):
        unknown = [c for c in value.split(",") if c.strip() and c.strip() not in INTEREST_CATEGORIES]
        if unknown:
            raise ValidationError("Catégorie inconnue.")


class BodyForm(BodyIn):
    """The page's body form: one box per conflicting category."""

    conflict_category = fields.List(fields.String(validate=validate.OneOf(INTEREST_CATEGORIES)), load_default=list)


class PostIn(InSchema):
    role = fields.String(required=True, validate=validate.OneOf(POST_ROLES))
    seats = fields.Integer(load_default=1, validate=validate.Range(min=1, max=200))
    function_type = fields.String(required=True, validate=validate.OneOf(FUNCTION_TYPES))
    hours_per_month = fields.Float(load_default=0, validate=validate.Range(min=0, max=300), allow_nan=False)
    weekday = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=6))
    nth_week = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))
    starts_at = OptionalTime()
    ends_at = OptionalTime()
    conditions = Text(load_default="", validate=validate.Length(max=2000))
    # The services the post delegates (a vice-president's): notes from them go to its holder once adopted.
    unit_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=50))


class PostPatch(InSchema):
    """Only the fields sent are changed."""

    seats = fields.Integer(validate=validate.Range(min=1, max=200))
    hours_per_month = fields.Float(validate=validate.Range(min=0, max=300), allow_nan=False)
    weekday = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=6))
    nth_week = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=5))
    starts_at = fields.Time(allow_none=True)
    ends_at = fields.Time(allow_none=True)
    conditions = Text(validate=validate.Length(max=2000))
    unit_ids = fields.List(fields.UUID(), validate=validate.Length(max=50))


class PublicationIn(InSchema):
    publish_at = fields.DateTime(required=True)  # without an offset: Paris time, as a form gives it


class CoordinatorIn(InSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class PostOut(OutSchema):
    id = fields.UUID()
    role = fields.String()
    seats = fields.Integer()
    function_type = fields.String()
    hours_per_month = fields.Float()
    weekday = fields.Integer(allow_none=True)
    nth_week = fields.Integer(allow_none=True)
    starts_at = fields.Time(allow_none=True)
    ends_at = fields.Time(allow_none=True)
    conditions = fields.String()
    unit_ids = fields.Method("_unit_ids", metadata={"type": "array", "items": {"type": "string",
                                                                                "format": "uuid"}})

    def _unit_ids(self, post) -> list[str]:
        return [str(unit.id) for unit in post.units]


class BodyOut(OutSchema):
    id = fields.UUID()
    kind = fields.String()
    name = fields.String()
    theme = fields.String()
    conflict_categories = fields.String()
    posts = fields.List(fields.Nested(PostOut))


class OrganisationOut(OutSchema):
    mandate = fields.String()
    published = fields.Boolean()
    publish_at = fields.DateTime(allow_none=True)
    bodies = fields.List(fields.Nested(BodyOut))
