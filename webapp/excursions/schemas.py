"""What enters and leaves the excursions API."""

import re

from flask_babel import lazy_gettext as _l
from marshmallow import fields, pre_load, validate

from webapp.core.schemas import InSchema, OutSchema, PageArgs, PageMeta
from webapp.excursions.models import ITEM_KINDS
from webapp.excursions.service import MAX_DURATION_MINUTES

BATCH_MAX = 500
SHA256 = validate.Regexp(r"^[0-9a-fA-F]{64}$", error="Empreinte SHA-256 attendue (64 caractères hexadécimaux).")


class ExcPersonRef(OutSchema):
    id = fields.UUID()
    name = fields.String()


class ExcPlaceIn(InSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(load_default="", validate=validate.Length(max=300))
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))


class ExcPersonIn(InSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(load_default="", validate=validate.Length(max=200))


class ExcursionIn(InSchema):
    id = fields.UUID(load_default=None)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    dossier = fields.String(load_default="", validate=validate.Length(max=5000))
    elu_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=20))
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer(load_default=120, validate=validate.Range(15, MAX_DURATION_MINUTES))
    places = fields.List(fields.Nested(ExcPlaceIn), load_default=list, validate=validate.Length(max=30))
    people = fields.List(fields.Nested(ExcPersonIn), load_default=list, validate=validate.Length(max=50))
    questions = fields.List(fields.String(validate=validate.Length(max=1000)), load_default=list,
                            validate=validate.Length(max=50))
    checklist = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list,
                            validate=validate.Length(max=30))
    consent_text = fields.String(load_default="", validate=validate.Length(max=5000))


class ExcursionPatch(InSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    dossier = fields.String(validate=validate.Length(max=5000))
    elu_ids = fields.List(fields.UUID(), validate=validate.Length(min=1, max=20))
    starts_at = fields.AwareDateTime()
    duration_minutes = fields.Integer(validate=validate.Range(15, MAX_DURATION_MINUTES))
    places = fields.List(fields.Nested(ExcPlaceIn), validate=validate.Length(max=30))
    people = fields.List(fields.Nested(ExcPersonIn), validate=validate.Length(max=50))
    questions = fields.List(fields.String(validate=validate.Length(max=1000)), validate=validate.Length(max=50))
    checklist = fields.List(fields.String(validate=validate.Length(max=200)), validate=validate.Length(max=30))
    consent_text = fields.String(validate=validate.Length(max=5000))


class ExcPlaceOut(OutSchema):
    id = fields.UUID()
    name = fields.String()
    address = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class ExcPersonOut(OutSchema):
    id = fields.UUID()
    name = fields.String()
    role = fields.String()


class ExcQuestionOut(OutSchema):
    id = fields.UUID()
    text = fields.String()


class ExcParticipantOut(OutSchema):
    user = fields.Nested(ExcPersonRef)
    acknowledged_at = fields.AwareDateTime(allow_none=True)


class ExcMediaIn(InSchema):
    id = fields.UUID(required=True)
    content_type = fields.String(required=True, validate=validate.Length(min=3, max=100))
    size = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    sha256 = fields.String(required=True, validate=SHA256)


def _received(media) -> int:
    from webapp.excursions.media import received_bytes

    return media["received"] if isinstance(media, dict) else received_bytes(media)


class ExcMediaOut(OutSchema):
    id = fields.UUID()
    content_type = fields.String()
    size = fields.Integer()
    received = fields.Function(_received)
    sha256 = fields.String()
    complete = fields.Boolean()


class ExcBundlePartOut(OutSchema):
    id = fields.String()
    status = fields.Integer()
    complete = fields.Boolean()
    received = fields.Integer()
    error = fields.String(allow_none=True)


class ExcBundleOut(OutSchema):
    results = fields.List(fields.Nested(ExcBundlePartOut))


class ExcItemIn(InSchema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    captured_at = fields.AwareDateTime(required=True)
    text = fields.String(load_default="", validate=validate.Length(max=20_000))
    question_id = fields.UUID(load_default=None, allow_none=True)
    person_name = fields.String(load_default="", validate=validate.Length(max=200))
    consent_given = fields.Boolean(load_default=None, allow_none=True)
    tags = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list,
                       validate=validate.Length(max=10))
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    accuracy = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, 1e7))
    media = fields.Nested(ExcMediaIn, load_default=None, allow_none=True)


class ExcItemOut(OutSchema):
    id = fields.UUID()
    kind = fields.String()
    author = fields.Nested(ExcPersonRef)
    text = fields.String()
    question_id = fields.UUID(allow_none=True)
    person_name = fields.String()
    consent_given = fields.Boolean(allow_none=True)
    tags = fields.List(fields.String())
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    captured_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime()
    media = fields.Nested(ExcMediaOut, allow_none=True)
    synced = fields.Function(lambda item: item.media is None or item.media.complete)


class ExcursionOut(OutSchema):
    id = fields.UUID()
    title = fields.String()
    dossier = fields.String()
    status = fields.String()
    organiser = fields.Nested(ExcPersonRef)
    starts_at = fields.AwareDateTime()
    duration_minutes = fields.Integer()
    participants = fields.List(fields.Nested(ExcParticipantOut))
    places = fields.List(fields.Nested(ExcPlaceOut))
    people = fields.List(fields.Nested(ExcPersonOut))
    questions = fields.List(fields.Nested(ExcQuestionOut))
    checklist = fields.List(fields.String())
    consent_text = fields.String()
    missing_media = fields.Function(lambda e: sum(1 for i in e.items if i.media is not None and not i.media.complete))


