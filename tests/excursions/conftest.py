"""Builders for excursions: a prepared excursion between an agent (with a manager) and an élu."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest

from webapp.core.clock import utcnow
from webapp.excursions import service
from webapp.extensions import db


class Team:
    """The people around one excursion, and the excursion itself."""

    def __init__(self, make, starts_in_days: float = 2):
        self.manager, self.agent = make.manager_with_agent()
        self.elu = make.elu(functions=[{"kind": "vice_president"}])
        self.excursion = service.create_excursion(
            self.agent, title="Accueil du public", elu_ids=[self.elu.id],
            starts_at=utcnow() + timedelta(days=starts_in_days), duration_minutes=120,
            places=[{"name": "Maison des solidarités", "address": "1 rue Haute"}],
            people=[{"name": "Mme Durand", "role": "usagère"}],
            questions=["Qu’est-ce qui vous a manqué ?", "Que changeriez-vous ?"], checklist=["Photos"])
        db.session.commit()


@pytest.fixture
def team(make) -> Team:
    return Team(make)


def item_body(kind: str = "text", **extra) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "captured_at": utcnow().isoformat(), "text": "vu", **extra}


def media_body(data: bytes, content_type: str = "image/jpeg") -> dict:
    return {"id": str(uuid.uuid4()), "content_type": content_type, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}
