"""JSON API for Web Push: the server's public key, this device's subscription, the person's preferences."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core.api import signed_in
from webapp.core.errors import DomainError
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.push import preferences, service, vapid
from webapp.push.models import PushSubscription
from webapp.push.schemas import (
    PushEndpointIn,
    PushPreferences,
    PushSubscriptionIn,
    PushSubscriptionOut,
    VapidKeyOut,
)

blp = Blueprint("push_api", __name__, url_prefix="/api/v1/push", description="Web Push")

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_endpoint(endpoint: str) -> None:
    """The server will POST to this URL: only HTTPS push services (loopback allowed outside production)."""
    parts = urlsplit(endpoint)
    local_ok = current_app.config.get("TANDEM_ENV") != "production" and parts.hostname in LOOPBACK
    if not parts.hostname or (parts.scheme != "https" and not (parts.scheme == "http" and local_ok)):
        raise DomainError(_("Adresse d’abonnement invalide."), {"endpoint": [_("HTTPS requis.")]}, status=422)
    if parts.hostname in LOOPBACK and not local_ok:
        raise DomainError(_("Adresse d’abonnement invalide."), status=422)


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    @blp.response(200, VapidKeyOut)
    def get(self):
        """The applicationServerKey browsers subscribe with (``enabled`` is false when push is not set up)."""
        keys = vapid.load()
        return {"key": keys.public_key if keys else None, "enabled": keys is not None}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @signed_in
    @idempotent
    @blp.arguments(PushSubscriptionIn)
    @blp.response(201, PushSubscriptionOut)
    def post(self, data):
        """Register this device: one subscription per endpoint. A device that changed hands (same endpoint
        and same keys: the browser's own subscription) moves; another person's endpoint is a 409."""
        check_endpoint(data["endpoint"])
        subscription = service.register_subscription(current_user, data["endpoint"], data["keys"]["p256dh"],
                                                     data["keys"]["auth"], data["user_agent"])
        return subscription

    @signed_in
    @idempotent
    @blp.arguments(PushEndpointIn)
    @blp.response(204)
    def delete(self, data):
        """Forget this device's subscription."""
        subscription = db.session.scalar(db.select(PushSubscription).where(
            PushSubscription.endpoint == data["endpoint"], PushSubscription.user_id == current_user.id))
        if subscription is None:
            abort(404)
        db.session.delete(subscription)
        db.session.flush()


@blp.route("/preferences")
class Preferences(MethodView):
    @signed_in
    @blp.response(200, PushPreferences)
    def get(self):
        """Kinds muted and quiet hours (Paris time; none at night, 22h-7h, by default)."""
        return preferences.of(current_user)

    @signed_in
    @idempotent
    @blp.arguments(PushPreferences)
    @blp.response(200, PushPreferences)
    def put(self, data):
        return preferences.save(current_user, **data)
