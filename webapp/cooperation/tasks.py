"""Background jobs of the cooperation: the six-month review opened, and both sides told."""

from huey import crontab

from webapp.jobs import periodic_task


@periodic_task(crontab(minute="15", hour="7"))
def open_due_reviews() -> int:
    """Every morning: the reviews due six months after an anti-manuel's first agreed version."""
    from webapp.cooperation.reviews import open_due_reviews as run

    return run()
