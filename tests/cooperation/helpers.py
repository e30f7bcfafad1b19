"""A service with its head, an agent and its VP, and an anti-manuel agreed through the service."""

from __future__ import annotations

from dataclasses import dataclass

from webapp.cooperation import service
from webapp.extensions import db


@dataclass
class Pair:
    unit: object
    head: object
    agent: object
    elu: object
    outsider: object


def pair(make) -> Pair:
    unit = make.unit("Voirie")
    head, agent = make.manager_with_agent(unit)
    elu = make.elu("Vice-présidente Voirie", functions=[{"kind": "vice_president", "delegation": "Voirie",
                                                         "units": [unit]}])
    return Pair(unit=unit, head=head, agent=agent, elu=elu, outsider=make.agent("Agent d’un autre service"))


def kind(key: str):
    """A catalogue entry; the catalogue written on first use is committed at once (a request made next
    by the test client, on its own connection, must see it and not wait for this session)."""
    found = next(t for t in service.catalogue() if t.key == key)
    db.session.commit()
    return found


def agreed_charter(p: Pair, rules: dict[str, dict]):
    """The pair's anti-manuel with ``rules`` ({type key: fields}) proposed and agreed by both sides."""
    charter = service.open_charter(p.head, p.unit)
    version = service.open_version(charter)
    for key, fields in rules.items():
        service.set_rule(p.head, version, kind(key).id, **fields)
    service.propose(p.head, version)
    service.agree(p.head, version)
    service.agree(p.elu, version)
    db.session.commit()
    return charter
