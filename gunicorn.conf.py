"""gunicorn reads this file from the working directory (the Procfile's ``web`` process).

The settings are checked once, in the master, before any worker starts: a production without its settings
stops with one line, instead of each worker failing the same way (webapp.create_app checks them too, for
every other way of starting the app)."""

import sys


def on_starting(server) -> None:
    from webapp import config

    try:
        config.check(config.from_environment())
    except config.ConfigurationError as error:
        print(f"Tandem : {error}", file=sys.stderr, flush=True)
        raise SystemExit(4) from None
