"""Small helpers shared by every JSON API handler."""

import functools

from flask import abort
from flask_login import current_user


def signed_in(fn):
    """401 (JSON, no redirect) for an API call without a session."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        return fn(*args, **kwargs)

    return wrapper


def require(allowed: bool) -> None:
    """403 unless the policy said yes."""
    if not allowed:
        abort(403)
