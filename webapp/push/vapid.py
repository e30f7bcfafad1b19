"""VAPID keys: from the environment (``VAPID_PRIVATE_KEY``, ``VAPID_PUBLIC_KEY``, ``VAPID_SUBJECT``) or
from ``vapid_private.pem`` in the instance folder, written once by ``flask --app webapp push init``."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid

from webapp.config import write_private

KEY_FILE = "vapid_private.pem"


@dataclass(frozen=True)
class VapidKeys:
    """The server's VAPID identity: the signing key, its public half for browsers, and the contact."""

    vapid: Vapid
    public_key: str  # base64url, uncompressed P-256 point: the browser's applicationServerKey
    subject: str


def _setting(name: str) -> str:
    return current_app.config.get(name) or os.environ.get(name, "")


def configured_in_environment() -> bool:
    return bool(_setting("VAPID_PRIVATE_KEY"))


def key_file() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / KEY_FILE


def public_key_of(vapid: Vapid) -> str:
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _parse(private: str) -> Vapid:
    if private.lstrip().startswith("-----BEGIN"):
        return Vapid.from_pem(private.encode())
    return Vapid.from_string(private)


def init_keys() -> tuple[Path, bool]:
    """Write a new key pair to the instance folder unless one exists; returns (path, created)."""
    path = key_file()
    if path.exists():
        return path, False
    vapid = Vapid()
    vapid.generate_keys()
    write_private(path, vapid.private_pem())
    return path, True


def load() -> VapidKeys | None:
    """The configured keys, or None when push is not set up (notifications then go by e-mail)."""
    private = _setting("VAPID_PRIVATE_KEY")
    if not private and key_file().exists():
        private = key_file().read_text()
    if not private:
        return None
    vapid = _parse(private)
    public = public_key_of(vapid)
    declared = _setting("VAPID_PUBLIC_KEY")
    if declared and declared.rstrip("=") != public:
        raise RuntimeError("VAPID_PUBLIC_KEY does not match VAPID_PRIVATE_KEY.")
    subject = _setting("VAPID_SUBJECT") or f"mailto:{current_app.config['MAIL_FROM']}"
    return VapidKeys(vapid=vapid, public_key=public, subject=subject)
