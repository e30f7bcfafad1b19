"""Builders for the forum's tests: a new mandate with élus, generated PNG pictures."""

from __future__ import annotations

import struct
import zlib
from datetime import date

from webapp.accounts import service as accounts
from webapp.extensions import db
from webapp.organisation.models import Elu


def png(width: int = 64, height: int = 64, rgb=(200, 80, 40)) -> bytes:
    """A real PNG of one colour, made without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def new_mandate(make):
    """The mandate just elected: it starts after the current one, so it is the forum's mandate."""
    make.mandate()
    return make.mandate("2028-2034", date(2028, 4, 1), date(2034, 3, 31))


def new_elu(make, mandate, name: str | None = None, group: str = "Majorité"):
    user = make.user(name)
    term = Elu(user=user, mandate=mandate, group=accounts.get_or_create_group(group, group[:10]))
    db.session.add(term)
    db.session.commit()
    return user, term
