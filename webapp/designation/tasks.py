"""Background jobs of the designation: the installation week's steps."""

from huey import crontab

from webapp.jobs import periodic_task


@periodic_task(crontab(minute="*/5"))
def run_week_steps() -> int:
    """Every five minutes: carry out the installation week's steps whose time has come, once each."""
    from webapp.designation.steps import run_due

    return run_due()
