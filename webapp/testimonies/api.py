"""JSON API of the testimonies: what the phone sends after an offline capture (the testimony under its
UUID, through the outbox), then its video and poster in resumable chunks checked by SHA-256 (the excursions'
upload machinery, ``core/uploads.py``). Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core import uploads
from webapp.core.api import require, signed_in
from webapp.core.idempotency import idempotent
from webapp.testimonies import policy, service
from webapp.testimonies.schemas import ChunkArgs, FileOut, TestimonyIn, TestimonyOut

blp = Blueprint("testimonies_api", __name__, url_prefix="/api/v1/testimonies", description="Ma vie d’élu local")


@blp.route("")
class Testimonies(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(TestimonyIn)
    @blp.response(201, TestimonyOut)
    @blp.alt_response(200, schema=TestimonyOut, description="Already received under this id: unchanged.")
    @blp.alt_response(409, description="This id was already used with other files.")
    def post(self, data):
        """Record a testimony captured on a phone (its id is the phone's UUID; a replay answers 200)."""
        require(policy.can_collect(current_user))
        testimony, fresh = service.create(current_user, data)
        return testimony, 201 if fresh else 200


def _file(file_id, lock: bool = False):
    require(policy.can_collect(current_user))
    found = service.load_file(file_id, lock=lock)
    if found is None:
        abort(404)
    return found


@blp.route("/files/<uuid:file_id>")
class FileUpload(MethodView):
    @signed_in
    @blp.response(200, FileOut)
    def get(self, file_id):
        """How many bytes the server holds (``Upload-Offset``) and whether the file is verified."""
        return uploads.upload_response(_file(file_id), FileOut())

    @idempotent
    @signed_in
    @blp.arguments(ChunkArgs, location="query")
    @blp.response(200, FileOut)
    def put(self, args, file_id):
        """Append raw bytes at the offset the server holds; the last chunk triggers the SHA-256 check."""
        return uploads.receive_chunk(_file(file_id, lock=True), uploads.chunk_offset(args["offset"]), FileOut())
