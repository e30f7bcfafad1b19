"""One commit per request: services only flush; the request commits on success, rolls back otherwise."""

from flask import Flask

from webapp.extensions import db


def register(app: Flask) -> None:
    @app.after_request
    def _commit(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
