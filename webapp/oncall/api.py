"""JSON API of the on-call rotas. Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.accounts.models import OrgUnit
from webapp.core.api import require, signed_in
from webapp.core.clock import utcnow
from webapp.core.errors import register_current
from webapp.core.idempotency import idempotent
from webapp.core.links import public_url
from webapp.extensions import db
from webapp.oncall import policy, service
from webapp.oncall.models import Absence, Rota, Swap
from webapp.oncall.rotation import upcoming, who_is_on_call
from webapp.oncall.schemas import (
    AbsenceIn,
    AbsenceOut,
    OncallFeedOut,
    OverrideIn,
    OverrideOut,
    RotaIn,
    RotaOut,
    RotaPatch,
    SwapIn,
    SwapOut,
)

blp = Blueprint("oncall_api", __name__, url_prefix="/api/v1/oncall", description="Astreinte à distance")


def _load(model, object_id):
    return db.session.get(model, object_id) or abort(404)


def _payload(rota: Rota) -> dict:
    now = utcnow()
    return {**{k: getattr(rota, k) for k in ("id", "version", "unit_id", "name", "rotation", "starts_on",
                                            "handover_minute", "escalation_delay_minutes", "escalation_steps",
                                            "urgent_notes", "people")},
            "on_call": who_is_on_call(rota, now), "shifts": upcoming(rota, now)}


register_current(Rota, lambda rota: RotaOut().dump(_payload(rota)))
register_current(Swap, lambda swap: SwapOut().dump(swap))


@blp.route("/rotas")
class Rotas(MethodView):
    @signed_in
    @blp.response(200, RotaOut(many=True))
    def get(self):
        """The rotas the signed-in person is in or may set, with who is on call now."""
        return [_payload(r) for r in service.rotas_for(current_user)]

    @idempotent
    @signed_in
    @blp.arguments(RotaIn)
    @blp.response(201, RotaOut)
    def post(self, data):
        """Create a rota for a service or direction (its head, or an administrator)."""
        unit = _load(OrgUnit, data.pop("unit_id"))
        require(policy.can_create_rota(current_user, unit))
        return _payload(service.create_rota(current_user, unit, **data))


@blp.route("/rotas/<uuid:rota_id>")
class RotaItem(MethodView):
    @signed_in
    @blp.response(200, RotaOut)
    def get(self, rota_id):
        """One rota: who is on call now, this turn and the next ones."""
        rota = _load(Rota, rota_id)
        require(policy.can_view_rota(current_user, rota))
        return _payload(rota)

    @idempotent
    @signed_in
    @blp.arguments(RotaPatch)
    @blp.response(200, RotaOut)
    def patch(self, data, rota_id):
        """Change the rota (send ``version``: 409 when someone changed it meanwhile)."""
        rota = _load(Rota, rota_id)
        require(policy.can_edit_rota(current_user, rota))
        data.pop("unit_id", None)
        return _payload(service.update_rota(current_user, rota, **data))


@blp.route("/rotas/<uuid:rota_id>/overrides")
class Overrides(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(OverrideIn)
    @blp.response(201, OverrideOut)
    def post(self, data, rota_id):
        """Put someone of the rota on call instead of the turn for a while."""
        rota = _load(Rota, rota_id)
        require(policy.can_edit_rota(current_user, rota))
        return service.add_override(current_user, rota, data["user_id"], data["starts_at"], data["ends_at"])


@blp.route("/rotas/<uuid:rota_id>/swaps")
class Swaps(MethodView):
    @signed_in
    @blp.response(200, SwapOut(many=True))
    def get(self, rota_id):
        """The swaps waiting for an answer."""
        rota = _load(Rota, rota_id)
        require(policy.can_view_rota(current_user, rota))
        return service.pending_swaps(rota)

    @idempotent
    @signed_in
    @blp.arguments(SwapIn)
    @blp.response(201, SwapOut)
    def post(self, data, rota_id):
        """Ask another member to take one of one's coming shifts (and take theirs in return)."""
        rota = _load(Rota, rota_id)
        require(policy.can_ask_swap(current_user, rota))
        return service.ask_swap(current_user, rota, data["shift"], data["target_id"])


@blp.route("/swaps/<uuid:swap_id>/accept")
class SwapAccept(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, SwapOut)
    def post(self, swap_id):
        """Accept a swap asked of oneself; once only (409 with its state afterwards)."""
        swap = _load(Swap, swap_id)
        require(policy.can_answer_swap(current_user, swap))
        return service.accept_swap(current_user, swap)


@blp.route("/swaps/<uuid:swap_id>/decline")
class SwapDecline(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, SwapOut)
    def post(self, swap_id):
        """Decline a swap asked of oneself."""
        swap = _load(Swap, swap_id)
        require(policy.can_answer_swap(current_user, swap))
        return service.decline_swap(current_user, swap)


@blp.route("/swaps/<uuid:swap_id>/cancel")
class SwapCancel(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, SwapOut)
    def post(self, swap_id):
        """Withdraw one's own swap request while it waits for an answer (409 once answered)."""
        swap = _load(Swap, swap_id)
        require(policy.can_cancel_swap(current_user, swap))
        return service.cancel_swap(current_user, swap)


@blp.route("/absences")
class Absences(MethodView):
    @signed_in
    @blp.response(200, AbsenceOut(many=True))
    def get(self):
        """One's coming absences (their turns go to the next person)."""
        return service.absences_of(current_user, utcnow().date())

    @idempotent
    @signed_in
    @blp.arguments(AbsenceIn)
    @blp.response(201, AbsenceOut)
    def post(self, data):
        """Declare an absence, first and last day included."""
        return service.add_absence(current_user, data["starts_on"], data["ends_on"])


@blp.route("/absences/<uuid:absence_id>")
class AbsenceItem(MethodView):
    @idempotent
    @signed_in
    @blp.response(204)
    def delete(self, absence_id):
        """Remove one of one's absences."""
        service.remove_absence(current_user, _load(Absence, absence_id))


def _feed(item) -> dict:
    return {"url": public_url("oncall.feed", token=item.token) if item else None}


@blp.route("/feed")
class Feed(MethodView):
    @signed_in
    @blp.response(200, OncallFeedOut)
    def get(self):
        """The secret link of one's shifts calendar (``url`` null when none)."""
        return _feed(service.feed_token(current_user))

    @signed_in
    @blp.response(201, OncallFeedOut)
    def post(self):
        """Make a new secret link; the previous one stops working."""
        return _feed(service.renew_feed_token(current_user))

    @signed_in
    @blp.response(204)
    def delete(self):
        """Revoke the link."""
        service.revoke_feed_token(current_user)
