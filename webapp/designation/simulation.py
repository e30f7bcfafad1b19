"""The indemnity simulation (issue 14 item 4): what an élu would be paid for a set of posts, clearly a
simulation, never a payroll figure. Pure functions over data; amounts in euros as ``Decimal``.

The scale is data with its source and date. Pre-filled for a département of 500 000 to 1 million
inhabitants (the issue's figures): the reference is the indice brut terminal 1027 of the public service;
each level is a rate of it, as the Code général des collectivités territoriales allows at most.

The local rule of modulation (the seed, 003:563-612, asks that pay follow the time given to each function
type): the hours given are weighted by function type, compared with the hours expected at the élu's
level, and the rate is scaled by that ratio, at most 1 and never below one half (the "halving floor").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
LEVELS = ("conseiller", "commission_president", "vice_president", "president")


@dataclass(frozen=True)
class Scale:
    """The indemnity scale in force."""

    reference: Decimal  # € gross a month
    source: str
    in_force_since: date
    conseiller_rate: Decimal  # share of the reference
    permanent_commission_bonus: Decimal  # added to the conseiller's rate, as a share of it
    vice_president_bonus: Decimal  # added to the conseiller's rate, as a share of it (with a delegation)
    president_rate: Decimal  # share of the reference
    # The local modulation rule.
    floor: Decimal = Decimal("0.5")
    weights: dict = field(default_factory=lambda: {"decision": Decimal("1"), "concertation": Decimal("0.75"),
                                                   "representation": Decimal("0.5")})
    expected_hours: dict = field(default_factory=lambda: {"conseiller": Decimal(12),
                                                          "commission_president": Decimal(20),
                                                          "vice_president": Decimal(30),
                                                          "president": Decimal(60)})


SCALE_2024 = Scale(
    reference=Decimal("4110.52"),
    source="Indice brut terminal 1027 de la fonction publique (décret n° 2023-519) ; "
           "CGCT art. L3123-16 et L3123-17, départements de 500 000 à 1 million d’habitants",
    in_force_since=date(2024, 1, 1),
    conseiller_rate=Decimal("0.60"),
    permanent_commission_bonus=Decimal("0.10"),
    vice_president_bonus=Decimal("0.40"),
    president_rate=Decimal("1.45"),
)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def ceiling(level: str, permanent_commission: bool, scale: Scale = SCALE_2024) -> Decimal:
    """The most the scale allows a month at this level (before modulation)."""
    if level == "president":
        return _cents(scale.reference * scale.president_rate)
    rate = scale.conseiller_rate
    if level == "vice_president":
        rate *= 1 + scale.vice_president_bonus
    elif permanent_commission:
        rate *= 1 + scale.permanent_commission_bonus
    return _cents(scale.reference * rate)


def modulation(level: str, hours_by_type: dict[str, float], scale: Scale = SCALE_2024) -> Decimal:
    """The share of the ceiling paid for the time given: between the floor (one half) and 1."""
    weighted = sum((scale.weights[kind] * Decimal(str(hours)) for kind, hours in hours_by_type.items()),
                   Decimal(0))
    ratio = weighted / scale.expected_hours[level]
    return max(scale.floor, min(Decimal(1), ratio))


def simulate(level: str, permanent_commission: bool, hours_by_type: dict[str, float],
             scale: Scale = SCALE_2024) -> dict:
    """The simulated gross monthly indemnity and how it was reached."""
    top = ceiling(level, permanent_commission, scale)
    share = modulation(level, hours_by_type, scale)
    return {"level": level, "permanent_commission": permanent_commission, "ceiling": top,
            "modulation": share, "amount": _cents(top * share)}
