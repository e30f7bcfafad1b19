"""JSON API of excursions pratiques: preparation, evidence sync (items by client UUID, media in resumable
chunks checked by SHA-256), mini-bilan with ETag/If-Match, quotas. Thin handlers: load (404), ask the
policy (403), call the service."""

from __future__ import annotations

from functools import cache

from flask import abort, jsonify, request, send_file
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from webapp.core.api import require, signed_in
from webapp.core.errors import register_current
from webapp.core.idempotency import idempotent
from webapp.core.inputs import check_item, per_item
from webapp.core.pagination import paginate
from webapp.excursions import media as media_store
from webapp.excursions import policy, quotas, service
from webapp.excursions.models import EvidenceItem, Excursion, Media
from webapp.excursions.schemas import (
    ExcBilanIn,
    ExcBilanOut,
    ExcBundleOut,
    ExcChunkArgs,
    ExcItemBatchIn,
    ExcItemBatchOut,
    ExcItemIn,
    ExcItemList,
    ExcItemOut,
    ExcMediaOut,
    ExcQuotaList,
    ExcursionIn,
    ExcursionListArgs,
    ExcursionOut,
    ExcursionPage,
    ExcursionPatch,
)
from webapp.extensions import db

blp = Blueprint("excursions_api", __name__, url_prefix="/api/v1/excursions", description="Excursions pratiques")
register_current(Excursion, lambda excursion: ExcursionOut().dump(excursion))


def _load(excursion_id) -> Excursion:
    excursion = service.get_excursion(excursion_id)
    if excursion is None:
        abort(404)
    require(policy.can_view(current_user, excursion))
    return excursion


def _media_query(*where, lock: bool = False):
    """Media with their item, excursion and participants (what the policy asks about), in one round.

    Locked while bytes are written, so two uploads of the same file cannot interleave."""
    stmt = db.select(Media).where(*where).options(
        joinedload(Media.item, innerjoin=True).joinedload(EvidenceItem.excursion, innerjoin=True)
        .selectinload(Excursion.participants))
    return stmt.with_for_update(of=Media) if lock else stmt


@cache
def _one_media(lock: bool):
    """``_media_query`` of one media by id, built once per process: every chunk of an upload runs it."""
    return _media_query(Media.id == db.bindparam("media", type_=Media.id.type), lock=lock)


def _load_media(media_id, lock: bool = False) -> Media:
    media = db.session.scalar(_one_media(lock), {"media": media_id})
    if media is None:
        abort(404)
    require(policy.can_view_media(current_user, media.item.excursion))
    return media


@blp.route("")
class Excursions(MethodView):
    @signed_in
    @blp.arguments(ExcursionListArgs, location="query")
    @blp.response(200, ExcursionPage)
    def get(self, args):
        """The excursions the person organises, takes part in, or whose members they manage."""
        page = paginate(service.visible_query(current_user), args["page"], args["per_page"])
        return {"items": page.items, "meta": page.as_meta()}

    @idempotent
    @signed_in
    @blp.arguments(ExcursionIn)
    @blp.response(201, ExcursionOut)
    def post(self, data):
        """Prepare an excursion; its élus are invited (never the cabinet)."""
        require(policy.can_create(current_user))
        return service.create_excursion(current_user, **data)


@blp.route("/compliance")
class Compliance(MethodView):
    @signed_in
    @blp.response(200, ExcQuotaList)
    def get(self):
        """Quota state of every élu of the current mandate (assemblies service)."""
        require(policy.can_view_compliance(current_user))
        return {"items": quotas.compliance()}


@blp.route("/<uuid:excursion_id>")
class ExcursionItem(MethodView):
    @signed_in
    @blp.response(200, ExcursionOut)
    def get(self, excursion_id):
        return _load(excursion_id)

    @idempotent
    @signed_in
    @blp.arguments(ExcursionPatch)
    @blp.response(200, ExcursionOut)
    def patch(self, data, excursion_id):
        """Change the preparation (organiser, before the visit is marked done)."""
        excursion = _load(excursion_id)
        require(policy.can_edit_preparation(current_user, excursion))
        return service.update_preparation(current_user, excursion, **data)


@blp.route("/<uuid:excursion_id>/acknowledge")
class Acknowledge(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, ExcursionOut)
    def post(self, excursion_id):
        """The élu accepts the observer role (observe, ask; not represent)."""
        excursion = _load(excursion_id)
        require(policy.can_acknowledge(current_user, excursion))
        service.acknowledge(current_user, excursion)
        return excursion


@blp.route("/<uuid:excursion_id>/done")
class Done(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, ExcursionOut)
    def post(self, excursion_id):
        """Record that the visit took place (it then counts for the quotas)."""
        excursion = _load(excursion_id)
        require(policy.is_organiser(current_user, excursion))
        return service.mark_done(current_user, excursion)


@blp.route("/<uuid:excursion_id>/cancel")
class Cancel(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, ExcursionOut)
    def post(self, excursion_id):
        """Call the visit off (organiser, before it is marked done); the élus are told."""
        excursion = _load(excursion_id)
        require(policy.is_organiser(current_user, excursion))
        return service.cancel(current_user, excursion)


