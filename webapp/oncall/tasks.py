"""Worker task: the escalation of an urgent note's page after the rota's delay."""

from __future__ import annotations

import uuid
from datetime import datetime

from webapp.extensions import db
from webapp.jobs import task
from webapp.oncall import paging
from webapp.oncall.models import Page


@task()
def escalate(page_id: str, at: str | None = None) -> str:
    """Look at one page after its delay (``at``: the moment to reason at, ISO; now by default)."""
    page = db.session.get(Page, uuid.UUID(str(page_id)))
    if page is None:
        return "gone"
    return paging.escalate(page, datetime.fromisoformat(at) if at else None)


def _schedule(page: Page, delay: int) -> None:
    escalate.schedule((str(page.id),), delay=max(1, delay))


paging.on_new_page(_schedule)
