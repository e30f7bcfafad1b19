"""Builders for the testimonies: the new mandate's organisation (a collège board), published, and the people
around it; a testimony sent as the phone sends it."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, time

import pytest

from tests.forum.helpers import new_mandate
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.organisation import service as organisation

BOARD = "Conseil d’administration du collège Jean-Moulin"


class Place:
    """A published organisation with a collège board, and who is who."""

    def __init__(self, make):
        self.mandate = new_mandate(make)
        self.clerk = make.assemblies("Fatima Clément")
        self.admin = make.user("Admin", admin=True)
        self.agent = make.agent()
        self.elu = make.elu()
        self.board = organisation.add_body(self.clerk, self.mandate, {
            "kind": "external_body", "name": BOARD, "theme": "éducation, collèges"})
        organisation.add_post(self.clerk, self.board, {
            "role": "titulaire", "seats": 2, "function_type": "representation", "hours_per_month": 3,
            "weekday": 1, "nth_week": 2, "starts_at": time(17), "ends_at": time(19)})
        self.commission = organisation.add_body(self.clerk, self.mandate, {
            "kind": "thematic_commission", "name": "Commission Mobilités", "theme": "routes, transports"})
        organisation.schedule_publication(self.clerk, self.mandate, utcnow())
        db.session.commit()


@pytest.fixture
def place(make) -> Place:
    return Place(make)


def file_body(data: bytes, content_type: str = "video/webm") -> dict:
    return {"id": str(uuid.uuid4()), "content_type": content_type, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def phone_body(place: Place, video: bytes, poster: bytes | None = None, **extra) -> dict:
    from webapp.testimonies.service import CONSENT_TEXT

    return {"id": str(uuid.uuid4()), "body_id": str(place.board.id), "speaker_name": "Claire Martin",
            "speaker_role": "Principale", "speaker_organisation": "Collège Jean-Moulin",
            "recorded_on": date(2026, 11, 20).isoformat(), "consent_given": True, "consent_name": "Claire Martin",
            "consent_text": CONSENT_TEXT, "video": file_body(video),
            "poster": file_body(poster, "image/jpeg") if poster else None, **extra}


def send(client, body: dict, video: bytes, poster: bytes | None = None, chunk: int = 4096):
    """What the phone does once online: the testimony, then each file in chunks."""
    response = client.post("/api/v1/testimonies", json=body)
    assert response.status_code == 201, response.get_json()
    for kind, data in (("video", video), ("poster", poster)):
        if data is None:
            continue
        for start in range(0, len(data), chunk):
            answer = client.put(f"/api/v1/testimonies/files/{body[kind]['id']}?offset={start}",
                                data=data[start:start + chunk])
            assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["complete"] is True
    return response
