"""What enters and leaves the atlas API."""

from marshmallow import fields, validate

from webapp.core.schemas import InSchema, OutSchema, Text


class ThemeOut(OutSchema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()


class ShareArgs(InSchema):
    mandate_id = fields.UUID(required=True)


class ShareOut(OutSchema):
    theme = fields.Function(lambda s: s.theme.slug)
    amount = fields.Decimal(places=2, as_string=True)
    total = fields.Decimal(places=2, as_string=True)
    share = fields.Float()


class ImportIn(InSchema):
    csv = Text(required=True, validate=validate.Length(min=1, max=5_000_000))


class ImportOut(OutSchema):
    imported = fields.Integer()


class LineIn(InSchema):
    mandate_id = fields.UUID(required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2200))
    theme = Text(required=True, validate=validate.Length(min=1, max=160))
    amount = Text(required=True, validate=validate.Length(min=1, max=30))
    functional_code = Text(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{1,6}$"))


class LineOut(OutSchema):
    id = fields.UUID()
    mandate_id = fields.UUID()
    year = fields.Integer()
    theme_id = fields.UUID()
    functional_code = fields.String(allow_none=True)
    amount = fields.Decimal(places=2, as_string=True)
    source = fields.String()


class PosterPatch(InSchema):
    competences = Text(validate=validate.Length(max=4000))
    commission_id = fields.UUID(allow_none=True)


class PosterOut(OutSchema):
    id = fields.UUID()
    theme = fields.Nested(ThemeOut)
    mandate_id = fields.UUID()
    commission_id = fields.UUID(allow_none=True)
    competences = fields.String()
    status = fields.String()
    published_at = fields.DateTime(allow_none=True)
    staff_text = fields.String()


class TextIn(InSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=4000))


class PoliticalCommentOut(OutSchema):
    id = fields.UUID()
    poster_id = fields.UUID()
    group_id = fields.UUID()
    body = fields.String()
    updated_at = fields.DateTime()


class BuildIn(InSchema):
    mandate_id = fields.UUID(required=True)


class BuildOut(OutSchema):
    id = fields.UUID()
    mandate_id = fields.UUID()
    status = fields.String()
    done = fields.Integer()
    total = fields.Integer()
    percent = fields.Integer()
    error = fields.String()


# --- HTML forms of the workbench and the posters (read by webapp.core.forms) ----------------------------

class ImportForm(InSchema):
    """The CSV comes as a file (``request.files``) or, failing that, pasted in ``csv``."""
    mandate_id = fields.UUID(load_default=None)
    csv = Text(load_default="", validate=validate.Length(max=5_000_000))


class LineForm(InSchema):
    mandate_id = fields.UUID(required=True)
    theme = Text(required=True, validate=validate.Length(min=1, max=160))
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2200))
    amount = Text(required=True, validate=validate.Length(min=1, max=30))


class ThemeForm(InSchema):
    name = Text(required=True, validate=validate.Length(min=1, max=160))


class CodeForm(InSchema):
    code = Text(required=True, validate=validate.Length(min=1, max=6))
    theme = Text(required=True, validate=validate.Length(min=1, max=160))
    label = Text(load_default="", validate=validate.Length(max=160))


class MandateForm(InSchema):
    mandate_id = fields.UUID(required=True)


class StaffAddForm(InSchema):
    email = Text(required=True, validate=validate.Length(min=1, max=320))
    organisation = Text(load_default="", validate=validate.Length(max=120))


class StaffRemoveForm(InSchema):
    user_id = fields.UUID(required=True)


class PosterForm(InSchema):
    competences = Text(load_default="", validate=validate.Length(max=4000))
    commission_id = fields.UUID(load_default=None, allow_none=True)


class GroupCommentForm(InSchema):
    group_id = fields.UUID(required=True)
    body = Text(load_default="", validate=validate.Length(max=4000))


class StaffTextForm(InSchema):
    body = Text(load_default="", validate=validate.Length(max=4000))
