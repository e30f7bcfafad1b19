"""JSON API for people: who am I, the directory, and account management for admins."""

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.accounts import policy, service
from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import roles_of
from webapp.accounts.schemas import (
    MeOut,
    MePatch,
    PeopleArgs,
    PeoplePage,
    PersonIn,
    PersonOut,
    PersonPatch,
    UnitOut,
)
from webapp.core.api import require, signed_in
from webapp.core.pagination import paginate
from webapp.extensions import db

blp = Blueprint("accounts_api", __name__, url_prefix="/api/v1", description="People and organisation")


def _me_payload(user):
    return {**PersonOut().dump(user), "language": user.language, "roles": sorted(roles_of(user))}


@blp.route("/me")
class Me(MethodView):
    @signed_in
    @blp.response(200, MeOut)
    def get(self):
        """The signed-in person, with the roles derived from the organisation."""
        return _me_payload(current_user)

    @signed_in
    @blp.arguments(MePatch)
    @blp.response(200, MeOut)
    def patch(self, data):
        """Change one's own language."""
        service.set_language(current_user, data["language"])
        return _me_payload(current_user)


@blp.route("/people")
class People(MethodView):
    @signed_in
    @blp.arguments(PeopleArgs, location="query")
    @blp.response(200, PeoplePage)
    def get(self, args):
        """The directory of people, searchable by name or e-mail."""
        require(policy.can_view_directory(current_user))
        stmt = db.select(User).where(User.active.is_(True)).order_by(User.name)
        if args["q"]:
            like = f"%{args['q'].lower()}%"
            stmt = stmt.where(db.or_(db.func.lower(User.name).like(like), User.email.like(like)))
        page = paginate(stmt, args["page"], args["per_page"])
        return {"items": page.items, "meta": page.as_meta()}

    @signed_in
    @blp.arguments(PersonIn)
    @blp.response(201, PersonOut)
    def post(self, data):
        """Create an account (admins)."""
        require(policy.can_manage_people(current_user))
        return service.create_user(current_user, **data)


@blp.route("/people/<uuid:person_id>")
class Person(MethodView):
    @signed_in
    @blp.response(200, PersonOut)
    def get(self, person_id):
        require(policy.can_view_directory(current_user))
        return db.session.get(User, person_id) or abort(404)

    @signed_in
    @blp.arguments(PersonPatch)
    @blp.response(200, PersonOut)
    def patch(self, data, person_id):
        """Change an account (admins)."""
        person = db.session.get(User, person_id) or abort(404)
        require(policy.can_manage_people(current_user))
        return service.update_user(current_user, person, **data)


@blp.route("/units")
class Units(MethodView):
    @signed_in
    @blp.response(200, UnitOut(many=True))
    def get(self):
        """The services tree, flat, parents first."""
        return db.session.scalars(db.select(OrgUnit).order_by(OrgUnit.parent_id.is_not(None), OrgUnit.name)).all()
