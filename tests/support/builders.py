"""Builders that create people and organisation in one line each; every call commits."""

from __future__ import annotations

import itertools
from datetime import date

from webapp.accounts import service
from webapp.accounts.models import OrgUnit, User
from webapp.extensions import db
from webapp.organisation.models import Commission, Elu, EluFunction, Mandate

_seq = itertools.count(1)


class Builders:
    """``make.agent()``, ``make.elu(functions=[...])``, ``make.unit()``…"""

    def __init__(self, password: str):
        self.password = password

    def mandate(self, label: str = "2021-2028", starts=date(2021, 7, 1), ends=date(2028, 3, 31)) -> Mandate:
        mandate = db.session.scalar(db.select(Mandate).where(Mandate.label == label))
        if mandate is None:
            mandate = Mandate(label=label, starts_on=starts, ends_on=ends)
            db.session.add(mandate)
            db.session.commit()
        return mandate

    def unit(self, name: str | None = None, kind: str = "service", parent: OrgUnit | None = None) -> OrgUnit:
        if kind == "service" and parent is None:
            parent = self.unit(f"Direction {next(_seq)}", "direction")
        unit = service.get_or_create_unit(name or f"Service {next(_seq)}", kind, parent)
        db.session.commit()
        return unit

    def user(self, name: str | None = None, *, unit: OrgUnit | None = None, manager: User | None = None,
             admin: bool = False, email: str | None = None, language: str = "fr") -> User:
        n = next(_seq)
        user = service.create_user(None, email=email or f"person{n}@example.test", name=name or f"Personne {n}",
                                   password=self.password, unit_id=unit.id if unit else None,
                                   manager_id=manager.id if manager else None, is_admin=admin, language=language)
        db.session.commit()
        return user

    def agent(self, name: str | None = None, *, unit: OrgUnit | None = None, manager: User | None = None,
              **kw) -> User:
        return self.user(name, unit=unit or self.unit(), manager=manager, **kw)

    def manager_with_agent(self, unit: OrgUnit | None = None) -> tuple[User, User]:
        unit = unit or self.unit()
        boss = self.agent("Cheffe de service", unit=unit)
        return boss, self.agent("Agent du service", unit=unit, manager=boss)

    def elu(self, name: str | None = None, *, functions: list[dict] | None = None, group: str = "Majorité",
            units: list[OrgUnit] | None = None) -> User:
        user = self.user(name or f"Élu {next(_seq)}")
        term = Elu(user=user, mandate=self.mandate(), group=service.get_or_create_group(group, group[:10]))
        db.session.add(term)
        for spec in functions or []:
            db.session.add(EluFunction(elu=term, kind=spec["kind"], delegation=spec.get("delegation"),
                                       commission=spec.get("commission"), units=spec.get("units", units or [])))
        db.session.commit()
        return user

    def cabinet(self, name: str = "Conseiller du cabinet") -> User:
        return self.user(name, unit=self.unit("Cabinet", "cabinet"))

    def assemblies(self, name: str = "Gestionnaire des assemblées") -> User:
        return self.user(name, unit=self.unit("Service des assemblées", "assemblies"))

    def commission(self, name: str | None = None, members: list[User] | None = None) -> Commission:
        commission = Commission(name=name or f"Commission {next(_seq)}", theme="Thème", mandate=self.mandate())
        commission.members.extend(members or [])
        db.session.add(commission)
        db.session.commit()
        return commission
