"""What enters and leaves the wishes, for the JSON API and the HTML forms alike (core.forms)."""

from marshmallow import fields, validate

from webapp.core.schemas import InSchema, OutSchema, Text


class WishIn(InSchema):
    post_id = fields.UUID(required=True)
    justification = Text(required=True, validate=validate.Length(min=1, max=2000))


class WishPatch(InSchema):
    justification = Text(validate=validate.Length(min=1, max=2000))
    alert_answer = Text(validate=validate.Length(max=2000))


class MoveIn(InSchema):
    step = fields.Integer(required=True, validate=validate.OneOf((-1, 1)))


class AvailabilityIn(InSchema):
    hours_per_month = fields.Integer(required=True, validate=validate.Range(min=0, max=400))
    # Indemnities received for other mandates, € gross a month (the 1.5 × cap's check).
    # (A float in the document: a decimal field would give its bounds as strings, which is not a schema.)
    other_indemnities = fields.Float(validate=validate.Range(min=0, max=100000))


class AlertOut(OutSchema):
    kind = fields.String()
    message = fields.String()


class WishOut(OutSchema):
    id = fields.UUID()
    post_id = fields.UUID()
    rank = fields.Integer()
    justification = fields.String()
    alert_answer = fields.String()
    alerts = fields.List(fields.Nested(AlertOut))


class GaugeOut(OutSchema):
    by_type = fields.Dict(keys=fields.String(), values=fields.Float())
    used = fields.Float()
    available = fields.Integer()
    over = fields.Boolean()


class CapOut(OutSchema):
    level = fields.String()
    representations = fields.Integer()
    limit = fields.Integer()
    over = fields.Boolean()


class SimulationOut(OutSchema):
    level = fields.String()
    permanent_commission = fields.Boolean()
    # Exact decimals written as strings ("2466.31"), so that no float rounding creeps into euros.
    ceiling = fields.String()
    modulation = fields.String()
    amount = fields.String()
    other_indemnities = fields.String()
    total = fields.String()
    parliamentary_limit = fields.String(allow_none=True)
    over_parliamentary_cap = fields.Boolean()


class WishesOut(OutSchema):
    wishes = fields.List(fields.Nested(WishOut))
    gauge = fields.Nested(GaugeOut)
    cap = fields.Nested(CapOut)
    simulation = fields.Nested(SimulationOut)


class ProposeIn(InSchema):
    proportional = fields.Boolean(load_default=False)


class AssignIn(InSchema):
    elu_id = fields.UUID(required=True)
    post_id = fields.UUID(required=True)


class VoteIn(InSchema):
    mode = fields.String(required=True, validate=validate.OneOf(("vote", "single_list")))
    votes_for = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))
    votes_against = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))
    abstentions = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))
    by_group = Text(load_default="", validate=validate.Length(max=2000))


class ElectionIn(InSchema):
    election_on = fields.Date(required=True)


class WeekIn(InSchema):
    """Steps to move, without an offset: Paris time, as a form gives it."""

    forum_at = fields.DateTime()
    organisation_at = fields.DateTime()
    wishes_close_at = fields.DateTime()
    proposal_at = fields.DateTime()
    plenary_at = fields.DateTime()


ROLE_CODES = ("president", "vice_president", "commission_president", "member", "titulaire", "suppleant",
              "representative")


class CumulRuleIn(InSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("declared", "exclusive", "max")))
    role = fields.String(required=True, validate=validate.OneOf(ROLE_CODES))
    other_role = fields.String(load_default="", validate=validate.OneOf(("", *ROLE_CODES)))
    body_kind = fields.String(load_default="", validate=validate.OneOf(
        ("", "permanent_commission", "thematic_commission", "statutory_commission", "external_body")))
    limit = fields.Integer(load_default=None, validate=validate.Range(min=0, max=50))
    interest_role = Text(load_default="", validate=validate.Length(max=200))
    interest_organisation = Text(load_default="", validate=validate.Length(max=200))
    label = Text(required=True, validate=validate.Length(min=1, max=500))
    source = Text(required=True, validate=validate.Length(min=1, max=300))


class RuleToggleIn(InSchema):
    label = Text(required=True, validate=validate.Length(min=1, max=500))
    active = fields.Boolean(load_default=False)


def _percent(**kw):
    return fields.Decimal(places=2, validate=validate.Range(min=0, max=300), **kw)


class ScaleIn(InSchema):
    """A new version of the scale and caps; rates as percentages (60 for 60 %); absent fields keep the
    value in force."""

    reference = fields.Decimal(places=2, validate=validate.Range(min=0, max=100000))
    conseiller_rate = _percent()
    permanent_commission_bonus = _percent()
    vice_president_bonus = _percent()
    president_rate = _percent()
    parliamentary_base = fields.Decimal(places=2, validate=validate.Range(min=0, max=100000))
    cap_conseiller = fields.Integer(validate=validate.Range(min=0, max=50))
    cap_commission_president = fields.Integer(validate=validate.Range(min=0, max=50))
    cap_vice_president = fields.Integer(validate=validate.Range(min=0, max=50))
    cap_president = fields.Integer(validate=validate.Range(min=0, max=50))
    source = Text(required=True, validate=validate.Length(min=1, max=300))
    in_force_since = fields.Date(required=True)


class CandidateOut(OutSchema):
    elu_id = fields.UUID()
    name = fields.String()
    group = fields.String()
    rank = fields.Integer()
    justification = fields.String()
    alert_answer = fields.String()
    alerts = fields.List(fields.Nested(AlertOut))
    assigned = fields.Boolean()
    by_hand = fields.Boolean()
    why_not = fields.String()


class HolderOut(OutSchema):
    elu_id = fields.UUID()
    name = fields.String()
    source = fields.String()


class BoardPostOut(OutSchema):
    post_id = fields.UUID()
    label = fields.String()
    seats = fields.Integer()
    candidates = fields.List(fields.Nested(CandidateOut))
    holders = fields.List(fields.Nested(HolderOut))


class BoardBodyOut(OutSchema):
    body_id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    posts = fields.List(fields.Nested(BoardPostOut))


class BoardOut(OutSchema):
    proportional = fields.Boolean()
    published_at = fields.DateTime(allow_none=True)
    total = fields.String()
    envelope = fields.String()
    bodies = fields.List(fields.Nested(BoardBodyOut))


class VoteOut(OutSchema):
    id = fields.UUID()
    mode = fields.String()
    votes_for = fields.Integer()
    votes_against = fields.Integer()
    abstentions = fields.Integer()
    by_group = fields.String()
    adopted = fields.Boolean()
    recorded_at = fields.DateTime()


class VotesOut(OutSchema):
    proposal_published = fields.Boolean()
    adopted = fields.Boolean()
    votes = fields.List(fields.Nested(VoteOut))


class StepOut(OutSchema):
    key = fields.String()
    label = fields.String()
    at = fields.DateTime()
    past = fields.Boolean()
    done = fields.String()


class WeekOut(OutSchema):
    election_on = fields.Date(allow_none=True)
    steps = fields.List(fields.Nested(StepOut))


class RemarkIn(InSchema):
    """A question or an objection on the published proposal, about one post or (no post) the whole."""

    kind = fields.String(required=True, validate=validate.OneOf(("question", "objection")))
    text = Text(required=True, validate=validate.Length(min=1, max=2000))
    post_id = fields.UUID(allow_none=True)


class RemarkOut(OutSchema):
    id = fields.UUID()
    kind = fields.String()
    text = fields.String()
    post_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime()
