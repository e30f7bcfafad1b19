"""One commit per request: services only flush; the request commits on success, rolls back otherwise."""

from flask import Flask, make_response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from webapp.extensions import db


def register(app: Flask) -> None:
    @app.after_request
    def _commit(response):
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError):
            # A concurrent twin or a compare-and-set lost at the last moment: the change did not
            # happen, so the answer must not say it did.
            db.session.rollback()
            from webapp.core.errors import error_response

            return make_response(error_response(409))
        return response
