"""Small helpers shared by every JSON API handler."""

import copy
import functools
from http import HTTPStatus

from flask import abort
from flask_login import current_user


def signed_in(fn):
    """401 (JSON, no redirect) for an API call without a session; documented with 403 (``require``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        return fn(*args, **kwargs)

    # flask-smorest reads an operation's documentation from ``_apidoc`` (copied, never shared with fn).
    wrapper._apidoc = copy.deepcopy(getattr(fn, "_apidoc", {}))
    responses = wrapper._apidoc.setdefault("response", {}).setdefault("responses", {})
    for status in (401, 403):
        responses.setdefault(status, []).append(HTTPStatus(status).name)
    return wrapper


def require(allowed: bool) -> None:
    """403 unless the policy said yes."""
    if not allowed:
        abort(403)
