"""Background jobs of notes: the deadline reminder and overdue escalation scan."""

from huey import crontab

from webapp.jobs import periodic_task


@periodic_task(crontab(minute="*/10"))
def remind_deadlines() -> int:
    """Every 10 minutes: reminders 24 h before and at the deadline, escalation when overdue.

    The scan records each step it sends, so a run that overlaps the previous one repeats nothing.
    """
    from webapp.notes.service import send_due_reminders

    return send_due_reminders()
