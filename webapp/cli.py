"""Flask commands: ``init`` (create or upgrade the database), ``demo``, ``people import``."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from webapp.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(init)
    app.cli.add_command(demo)
    app.cli.add_command(people)
    from webapp.push.cli import push

    app.cli.add_command(push)


@click.command()
def init() -> None:
    """Create the database or bring it to the latest schema."""
    upgrade()
    click.echo("Base de données à jour.")


def _demo_password(given: str | None) -> str:
    # The shared demo password is generated once per installation, never written in the code.
    path = Path(current_app.config["INSTANCE_PATH"]) / "demo_password"
    if given:
        path.write_text(given)
    elif not path.exists():
        path.write_text(secrets.token_urlsafe(9))
    return path.read_text().strip()


@click.command()
@click.option("--password", envvar="TANDEM_DEMO_PASSWORD", help="Shared password of the demo accounts.")
def demo(password: str | None) -> None:
    """Load a realistic demo authority (idempotent)."""
    from webapp.accounts import demo as accounts_demo

    upgrade()
    password = _demo_password(password)
    accounts = accounts_demo.build(password)
    for extra in current_app.extensions.get("tandem_demo", []):
        extra()
    db.session.commit()
    click.echo(f"Comptes de démonstration (mot de passe commun : {password})")
    for label, name, email in accounts:
        click.echo(f"  {label:<32} {name:<26} {email}")


people = AppGroup("people", help="Manage people.")


@people.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def import_people(csv_file) -> None:
    """Import people from a CSV file (columns: email;nom;direction;service;encadrant;fonction;groupe)."""
    from webapp.accounts.service import import_people_csv

    result = import_people_csv(None, csv_file.read())
    if result.errors:
        db.session.rollback()
        for line, message in result.errors:
            click.echo(f"ligne {line} : {message}", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"{result.created} créés, {result.updated} mis à jour.")


@people.command("admin")
@click.argument("email")
@click.option("--name", default="Administration")
@click.password_option()
def make_admin(email: str, name: str, password: str) -> None:
    """Create an admin account, or make an existing account admin."""
    from webapp.accounts import service

    user = service.find_by_email(email) or service.create_user(None, email=email, name=name)
    service.set_password(user, password)
    user.is_admin = True
    db.session.commit()
    click.echo(f"{user.email} est administrateur.")
