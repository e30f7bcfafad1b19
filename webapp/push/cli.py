"""``flask --app webapp push init``: create the VAPID keys of this installation."""

import click
from flask.cli import AppGroup

from webapp.push import vapid

push = AppGroup("push", help="Web Push (VAPID keys).")


@push.command("init")
def init() -> None:
    """Write a VAPID key pair to the instance folder (kept if it exists) and print the public key."""
    if vapid._setting("VAPID_PRIVATE_KEY"):
        click.echo("Clés VAPID lues dans l’environnement (VAPID_PRIVATE_KEY) : rien à écrire.")
    else:
        path, created = vapid.init_keys()
        click.echo(f"Clé privée VAPID {'créée' if created else 'déjà présente'} : {path}")
    click.echo(f"Clé publique : {vapid.load().public_key}")
