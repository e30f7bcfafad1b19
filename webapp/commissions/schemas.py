"""What enters and leaves the commissions API."""

from marshmallow import fields, pre_load, validate

from webapp.commissions.models import COMMENT_KINDS, SPACES
from webapp.core.schemas import InSchema, OutSchema, Text

_KINDS = sorted({k for kinds in COMMENT_KINDS.values() for k in kinds})


def _text(limit: int = 4000, **kw):
    kw.setdefault("validate", validate.Length(max=limit))
    return Text(**kw)


class PersonRow(InSchema):
    name = _text(300, required=True)
    role = _text(300, load_default="")
    contact = _text(300, load_default="")


class ChronoRow(InSchema):
    when = _text(300, load_default="")
    what = _text(300, required=True)


class FigureRow(InSchema):
    label = _text(300, required=True)
    value = _text(300, load_default="")
    unit = _text(300, load_default="")
    date = _text(300, load_default="")


class ApercuPatch(InSchema):
    title = _text(200, validate=validate.Length(min=1, max=200))
    commission_id = fields.UUID(allow_none=True)
    problem = _text()
    target_public = _text()
    expected_results = _text()
    obtained_results = _text()
    people = fields.List(fields.Nested(PersonRow), validate=validate.Length(max=20))
    chronology = fields.List(fields.Nested(ChronoRow), validate=validate.Length(max=20))
    key_figures = fields.List(fields.Nested(FigureRow), validate=validate.Length(max=20))
    extra = fields.Dict(keys=Text(validate=validate.Length(max=60)), values=_text(),
                        validate=validate.Length(max=20))


class ApercuIn(ApercuPatch):
    id = fields.UUID()
    title = _text(200, required=True, validate=validate.Length(min=1, max=200))


class ApercuListArgs(InSchema):
    commission_id = fields.UUID(load_default=None)


class ExtraOut(OutSchema):
    key = fields.String()
    label = fields.String()
    value = fields.String()


class ApercuOut(OutSchema):
    id = fields.UUID()
    title = fields.String()
    status = fields.String()
    unit_id = fields.UUID()
    commission_id = fields.UUID(allow_none=True)
    author_id = fields.UUID()
    problem = fields.String()
    target_public = fields.String()
    people = fields.List(fields.Dict())
    chronology = fields.List(fields.Dict())
    key_figures = fields.List(fields.Dict())
    expected_results = fields.String()
    obtained_results = fields.String()
    extra = fields.List(fields.Nested(ExtraOut))
    submitted_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


class CommentIn(InSchema):
    space = Text(required=True, validate=validate.OneOf(SPACES))
    kind = Text(required=True, validate=validate.OneOf(_KINDS))
    body = _text(required=True, validate=validate.Length(min=1, max=4000))
    link_url = _text(300, allow_none=True)
    link_title = _text(200, allow_none=True)


class CommentPatch(InSchema):
    body = _text(required=True, validate=validate.Length(min=1, max=4000))
    kind = Text(validate=validate.OneOf(_KINDS))


class CommentOut(OutSchema):
    id = fields.UUID()
    apercu_id = fields.UUID()
    author_id = fields.UUID()
    author_name = fields.Function(lambda c: c.author.name)
    space = fields.String()
    kind = fields.String()
    body = fields.String()
    link_url = fields.String(allow_none=True)
    link_title = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ScaleIn(InSchema):
    levels = fields.List(_text(60), required=True, validate=validate.Length(min=2, max=7))


class RankingsIn(InSchema):
    # {apercu_id: level index, or null to unrank}
    levels = fields.Dict(keys=Text(validate=validate.Length(max=40)),
                         values=fields.Integer(allow_none=True, validate=validate.Range(min=0, max=6)),
                         required=True, validate=validate.Length(max=200))


