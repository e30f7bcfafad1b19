"""Notifications: the in-app notification centre, Web Push delivery, e-mail fallback."""
