"""Rules for people and the organisation: accounts, passwords, reset links, CSV import."""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from webapp.accounts import devices
from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import current_mandate
from webapp.core import audit, csvfile
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.organisation.models import Elu, Mandate, PoliticalGroup


def _make_hasher() -> PasswordHasher:
    """argon2id at its production cost, except in the test suite, which sets TANDEM_FAST_PASSWORD_HASH=1.

    The suite signs hundreds of people in and hashing at production cost was most of its run time. The
    hashes stay real argon2id (verification reads the cost from each hash), and production ignores the flag.
    """
    fast = os.environ.get("TANDEM_FAST_PASSWORD_HASH") == "1" and os.environ.get("TANDEM_ENV") != "production"
    return PasswordHasher.from_parameters(profiles.CHEAPEST) if fast else PasswordHasher()


_hasher = _make_hasher()
MIN_PASSWORD = 10
# Verifying against this keeps the time of a failed sign-in the same whether or not the e-mail exists.
_DUMMY_HASH = _hasher.hash("tandem-timing-equaliser")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def get_user(user_id) -> User | None:
    try:
        # The unit comes along: every request's policy asks where the person sits.
        return db.session.get(User, uuid.UUID(str(user_id)), options=[joinedload(User.unit)])
    except ValueError:
        return None


def check_new_password(password: str) -> None:
    """Refuse a password that is too short."""
    if len(password or "") < MIN_PASSWORD:
        raise DomainError(
            _("Le mot de passe doit compter au moins %(n)d caractères.", n=MIN_PASSWORD),
            fields={"password": [_("Trop court.")]}, status=422,
        )


def hash_password(password: str) -> str:
    """The stored form of an acceptable password."""
    check_new_password(password)
    return _hasher.hash(password)


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def check_password(user: User | None, password: str) -> bool:
    if user is None or not user.password_hash:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "")
        return False
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_by_email(email)
    if check_password(user, password) and user is not None and user.active:
        audit.record(user, "user.signed_in", user)
        return user
    return None


def change_password(user: User, current: str, new: str) -> None:
    if not check_password(user, current):
        raise DomainError(_("Le mot de passe actuel est incorrect."),
                          fields={"current_password": [_("Incorrect.")]}, status=422)
    set_password(user, new)
    audit.record(user, "user.password_changed", user)