class SelectionIn(InSchema):
    group_id = fields.UUID(load_default=None, allow_none=True)
    proud = fields.List(fields.UUID(), required=True, validate=validate.Length(max=3))
    challenges = fields.List(_text(300), required=True, validate=validate.Length(max=3))


class SelectionOut(OutSchema):
    scope = fields.String()
    group_id = fields.UUID(allow_none=True)
    proud = fields.List(fields.String())
    challenges = fields.List(fields.String())


class RankingOut(OutSchema):
    apercu_id = fields.UUID()
    level = fields.Integer()


class SessionOut(OutSchema):
    commission_id = fields.UUID()
    status = fields.String()
    scale = fields.List(fields.String())
    adopted_at = fields.DateTime(allow_none=True)
    rankings = fields.List(fields.Nested(RankingOut))
    selections = fields.List(fields.Nested(SelectionOut))


# --- HTML forms of the bilan session (read by webapp.core.forms) -----------------------------------------

class ScaleForm(InSchema):
    scale = _text(1000, load_default="")  # one level per line


class RankForm(InSchema):
    # One select per project; each option says "apercu_id:level", "apercu_id:" unranks it.
    levels = fields.List(Text(validate=validate.Length(max=50)), load_default=list, validate=validate.Length(max=200))


class SelectionForm(InSchema):
    group_id = Text(load_default="", validate=validate.Length(max=40))
    proud = fields.List(Text(validate=validate.Length(max=40)), load_default=list, validate=validate.Length(max=200))
    challenge = fields.List(_text(300), load_default=list, validate=validate.Length(max=20))


# --- HTML forms of aperçus, spaces, templates and reports --------------------------------------------------

def _column(limit: int = 300):
    return fields.List(_text(limit), load_default=list, validate=validate.Length(max=200))


class ApercuForm(InSchema):
    """The aperçu page. Tables come as columns (``people_name``, ``people_role``…) read row by row; the
    template's own fields as ``extra_<key>`` boxes, gathered into ``extra``."""

    title = _text(200, load_default="")
    commission_id = Text(load_default=None, validate=validate.Length(max=40))
    problem = _text(load_default="")
    target_public = _text(load_default="")
    expected_results = _text(load_default="")
    obtained_results = _text(load_default="")
    people_name, people_role, people_contact = _column(), _column(), _column()
    chrono_when, chrono_what = _column(), _column()
    figure_label, figure_value, figure_unit, figure_date = _column(), _column(), _column(), _column()
    extra = fields.Dict(keys=Text(validate=validate.Length(max=60)), values=_text(), load_default=dict,
                        validate=validate.Length(max=20))

    @pre_load
    def gather_extra(self, data, **kwargs):
        plain = {key: data[key] for key in data if not key.startswith("extra_")}
        plain["extra"] = {key.removeprefix("extra_"): data[key] for key in data if key.startswith("extra_")}
        return plain


class CommentForm(InSchema):
    space = Text(load_default="", validate=validate.Length(max=20))
    kind = Text(load_default="", validate=validate.Length(max=40))
    body = _text(load_default="")
    link_url = _text(300, load_default=None)
    link_title = _text(200, load_default=None)


class CommentEditForm(InSchema):
    body = _text(load_default="")
    kind = Text(load_default=None, validate=validate.Length(max=40))


class TemplateForm(InSchema):
    """The template page: guidance, one ``label_<field>`` box per field of the aperçu, the extra fields."""

    guidance = _text(load_default="")
    labels = fields.Dict(keys=Text(validate=validate.Length(max=60)), values=_text(120), load_default=dict,
                         validate=validate.Length(max=20))
    extra_fields = _text(load_default="")

    @pre_load
    def gather_labels(self, data, **kwargs):
        plain = {key: data[key] for key in data if not key.startswith("label_")}
        plain["labels"] = {key.removeprefix("label_"): data[key] for key in data if key.startswith("label_")}
        return plain


class ReportForm(InSchema):
    title = _text(200, load_default="")
