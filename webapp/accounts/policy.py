"""Who may do what with people and the organisation."""

from webapp.accounts.roles import roles_of


def can_manage_people(user) -> bool:
    """Admins manage accounts and the organisation."""
    return bool(user and user.is_authenticated and "admin" in roles_of(user))


def can_view_directory(user) -> bool:
    """Every signed-in person may look up colleagues (names, units, functions), not their settings."""
    return bool(user and user.is_authenticated)