def set_language(user: User, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise DomainError(_("Langue inconnue."), fields={"language": [_("Choisissez fr ou en.")]}, status=422)
    before = user.language
    user.language = language
    audit.record(user, "user.language_changed", user, {"language": before}, {"language": language})


# --- password reset ---------------------------------------------------------------------------

def password_link_token(user: User, purpose: str) -> str:
    """A signed link for choosing a password (a reset, a forum invitation): ``purpose`` keeps one kind of
    link from being used as another. The hash fragment makes it single-use: once a password is chosen,
    the token no longer matches."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(
        {"id": str(user.id), "h": (user.password_hash or "")[-16:]})


def user_from_password_link(token: str, purpose: str, max_age: int) -> User | None:
    """The active user a valid, unexpired, unused link names; None otherwise."""
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = get_user(data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or (user.password_hash or "")[-16:] != data.get("h"):
        return None
    return user


def reset_token(user: User) -> str:
    return password_link_token(user, "password-reset")


def user_from_reset_token(token: str) -> User | None:
    return user_from_password_link(token, "password-reset", current_app.config["PASSWORD_RESET_MAX_AGE"])


def reset_password(token: str, new: str) -> User:
    user = user_from_reset_token(token)
    if user is None:
        raise DomainError(_("Ce lien n’est plus valable. Demandez-en un nouveau."), status=400)
    set_password(user, new)
    audit.record(user, "user.password_reset", user)
    devices.end_others(user, reason="password_reset")  # a lost or stolen phone is signed out too
    return user


# --- accounts managed by admins ---------------------------------------------------------------

EDITABLE = ("name", "email", "language", "active", "is_admin", "job_title", "unit_id", "manager_id")


def _snapshot(user: User) -> dict:
    return {k: getattr(user, k) for k in EDITABLE}


def create_user(actor, *, email: str, name: str, password: str | None = None, **fields) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise DomainError(_("Cette adresse est déjà utilisée."), fields={"email": [_("Déjà utilisée.")]})
    user = User(email=email, name=name.strip())
    db.session.add(user)
    _apply(user, fields)
    if password:
        set_password(user, password)
    db.session.flush()
    audit.record(actor, "user.created", user, None, _snapshot(user))
    return user


def update_user(actor, user: User, **fields) -> User:
    before = _snapshot(user)
    if "email" in fields:
        email = normalise_email(fields["email"])
        other = find_by_email(email)
        if other is not None and other.id != user.id:
            raise DomainError(_("Cette adresse est déjà utilisée."), fields={"email": [_("Déjà utilisée.")]})
        fields["email"] = email
    _apply(user, fields)
    db.session.flush()
    audit.record(actor, "user.updated", user, before, _snapshot(user))
    return user


def _apply(user: User, fields: dict) -> None:
    for key, value in fields.items():
        if key not in EDITABLE:
            continue
        if key == "manager_id" and value is not None:
            _check_manager(user, value)
        if key == "unit_id" and value is not None and db.session.get(OrgUnit, value) is None:
            raise DomainError(_("Service inconnu."), fields={"unit_id": [_("Inconnu.")]}, status=422)
        setattr(user, key, value)


def _check_manager(user: User, manager_id) -> None:
    manager = db.session.get(User, manager_id)
    if manager is None:
        raise DomainError(_("Encadrant inconnu."), fields={"manager_id": [_("Inconnu.")]}, status=422)
    seen = {user.id}
    while manager is not None:  # a manager chain must never loop back to the person
        if manager.id in seen:
            raise DomainError(_("Cette hiérarchie formerait une boucle."),
                              fields={"manager_id": [_("Boucle.")]}, status=422)
        seen.add(manager.id)
        manager = manager.manager


# --- organisation ----------------------------------------------------------------------------

def get_or_create_unit(name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    parent_id = parent.id if parent else None
    unit = db.session.scalar(db.select(OrgUnit).where(OrgUnit.name == name, OrgUnit.parent_id == parent_id))
    if unit is None:
        unit = OrgUnit(name=name, kind=kind, parent=parent)
        db.session.add(unit)
        db.session.flush()
    return unit


def get_or_create_group(name: str, short_name: str) -> PoliticalGroup:
    group = db.session.scalar(db.select(PoliticalGroup).where(PoliticalGroup.name == name))
    if group is None:
        group = PoliticalGroup(name=name, short_name=short_name)
        db.session.add(group)
        db.session.flush()
    return group


def units_tree() -> list[OrgUnit]:
    """Top-level units (directions, cabinet, assemblies), children loaded by the template."""
    return db.session.scalars(db.select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.name)).all()


# --- CSV import of people -------------------------------------------------------------------------

CSV_COLUMNS = ("email", "nom", "direction", "service", "encadrant", "fonction", "groupe")


@dataclass
class ImportResult:
    """What an import did, or the errors by line that stopped it."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


FUNCTIONS = ("agent", "elu", "cabinet", "assemblees")


def import_people_csv(actor, text: str, create_groups: bool = False) -> ImportResult:
    """Import people from CSV (``;`` or ``,``). Every line is checked first, against the file and the
    database; on any error nothing is written, and every error is reported with its line number.
    A political group that does not exist is an error (a typo would create a new group) unless
    ``create_groups`` says the file brings new groups."""
    rows, result = _parse_people(text, create_groups)
    if result.errors:
        return result
    for _line, row in rows:
        _import_row(actor, row, result)
    for _line, row in rows:  # managers may appear later in the file than their reports
        if row["encadrant"]:
            update_user(actor, find_by_email(row["email"]), manager_id=find_by_email(row["encadrant"]).id)
    db.session.flush()
    return result


def parse_people_csv(text: str, create_groups: bool = False) -> tuple[list[tuple[int, dict]], ImportResult]:
    """Every line of a people CSV checked, nothing written: the rows by line number, and the errors."""
    return _parse_people(text, create_groups)


def _parse_people(text: str, create_groups: bool = False) -> tuple[list[tuple[int, dict]], ImportResult]:
    result = ImportResult()
    reader = csvfile.records(text)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("email", "nom") if c not in header]
    if missing:
        result.errors.append((1, _("colonnes manquantes : %(c)s", c=", ".join(missing))))
        return [], result
    rows: list[tuple[int, dict]] = []
    for number, raw in enumerate(reader, start=2):
        row = dict.fromkeys(CSV_COLUMNS, "")
        for key, value in raw.items():  # headers are matched case-insensitively
            if key and key.strip().lower() in CSV_COLUMNS:
                row[key.strip().lower()] = (value or "").strip()
        row["email"] = normalise_email(row["email"])
        row["encadrant"] = normalise_email(row["encadrant"])
        rows.append((number, row))
    if not rows:
        result.errors.append((1, _("le fichier ne contient aucune ligne")))
    context = _ImportContext(rows, create_groups)
    for number, row in rows:
        result.errors.extend((number, problem) for problem in _row_problems(row, number, context))
    return rows, result


