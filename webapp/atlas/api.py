"""JSON API of the atlas (signed-in; the public reads the HTML pages and the open-data files).
Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.atlas import policy, service, tasks
from webapp.atlas.models import AtlasBuild, Poster
from webapp.atlas.schemas import (
    BuildIn,
    BuildOut,
    ImportIn,
    ImportOut,
    LineIn,
    LineOut,
    PoliticalCommentOut,
    PosterOut,
    PosterPatch,
    ShareArgs,
    ShareOut,
    TextIn,
    ThemeOut,
)
from webapp.core.api import require, signed_in
from webapp.core.errors import DomainError, register_current
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.organisation.models import Mandate, PoliticalGroup

blp = Blueprint("atlas_api", __name__, url_prefix="/api/v1/atlas", description="Atlas de mandature")
register_current(Poster, lambda poster: PosterOut().dump(poster))  # the current state after a lost race


def _poster(poster_id) -> Poster:
    poster = db.session.get(Poster, poster_id) or abort(404)
    require(policy.can_use_spaces(current_user) or poster.status == "published")
    return poster


@blp.route("/themes")
class Themes(MethodView):
    @signed_in
    @blp.response(200, ThemeOut(many=True))
    def get(self):
        return service.themes()


@blp.route("/shares")
class Shares(MethodView):
    @signed_in
    @blp.arguments(ShareArgs, location="query")
    @blp.response(200, ShareOut(many=True))
    def get(self, args):
        """Each theme's share of the mandate's total budget."""
        mandate = db.session.get(Mandate, args["mandate_id"]) or abort(404)
        return service.shares(mandate)


@blp.route("/budget/import")
class BudgetImport(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(ImportIn)
    @blp.response(200, ImportOut)
    def post(self, data):
        """Import a budget CSV: all or nothing; a refusal lists the errors line by line (422)."""
        require(policy.can_manage(current_user))
        return {"imported": len(service.import_budget_csv(current_user, data["csv"]).lines)}


@blp.route("/budget/lines")
class BudgetLines(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(LineIn)
    @blp.response(201, LineOut)
    def post(self, data):
        """Enter one amount by hand."""
        require(policy.can_manage(current_user))
        mandate = db.session.get(Mandate, data["mandate_id"]) or abort(404)
        theme = service.find_theme(data["theme"])
        if theme is None:
            raise DomainError(_("Thème inconnu."), fields={"theme": [_("Thème inconnu.")]}, status=422)
        return service.add_line(current_user, mandate, data["year"], theme, data["amount"], data["functional_code"])


@blp.route("/posters/<uuid:poster_id>")
class PosterItem(MethodView):
    @signed_in
    @blp.response(200, PosterOut)
    def get(self, poster_id):
        return _poster(poster_id)

    @idempotent
    @signed_in
    @blp.arguments(PosterPatch)
    @blp.response(200, PosterOut)
    def patch(self, data, poster_id):
        poster = _poster(poster_id)
        require(policy.can_manage(current_user))
        return service.update_poster(current_user, poster, data.get("competences"), data.get("commission_id"),
                                     set_commission="commission_id" in data)


@blp.route("/posters/<uuid:poster_id>/publish")
class PosterPublish(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, PosterOut)
    def post(self, poster_id):
        poster = _poster(poster_id)
        require(policy.can_manage(current_user))
        return service.publish(current_user, poster)


@blp.route("/posters/<uuid:poster_id>/comments/<uuid:group_id>")
class PosterComment(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(TextIn)
    @blp.response(200, PoliticalCommentOut)
    def put(self, data, poster_id, group_id):
        """The group's political comment, written by one of its élus."""
        poster = _poster(poster_id)
        group = db.session.get(PoliticalGroup, group_id) or abort(404)
        require(policy.can_write_group_comment(current_user, poster, group))
        return service.save_political_comment(current_user, poster, group, data["body"])


@blp.route("/posters/<uuid:poster_id>/staff")
class PosterStaff(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(TextIn)
    @blp.response(200, PosterOut)
    def put(self, data, poster_id):
        """The staff representatives' space."""
        poster = _poster(poster_id)
        require(policy.can_write_staff(current_user, poster))
        return service.save_staff_text(current_user, poster, data["body"])


@blp.route("/builds")
class Builds(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(BuildIn)
    @blp.response(202, BuildOut)
    def post(self, data):
        """Queue the PDF build of the mandate's published posters; poll the build for its progress."""
        require(policy.can_manage(current_user))
        mandate = db.session.get(Mandate, data["mandate_id"]) or abort(404)
        build = service.request_build(current_user, mandate)
        db.session.commit()  # the worker reads the row from its own session
        tasks.build_atlas_pdf(str(build.id))
        db.session.refresh(build)
        return build


@blp.route("/builds/<uuid:build_id>")
class BuildItem(MethodView):
    @signed_in
    @blp.response(200, BuildOut)
    def get(self, build_id):
        require(policy.can_manage(current_user))
        return db.session.get(AtlasBuild, build_id) or abort(404)
