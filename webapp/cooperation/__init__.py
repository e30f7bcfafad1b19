"""Coopération agile (003:625-693, issue 15): the anti-manuel of a service with its élu(s) référent(s),
whose rules are Tandem's parameters (situation types, modalities, deadlines, quiet hours, standing
delegations), kept in agreed versions; and the six-month review of a pair from Tandem's history."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: models (the notes' situation type refers to them), later its pages."""
    from webapp.cooperation import models  # noqa: F401