@dataclass
class _ImportContext:
    """What the checks of one line need to know about the whole file and the database."""

    rows: list[tuple[int, dict]]
    create_groups: bool
    first_line: dict[str, int] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    has_mandate: bool = True

    def __post_init__(self):
        for number, row in self.rows:
            self.first_line.setdefault(row["email"], number)
        self.groups = set(db.session.scalars(db.select(PoliticalGroup.name)))
        self.has_mandate = current_mandate() is not None


def _row_problems(row: dict, number: int, context: _ImportContext) -> list[str]:
    from marshmallow import ValidationError

    from webapp.accounts.schemas import PersonIn

    problems = []
    try:  # the same rules as the API's and the administrator command's
        PersonIn(only=("email", "name")).load({"email": row["email"], "name": row["nom"]})
    except ValidationError as error:
        if "email" in error.messages:
            problems.append(_("adresse e-mail invalide : « %(e)s »", e=row["email"]))
        if "name" in error.messages:
            problems.append(_("nom manquant") if not row["nom"] else _("nom trop long (160 caractères au plus)"))
    if row["email"] and context.first_line.get(row["email"]) != number:
        problems.append(_("adresse en double dans le fichier : %(e)s", e=row["email"]))
    if row["service"] and not row["direction"]:
        problems.append(_("un service doit être rattaché à une direction"))
    if row["fonction"] not in ("", *FUNCTIONS):
        problems.append(_("fonction inconnue : « %(f)s » (agent, elu, cabinet, assemblees)", f=row["fonction"]))
    if row["encadrant"] and row["encadrant"] not in context.first_line and find_by_email(row["encadrant"]) is None:
        problems.append(_("encadrant inconnu : %(e)s (ni dans le fichier, ni dans Tandem)", e=row["encadrant"]))
    if row["encadrant"] and row["encadrant"] == row["email"]:
        problems.append(_("une personne ne peut pas être sa propre encadrante"))
    if row["fonction"] == "elu":
        problems.extend(_elu_problems(row, context))
    return problems


def _elu_problems(row: dict, context: _ImportContext) -> list[str]:
    problems = []
    if not context.has_mandate:
        problems.append(_("aucun mandat n’est défini : créez-en un avant d’importer des élus"))
    if not row["groupe"]:
        problems.append(_("un élu doit avoir un groupe politique"))
    elif row["groupe"] not in context.groups and not context.create_groups:
        known = ", ".join(sorted(context.groups)) or _("aucun")
        problems.append(_("groupe politique inconnu : « %(g)s » (groupes existants : %(k)s ; pour le créer : "
                          "« Créer les groupes inconnus » ou --create-groups)", g=row["groupe"], k=known))
    return problems


def _import_row(actor, row: dict, result: ImportResult) -> None:
    unit = _unit_for_row(row)
    user = find_by_email(row["email"])
    fields = {"unit_id": unit.id if unit else None}
    if user is None:
        user = create_user(actor, email=row["email"], name=row["nom"], **fields)
        result.created += 1
    else:
        update_user(actor, user, name=row["nom"], **fields)
        result.updated += 1
    if row["fonction"] == "elu":
        _ensure_elu(user, row["groupe"])


def _unit_for_row(row: dict) -> OrgUnit | None:
    if row["fonction"] == "cabinet":
        return get_or_create_unit("Cabinet", "cabinet")
    if row["fonction"] == "assemblees":
        return get_or_create_unit("Service des assemblées", "assemblies")
    if not row["direction"]:
        return None
    direction = get_or_create_unit(row["direction"], "direction")
    return get_or_create_unit(row["service"], "service", direction) if row["service"] else direction


def _ensure_elu(user: User, group_name: str) -> Elu:
    return seat_elu(user, group_name, current_mandate())


def seat_elu(user: User, group_name: str, mandate: Mandate | None) -> Elu:
    """The person's seat in the mandate, in the named group (created if new)."""
    if mandate is None:
        raise DomainError(_("Aucun mandat n’est défini : créez-en un avant d’importer des élus."))
    group = get_or_create_group(group_name, group_name[:20])
    term = next((t for t in user.elu_terms if t.mandate_id == mandate.id), None)
    if term is None:
        term = Elu(user=user, mandate=mandate, group=group)
        db.session.add(term)
    term.group = group
    return term
