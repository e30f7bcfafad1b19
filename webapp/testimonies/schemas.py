"""What enters and leaves the testimonies' API and forms, and the open data's shape (also the schema a
neighbour's open data must pass before it is kept)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from webapp.core.schemas import InSchema, OutSchema

SHA256 = validate.Regexp(r"^[0-9a-fA-F]{64}$", error="Empreinte SHA-256 attendue (64 caractères hexadécimaux).")


class FileIn(InSchema):
    id = fields.UUID(required=True)
    content_type = fields.String(required=True, validate=validate.Length(min=3, max=100))
    size = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    sha256 = fields.String(required=True, validate=SHA256)


class TestimonyIn(InSchema):
    id = fields.UUID(required=True)
    body_id = fields.UUID(required=True)
    speaker_name = fields.String(required=True, validate=validate.Length(min=1, max=160))
    speaker_role = fields.String(load_default="", validate=validate.Length(max=200))
    speaker_organisation = fields.String(load_default="", validate=validate.Length(max=200))
    recorded_on = fields.Date(required=True)
    consent_given = fields.Boolean(required=True)
    consent_name = fields.String(required=True, validate=validate.Length(min=1, max=160))
    consent_text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    video = fields.Nested(FileIn, required=True)
    poster = fields.Nested(FileIn, load_default=None, allow_none=True)


class FileOut(OutSchema):
    id = fields.UUID()
    content_type = fields.String()
    size = fields.Integer()
    received = fields.Integer()
    sha256 = fields.String()
    complete = fields.Boolean()


class TestimonyOut(OutSchema):
    id = fields.UUID()
    body_id = fields.UUID()
    speaker_name = fields.String()
    status = fields.String()
    files = fields.List(fields.Nested(FileOut))


class ChunkArgs(InSchema):
    offset = fields.Integer(load_default=None, validate=validate.Range(min=0, max=2**31 - 1))


# --- HTML forms ---------------------------------------------------------------------------------------------

class CueForm(InSchema):
    start = fields.String(required=True, validate=validate.Length(max=20))
    end = fields.String(required=True, validate=validate.Length(max=20))
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))


class TranscriptForm(InSchema):
    transcript = fields.String(load_default="", validate=validate.Length(max=50_000))


class SummaryForm(InSchema):
    summary = fields.String(load_default="", validate=validate.Length(max=2000))


class NeighbourForm(InSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    base_url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                          validate=validate.Length(max=300))


# --- open data (ours, and what a neighbour must send) -----------------------------------------------------------

class _Open(Schema):
    class Meta:
        unknown = EXCLUDE


class OpenTestimony(_Open):
    id = fields.String(required=True, validate=validate.Length(max=64))
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    body = fields.String(required=True, validate=validate.Length(max=200))
    body_kind = fields.String(load_default="", validate=validate.Length(max=100))
    theme = fields.String(load_default="", validate=validate.Length(max=200))
    speaker_name = fields.String(required=True, validate=validate.Length(max=160))
    speaker_role = fields.String(load_default="", validate=validate.Length(max=200))
    speaker_organisation = fields.String(load_default="", validate=validate.Length(max=200))
    recorded_on = fields.Date(required=True)
    video = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    captions = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    poster = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False)
    transcript = fields.String(load_default="", validate=validate.Length(max=50_000))


class OpenData(_Open):
    authority = fields.String(required=True, validate=validate.Length(max=200))
    site = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    license = fields.String(required=True, validate=validate.Length(max=200))
    testimonies = fields.List(fields.Nested(OpenTestimony), required=True, validate=validate.Length(max=1000))
