"""What enters and leaves the accounts API."""

from marshmallow import fields, validate

from webapp.core.schemas import InSchema, OutSchema, PageArgs, PageMeta


class UnitOut(OutSchema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.UUID(allow_none=True)


class PersonOut(OutSchema):
    id = fields.UUID()
    email = fields.Email()
    name = fields.String()
    job_title = fields.String(allow_none=True)
    unit = fields.Nested(UnitOut, allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    active = fields.Boolean()


class MeOut(PersonOut):
    language = fields.String()
    roles = fields.List(fields.String())


class PeopleArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=100))


class PeoplePage(OutSchema):
    items = fields.List(fields.Nested(PersonOut))
    meta = fields.Nested(PageMeta)


class PersonIn(InSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=160))
    job_title = fields.String(allow_none=True, validate=validate.Length(max=160))
    language = fields.String(load_default="fr", validate=validate.OneOf(["fr", "en"]))
    unit_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    active = fields.Boolean(load_default=True)
    is_admin = fields.Boolean(load_default=False)


class PersonPatch(InSchema):
    email = fields.Email(validate=validate.Length(max=254))
    name = fields.String(validate=validate.Length(min=1, max=160))
    job_title = fields.String(allow_none=True, validate=validate.Length(max=160))
    language = fields.String(validate=validate.OneOf(["fr", "en"]))
    unit_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    is_admin = fields.Boolean()


class MePatch(InSchema):
    language = fields.String(required=True, validate=validate.OneOf(["fr", "en"]))


# --- HTML forms (read by webapp.core.forms; a blank box is absent, an unchecked box too) -----------------

class PersonForm(PersonIn):
    """The admin's person form: the API's rules, with what an empty box or an unchecked box means."""
    job_title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=160))
    unit_id = fields.UUID(load_default=None, allow_none=True)
    manager_id = fields.UUID(load_default=None, allow_none=True)
    active = fields.Boolean(load_default=False)


class LoginForm(InSchema):
    email = fields.String(load_default="", validate=validate.Length(max=254))
    password = fields.String(load_default="", validate=validate.Length(max=1000))
    remember = fields.Boolean(load_default=False)


class EmailForm(InSchema):
    email = fields.String(load_default="", validate=validate.Length(max=254))


class NewPasswordForm(InSchema):
    password = fields.String(load_default="", validate=validate.Length(max=1000))
    confirm = fields.String(load_default="", validate=validate.Length(max=1000))


class PasswordChangeForm(InSchema):
    current_password = fields.String(load_default="", validate=validate.Length(max=1000))
    new_password = fields.String(load_default="", validate=validate.Length(max=1000))
    confirm = fields.String(load_default="", validate=validate.Length(max=1000))


class LanguageForm(InSchema):
    language = fields.String(load_default="", validate=validate.Length(max=10))  # the service says which


class ImportForm(InSchema):
    create_groups = fields.Boolean(load_default=False)
