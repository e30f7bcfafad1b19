"""Jinja filters and globals: dates in Europe/Paris, the asset version, the user's roles."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date as babel_date
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from webapp.core import formatting, jsi18n
from webapp.core.clock import to_paris
from webapp.core.i18n import language, translated
from webapp.core.links import public_url
from webapp.core.static import content_hash


def asset_url(app: Flask):
    """Static URLs carry a content hash, so browsers and the service worker may cache them for ever."""
    cache: dict[str, str] = {}

    def url(filename: str) -> str:
        if filename not in cache or app.debug:
            data = (Path(app.static_folder) / filename).read_bytes()
            cache[filename] = content_hash(data)  # the version core.static knows as immutable
            _FIXED.clear()  # in debug a file changes under the same name: its memoised URL goes with it
        return fixed_url("static", filename=filename, v=cache[filename])

    return url


_FIXED: dict[tuple, str] = {}


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` of a link every page shows (the layout's, the navigation's, the assets'), built once per
    process and script root: it is the same for every request, and ``url_for`` costs some 20 µs where a
    page makes a dozen. For fixed endpoints and values only (the memo grows with the code, not the data)."""
    from flask import request

    key = (request.script_root, endpoint, *sorted(values.items()))
    url = _FIXED.get(key)
    if url is None:
        url = _FIXED[key] = url_for(endpoint, **values)
    return url


def scripts(static_folder: str) -> list[str]:
    """Every ES module under static/js, relative to the static folder, sorted."""
    root = Path(static_folder)
    return sorted(p.relative_to(root).as_posix() for p in (root / "js").rglob("*.js"))


@dataclass(frozen=True)
class ImportMap:
    """The layout's import map: each module's bare URL (``./outbox.js`` as modules import it) maps to its
    content-hashed URL, the one pages load too, so a page runs one copy of each module, and a page kept
    offline from before a deploy keeps asking for the files it was built with."""

    text: str  # the JSON written in the page, byte for byte (the CSP allows it by its hash)
    csp_source: str

    @classmethod
    def build(cls, app: Flask) -> ImportMap:
        asset = asset_url(app)
        imports = {url_for("static", filename=name): asset(name) for name in scripts(app.static_folder)}
        text = json.dumps({"imports": imports}, separators=(",", ":"), sort_keys=True)
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        return cls(text=text, csp_source=f"'sha256-{digest}'")


def import_map() -> ImportMap:
    """The running app's import map, built on first use (on every use in debug, where files change)."""
    app = current_app._get_current_object()
    built = app.extensions.get("tandem_import_map")
    if built is None or app.debug:
        built = app.extensions["tandem_import_map"] = ImportMap.build(app)
    return built


WHEN = "d MMM y, HH:mm"


@lru_cache(maxsize=4096)
def day_words(locale: str, day: date, pattern: str = "d MMM y") -> str:
    """A day in words ("28 nov. 2026"), formatted once per language, day and pattern: Babel takes tens of
    microseconds a call, and a list says dozens of dates."""
    return babel_date(day, pattern, locale=locale)


def when(value: datetime | None, fmt: str = WHEN, lang: str | None = None) -> str:
    """A moment in Paris time, "28 nov. 2026, 18:00" by default. The default format is the one lists
    show on every row: its day part is formatted once per language and day, the hour by hand (Babel
    takes tens of microseconds a call, and a list shows dozens); a list passes its ``lang`` (found once)."""
    if not value:
        return ""
    local = to_paris(value)
    if fmt == WHEN:
        return f"{day_words(lang or language(), local.date())}, {local.hour:02d}:{local.minute:02d}"
    return format_datetime(local, fmt)


def page_url(number: int) -> str:
    """The current page's URL with another page number, keeping the other query arguments."""
    from flask import request

    args = {**(request.view_args or {}), **request.args.to_dict(), "page": number}
    return url_for(request.endpoint, **args)


def template_gettext():
    """``_()`` for templates: Flask-Babel's, with each string translated once per language and process.

    A page says forty things through ``_()``; Jinja's i18n alias costs over 20 µs a call, most of it
    finding the request's translations again. Same result: the text is Markup when autoescaping (so
    the ``%(name)s`` values are escaped) and always formatted with ``%``, as Jinja's newstyle gettext.
    """
    from jinja2 import pass_context
    from markupsafe import Markup

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        text = translated(string, context.get("ui_lang"))  # the language the context processor found
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (the translation catalogue, as Jinja's own gettext does)
        return text % variables

    return gettext


_roles_of: list[Callable[[object], frozenset]] = []


def register_roles(roles_of: Callable[[object], frozenset]) -> None:
    """The function that names a signed-in person's roles for the templates (``accounts`` registers it):
    core reads it here and imports no domain."""
    _roles_of[:] = [roles_of]


def _my_roles(user) -> frozenset:
    return _roles_of[0](user) if _roles_of else frozenset()


def register(app: Flask) -> None:
    asset = asset_url(app)
    formatting.register(app)
    app.jinja_env.globals["_"] = template_gettext()
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["public_url"] = public_url
    app.jinja_env.globals["import_map"] = lambda: import_map().text

    app.add_template_filter(when, "when")

    @app.template_filter("day")
    def day(value: date | None, fmt: str = "d MMMM y") -> str:
        return format_date(value, fmt) if value else ""

    translations = str(Path(app.root_path) / "translations")
    app.jinja_env.globals["js_catalogue"] = lambda: jsi18n.catalogue(translations, str(get_locale()))

    @app.context_processor
    def globals_():
        from webapp.core.home import nav_markup

        lang = language()  # once per page, for every ``_()`` of the templates
        user = current_user._get_current_object()  # the navigation's dozen questions: not through the proxy
        if not user.is_authenticated:
            return {"asset": asset, "ui_lang": lang, "my_roles": frozenset(), "nav_markup": ""}
        roles = _my_roles(user)
        return {"asset": asset, "ui_lang": lang, "my_roles": roles,
                "nav_markup": nav_markup(user, lang, request.path, request.endpoint, "admin" in roles)}
