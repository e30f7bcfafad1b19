"""Background jobs of excursions: the daily quota reminder scan."""

from huey import crontab

from webapp.jobs import periodic_task


@periodic_task(crontab(minute="15", hour="7"))
def remind_quotas() -> int:
    """Every morning: remind élus falling behind their excursion quota, once per period."""
    from webapp.excursions.quotas import send_quota_reminders

    return send_quota_reminders()
