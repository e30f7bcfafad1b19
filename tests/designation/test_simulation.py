"""The indemnity simulation against the issue's worked figures at the 2024 reference, and its local
modulation: never more than the ceiling, never less than half of it."""

from decimal import Decimal

import pytest

from webapp.designation.simulation import SCALE_2024, ceiling, modulation, simulate

FULL_TIME = {"decision": 200}


@pytest.mark.parametrize("level,permanent,expected", [
    ("conseiller", False, "2466.31"),
    ("conseiller", True, "2712.94"),
    ("vice_president", True, "3452.84"),
    ("president", True, "5960.25"),
])
def test_the_ceilings_are_the_issues_worked_figures(level, permanent, expected):
    assert ceiling(level, permanent) == Decimal(expected)
    assert simulate(level, permanent, FULL_TIME)["amount"] == Decimal(expected)


def test_the_scale_names_its_source_and_date():
    assert SCALE_2024.reference == Decimal("4110.52")
    assert "1027" in SCALE_2024.source and SCALE_2024.in_force_since.isoformat() == "2024-01-01"


def test_no_time_at_all_still_pays_half_never_less():
    assert simulate("conseiller", False, {})["amount"] == Decimal("1233.16")
    assert simulate("president", True, {"representation": 0})["amount"] == Decimal("2980.13")


def test_time_raises_the_amount_until_the_ceiling():
    # 12 expected hours for a conseiller: 9 h of décision is three quarters.
    assert modulation("conseiller", {"decision": 9}) == Decimal("0.75")
    assert simulate("conseiller", False, {"decision": 9})["amount"] == Decimal("1849.73")
    # Représentation counts half: 18 h of it is worth 9 h of décision.
    assert modulation("conseiller", {"representation": 18}) == Decimal("0.75")
    assert simulate("conseiller", False, {"decision": 30})["amount"] == Decimal("2466.31")


def test_the_halving_floor_holds_for_every_level_and_any_time():
    for level in ("conseiller", "commission_president", "vice_president", "president"):
        for hours in (0, 0.5, 1, 3, 7, 100):
            result = simulate(level, False, {"concertation": hours})
            assert result["ceiling"] / 2 <= result["amount"] + Decimal("0.01")
            assert result["amount"] <= result["ceiling"]