@blp.route("/<uuid:excursion_id>/items")
class Items(MethodView):
    @signed_in
    @blp.response(200, ExcItemList)
    def get(self, excursion_id):
        """Every capture, oldest first, each with the state of its attachment."""
        return {"items": _load(excursion_id).items}

    @idempotent
    @signed_in
    @blp.arguments(ExcItemIn)
    @blp.response(201, ExcItemOut)
    @blp.alt_response(200, schema=ExcItemOut, description="Already received under this id: unchanged.")
    def post(self, data, excursion_id):
        """Record one capture under its client UUID (the same UUID again changes nothing)."""
        excursion = _load(excursion_id)
        require(policy.can_capture(current_user, excursion))
        item, created = service.add_item(current_user, excursion, **data)
        return item, 201 if created else 200


@blp.route("/<uuid:excursion_id>/items/batch")
class ItemBatch(MethodView):
    @per_item("items")
    @idempotent
    @signed_in
    @blp.arguments(ExcItemBatchIn)
    @blp.response(200, ExcItemBatchOut)
    def post(self, data, excursion_id):
        """Record many captures at once (a phone back online); one answer per item, by client UUID:
        ``stored`` (201), ``replayed`` (200, already received) or ``refused`` (4xx, with its reason)."""
        excursion = _load(excursion_id)
        require(policy.can_capture(current_user, excursion))
        load = check_item(ExcItemIn().load)
        return {"results": service.add_items(current_user, excursion, data["items"], load)}


@blp.route("/media/<uuid:media_id>")
class MediaUpload(MethodView):
    @signed_in
    @blp.response(200, ExcMediaOut)
    def get(self, media_id):
        """How many bytes the server holds (``Upload-Offset``) and whether the file is verified."""
        return media_store.upload_response(_load_media(media_id), ExcMediaOut())

    @idempotent
    @signed_in
    @blp.arguments(ExcChunkArgs, location="query")
    @blp.response(200, ExcMediaOut)
    def put(self, args, media_id):
        """Append raw bytes at the offset the server holds; the last chunk triggers the SHA-256 check."""
        media = _load_media(media_id, lock=True)
        require(policy.can_capture(current_user, media.item.excursion))
        return media_store.receive_chunk(media, media_store.chunk_offset(args.get("offset")), ExcMediaOut())


@blp.route("/media/bundle")
class MediaBundle(MethodView):
    @signed_in
    @blp.response(200, ExcBundleOut)
    def post(self):
        """Several whole small files in one body, in the order of ``Bundle-Parts: <media id>=<size>, …``.

        Each file gets its own status (200, 403, 404, 422); it is confirmed (``complete``) only once its
        SHA-256 matched and it is on disk. Sending a complete file again changes nothing.
        """
        parts = media_store.parse_bundle(request.headers.get("Bundle-Parts"), request.content_length,
                                         *service.bundle_limits())
        _check_bundle(parts)
        return {"results": [part.state() for part in media_store.receive_bundle(parts, request.stream)]}


def _check_bundle(parts: list[media_store.BundlePart]) -> None:
    """Load every file of a bundle in one query (locked, like a chunk) and refuse those one may not send."""
    found = {m.id: m for m in db.session.scalars(_media_query(Media.id.in_([p.id for p in parts]), lock=True))}
    for part in parts:
        part.media = found.get(part.id)
        if part.media is None or not policy.can_view_media(current_user, part.media.item.excursion):
            part.refuse(404, _("Fichier inconnu : la capture doit être envoyée avant son fichier."))
        elif not policy.can_capture(current_user, part.media.item.excursion):
            part.refuse(403, _("Vous ne pouvez pas ajouter de fichier à cette excursion."))
        elif part.size != part.media.size:
            part.refuse(422, _("Taille différente de celle annoncée avec la capture."))


@blp.route("/media/<uuid:media_id>/content")
class MediaContent(MethodView):
    @signed_in
    def get(self, media_id):
        """The verified file (404 until its hash was confirmed)."""
        media = _load_media(media_id)
        if not media.complete:
            abort(404)
        response = send_file(media_store.media_path(media), mimetype=media.content_type, conditional=True)
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response


def _bilan_response(excursion: Excursion, status: int = 200):
    response = jsonify(ExcBilanOut().dump(excursion))
    response.status_code = status
    response.headers["ETag"] = service.bilan_etag(excursion)
    return response


@blp.route("/<uuid:excursion_id>/bilan")
class Bilan(MethodView):
    @signed_in
    @blp.response(200, ExcBilanOut)
    def get(self, excursion_id):
        """The mini-bilan and its ETag (send it back as ``If-Match``)."""
        return _bilan_response(_load(excursion_id))

    @idempotent
    @signed_in
    @blp.arguments(ExcBilanIn)
    @blp.response(200, ExcBilanOut)
    @blp.alt_response(412, description="Edited meanwhile: the body holds the current version.")
    def put(self, data, excursion_id):
        """Save the mini-bilan; 412 with the current text when someone saved it meanwhile."""
        excursion = _load(excursion_id)
        require(policy.can_edit_bilan(current_user, excursion))
        try:
            service.update_bilan(current_user, excursion, if_match=request.headers.get("If-Match"), **data)
        except service.BilanConflict as conflict:
            return _conflict_response(conflict)
        return _bilan_response(excursion)


def _conflict_response(conflict):
    current = ExcBilanOut().dump(conflict.excursion)
    body = {"error": {"code": conflict.code, "message": conflict.message, "fields": {}, "current": current}}
    response = jsonify(body)
    response.status_code = 412
    response.headers["ETag"] = service.bilan_etag(conflict.excursion)
    return response