class ExcItemBatchIn(InSchema):
    # Each item is validated on its own, so one bad capture does not refuse the others.
    items = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=BATCH_MAX))


class ExcItemResult(OutSchema):
    # Only what the phone needs to update its list: hundreds of full items would weigh on a slow network.
    id = fields.String()
    status = fields.Integer()
    outcome = fields.String(validate=validate.OneOf(["stored", "replayed", "refused"]))
    error = fields.Dict(allow_none=True)
    media_id = fields.String(allow_none=True)
    media_complete = fields.Boolean()


class ExcItemBatchOut(OutSchema):
    results = fields.List(fields.Nested(ExcItemResult))


class ExcursionPage(OutSchema):
    items = fields.List(fields.Nested(ExcursionOut))
    meta = fields.Nested(PageMeta)


class ExcItemList(OutSchema):
    items = fields.List(fields.Nested(ExcItemOut))


class ExcChunkArgs(InSchema):
    offset = fields.Integer(load_default=None, validate=validate.Range(min=0, max=2**31 - 1))


class ExcBilanIn(InSchema):
    text = fields.String(load_default="", validate=validate.Length(max=100_000))
    surprises = fields.String(load_default="", validate=validate.Length(max=50_000))


class ExcBilanOut(OutSchema):
    text = fields.String(attribute="bilan_text")
    surprises = fields.String(attribute="bilan_surprises")
    revision = fields.Integer(attribute="bilan_revision")
    updated_at = fields.AwareDateTime(attribute="bilan_updated_at", allow_none=True)
    updated_by = fields.Nested(ExcPersonRef, attribute="bilan_updated_by", allow_none=True)


class ExcursionListArgs(PageArgs):
    pass


class ExcQuotaRowOut(OutSchema):
    user = fields.Nested(ExcPersonRef)
    responsibilities = fields.Boolean()
    done = fields.Integer()
    last_done = fields.Date(allow_none=True)
    due = fields.Date(allow_none=True)
    status = fields.String()


class ExcQuotaList(OutSchema):
    items = fields.List(fields.Nested(ExcQuotaRowOut))


# --- HTML forms (read by webapp.core.forms) --------------------------------------------------------------

_ROW = re.compile(r"^(place|person)-(\d+)-(\w+)$")


class Coordinate(fields.Float):
    """A latitude or longitude as typed in France: a decimal comma is a decimal point."""

    default_error_messages = {"invalid": _l("Coordonnée invalide.")}

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(str(value).replace(",", "."), attr, data, **kwargs)


class PlaceRow(InSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(load_default="", validate=validate.Length(max=300))
    latitude = Coordinate(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = Coordinate(load_default=None, allow_none=True, validate=validate.Range(-180, 180))


class PreparationForm(InSchema):
    """The preparation page. Places and people come as numbered boxes (``place-0-name``…): every row
    typed is kept, however many the page grew to; beyond the API's limits the form is refused, never cut."""

    title = fields.String(load_default="", validate=validate.Length(max=200))
    dossier = fields.String(load_default="", validate=validate.Length(max=5000))
    elu_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    day = fields.Date(load_default=None)
    time = fields.Time(load_default=None)
    duration_minutes = fields.Integer(load_default=120)
    places = fields.List(fields.Nested(PlaceRow), load_default=list,
                         validate=validate.Length(max=30, error=_l("30 lieux au plus.")))
    people = fields.List(fields.Nested(ExcPersonIn), load_default=list,
                         validate=validate.Length(max=50, error=_l("50 personnes au plus.")))
    questions = fields.String(load_default="", validate=validate.Length(max=50_000))
    checklist = fields.String(load_default="", validate=validate.Length(max=10_000))
    consent_text = fields.String(load_default="", validate=validate.Length(max=5000))

    @pre_load
    def gather_rows(self, data, **kwargs):
        """``place-3-name`` boxes to ``places[…]["name"]``, in the page's order; a row without a name is empty."""
        rows: dict[str, dict[int, dict]] = {"place": {}, "person": {}}
        plain = {}
        for key in data:
            match = _ROW.match(key)
            if match:
                kind, index, name = match.groups()
                rows[kind].setdefault(int(index), {})[name] = data[key]
            else:
                plain[key] = data[key]
        for kind, target in (("place", "places"), ("person", "people")):
            plain[target] = [row for _, row in sorted(rows[kind].items()) if row.get("name", "").strip()]
        return plain


class BilanForm(InSchema):
    text = fields.String(load_default="", validate=validate.Length(max=50_000))
    surprises = fields.String(load_default="", validate=validate.Length(max=50_000))
    etag = fields.String(load_default=None, validate=validate.Length(max=200))


class AttachForm(InSchema):
    """The note or dossier the mini-bilan is joined to (an unknown one is a 404, not a form error)."""
    note_id = fields.String(load_default="", validate=validate.Length(max=40))
    apercu_id = fields.String(load_default="", validate=validate.Length(max=40))
