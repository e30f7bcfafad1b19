"""Neighbouring Tandem sites: the assemblies service lists them by base URL; the worker fetches their open
data (``/temoignages/donnees/temoignages.json``) with a timeout and a size limit, over http(s) only,
checks it against ``schemas.OpenData`` and keeps a copy, shown apart ("chez nos voisins") with its
source, never mixed with the authority's own testimonies."""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.testimonies import policy
from webapp.testimonies.models import Neighbour
from webapp.testimonies.schemas import OpenData

OPEN_DATA_PATH = "/temoignages/donnees/temoignages.json"


class FetchError(Exception):
    """The neighbour's open data could not be read or did not pass the schema (message kept on the row)."""


def neighbours() -> list[Neighbour]:
    return db.session.scalars(db.select(Neighbour).order_by(Neighbour.name)).all()


def get(neighbour_id) -> Neighbour | None:
    return db.session.get(Neighbour, neighbour_id)


def _base(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(str(_l("Adresse http(s) attendue.")), {"base_url": ["scheme"]}, status=422)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def add(actor, name: str, base_url: str) -> Neighbour:
    if not policy.can_manage_neighbours(actor):
        raise DomainError(str(_l("Action réservée au service des assemblées.")), status=403)
    base = _base(base_url)
    if db.session.scalar(db.select(Neighbour.id).where(Neighbour.base_url == base)) is not None:
        raise DomainError(str(_l("Ce site voisin est déjà listé.")), {"base_url": ["taken"]}, status=422)
    neighbour = Neighbour(name=name.strip(), base_url=base, added_by_id=getattr(actor, "id", None))
    db.session.add(neighbour)
    db.session.flush()
    audit.record(actor, "testimonies.neighbour_added", neighbour, None, {"name": neighbour.name, "base_url": base})
    return neighbour


def remove(actor, neighbour: Neighbour) -> None:
    if not policy.can_manage_neighbours(actor):
        raise DomainError(str(_l("Action réservée au service des assemblées.")), status=403)
    audit.record(actor, "testimonies.neighbour_removed", neighbour, {"base_url": neighbour.base_url}, None)
    db.session.delete(neighbour)
    db.session.flush()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere (another scheme, an internal address): refused, not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


class _Pinned:
    """Connect to the address that was checked, not to whatever the name resolves to a moment later (DNS
    rebinding); the Host header, TLS's server name and certificate check still use the name."""

    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def do_open(self, http_class, req, **kwargs):
        address = self.address

        def connect(where, *args, **options):
            return socket.create_connection((address, where[1]), *args, **options)

        def connection(host, **options):
            made = http_class(host, **options)
            made._create_connection = connect  # http.client's own hook for opening the socket
            return made

        return super().do_open(connection, req, **kwargs)


class _PinnedHTTP(_Pinned, urllib.request.HTTPHandler):
    pass


class _PinnedHTTPS(_Pinned, urllib.request.HTTPSHandler):
    pass


def _opener(url: str) -> urllib.request.OpenerDirector:
    """No redirect; outside an intranet of Tandem sites, only a public address, and the one checked."""
    if current_app.config["NEIGHBOUR_PRIVATE_ADDRESSES"]:
        return urllib.request.build_opener(_NoRedirect)
    host = urlsplit(url).hostname
    address = _public_address(host)
    if urllib.request.getproxies().get(urlsplit(url).scheme) and not urllib.request.proxy_bypass(host):
        return urllib.request.build_opener(_NoRedirect)  # the proxy connects, and resolves the name itself
    return urllib.request.build_opener(_NoRedirect, _PinnedHTTP(address), _PinnedHTTPS(address))


def read_open_data(base_url: str) -> dict:
    """GET the neighbour's open data: http(s) only, no redirect, ``NEIGHBOUR_TIMEOUT_SECONDS``, at most
    ``NEIGHBOUR_MAX_BYTES``, JSON passing ``OpenData``."""
    url = _base(base_url) + OPEN_DATA_PATH
    opener = _opener(url)
    limit = current_app.config["NEIGHBOUR_MAX_BYTES"]
    # http(s) only: _base refused any other scheme, and redirects are not followed.
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Tandem"})  # noqa: S310
    try:
        with opener.open(request, timeout=current_app.config["NEIGHBOUR_TIMEOUT_SECONDS"]) as response:
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}")
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FetchError(f"unreachable: {getattr(error, 'reason', error)}") from None
    if len(body) > limit:
        raise FetchError(f"larger than {limit} bytes")
    try:
        return OpenData().load(json.loads(body))
    except (ValueError, ValidationError) as error:
        raise FetchError(f"invalid open data: {str(error)[:300]}") from None


def _public_address(host: str) -> str:
    """The worker sits inside the authority's network: a neighbour whose name resolves to a loopback,
    private, link-local or reserved address is not fetched. Returns the address to connect to (and only
    to it: ``_Pinned``)."""
    try:
        addresses = [info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]
    except OSError:
        raise FetchError("unreachable: name not resolved") from None
    if not addresses or not all(ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses):
        raise FetchError("refused: private or local address")
    return addresses[0]


def refresh(neighbour: Neighbour) -> Neighbour:
    """Fetch and keep a neighbour's testimonies; a failure keeps the last good copy and says why."""
    try:
        data = read_open_data(neighbour.base_url)
    except FetchError as error:
        neighbour.error = str(error)[:500]
        db.session.flush()
        return neighbour
    neighbour.testimonies = [{**t, "recorded_on": t["recorded_on"].isoformat(), "authority": data["authority"],
                              "license": data["license"]} for t in data["testimonies"]]
    neighbour.fetched_at, neighbour.error = utcnow(), ""
    db.session.flush()
    return neighbour
