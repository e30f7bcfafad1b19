"""Flask commands: ``init`` (create or upgrade the database), ``demo``, ``people import``."""

from __future__ import annotations

import functools
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from webapp.config import write_private
from webapp.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(init)
    app.cli.add_command(demo)
    app.cli.add_command(people)
    from webapp.push.cli import push

    app.cli.add_command(push)


@click.command()
def init() -> None:
    """Create the database or bring it to the latest schema; make the VAPID keys Web Push needs."""
    from webapp.push import vapid

    upgrade()
    click.echo("Base de données à jour.")
    # Push works out of the box, like the secret key: keys from the environment win, else one pair is
    # written once into the instance folder (a no-op on later runs).
    if not vapid.configured_in_environment():
        path, created = vapid.init_keys()
        if created:
            click.echo(f"Clés Web Push (VAPID) créées : {path}")


def one_line_errors(command):
    """An administrator command answers a refused input with one line on stderr and exit code 1, having
    written nothing (the session is rolled back), instead of a traceback."""
    from marshmallow import ValidationError

    from webapp.core.errors import DomainError

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationError as error:
            problem = "; ".join(f"{name} : {' '.join(_flat(messages))}" for name, messages in error.messages.items())
        except DomainError as error:
            problem = error.message
        db.session.rollback()
        click.echo(f"Erreur : {problem}", err=True)
        raise SystemExit(1)

    return run


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return [str(m) for m in (messages if isinstance(messages, list) else [messages])]


def _demo_password(given: str | None) -> str:
    # The shared demo password is generated once per installation, never written in the code.
    path = Path(current_app.config["INSTANCE_PATH"]) / "demo_password"
    if given:
        return given
    if path.exists():
        return path.read_text().strip()
    return secrets.token_urlsafe(9)


@click.command()
@click.option("--password", envvar="TANDEM_DEMO_PASSWORD", help="Shared password of the demo accounts.")
@one_line_errors
def demo(password: str | None) -> None:
    """Load a realistic demo authority (idempotent) and print its guided tour."""
    from webapp.accounts import demo as accounts_demo
    from webapp.accounts.service import check_new_password

    password = _demo_password(password)
    check_new_password(password)  # before the migrations log anything: a refusal stays one line
    upgrade()
    accounts = accounts_demo.build(password)
    for extra in current_app.extensions.get("tandem_demo", []):
        extra()
    db.session.commit()
    # Written once the accounts have it, readable by its owner only (like the secret key).
    write_private(Path(current_app.config["INSTANCE_PATH"]) / "demo_password", password)
    click.echo(f"Comptes de démonstration (mot de passe commun : {password})")
    for account in accounts:
        click.echo(f"  {account.label:<26} {account.email:<36} {account.name}")
        click.echo(f"      à essayer : {account.hint}")


people = AppGroup("people", help="Manage people.")


@people.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--create-groups", is_flag=True, help="Create the political groups the file names that do not exist.")
@one_line_errors
def import_people(csv_file, create_groups: bool) -> None:
    """Import people from a CSV file (columns: email;nom;direction;service;encadrant;fonction;groupe)."""
    from webapp.accounts.service import import_people_csv

    result = import_people_csv(None, csv_file.read(), create_groups=create_groups)
    if result.errors:
        db.session.rollback()
        for line, message in result.errors:
            click.echo(f"ligne {line} : {message}", err=True)
        click.echo(f"Rien n’a été importé : {len(result.errors)} erreur(s).", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"{result.created} créés, {result.updated} mis à jour.")


@people.command("admin")
@click.argument("email")
@click.option("--name", default="Administration", help="Name of a new account.")
@click.password_option(help="Password (at least 10 characters); asked when not given.")
@one_line_errors
def make_admin(email: str, name: str, password: str) -> None:
    """Create an admin account, or make an existing account admin."""
    from webapp.accounts import service
    from webapp.accounts.schemas import PersonIn

    data = PersonIn(only=("email", "name")).load({"email": email, "name": name})  # the API's rules
    hashed = service.hash_password(password)  # checked before anything is created
    user = service.find_by_email(data["email"]) or service.create_user(None, email=data["email"], name=data["name"])
    user.password_hash = hashed
    user.is_admin = True
    db.session.commit()
    click.echo(f"{user.email} est administrateur.")
