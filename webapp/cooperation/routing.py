"""The anti-manuel's quiet hours for the notifications about a note: the pair's quiet hours replace each
person's own for notes of that situation type, and an urgent type is delivered at once, quiet or not."""

from __future__ import annotations

from webapp.core.home import ids_in


def quiet_hours(notification):
    """``"urgent"``, ``(start, end)`` (Paris hours) or None (the person's own quiet hours apply)."""
    from webapp.notes import service as notes

    found = ids_in([notification.url], "/notes/")
    if not found:
        return None
    note = notes.get_note(next(iter(found)))
    if note is None:
        return None
    from webapp.cooperation.service import rule_for

    rule = rule_for(note)
    if rule is None:
        return None
    if rule.urgent:
        return "urgent"
    if rule.quiet_start is not None and rule.quiet_end is not None:
        return (rule.quiet_start, rule.quiet_end)
    return None


def register() -> None:
    from webapp.push import preferences

    preferences.register_quiet_hours(quiet_hours)
