"""HTML pages of notes en stock: drafting, agreement, inbox, the note page and its forms, figures.

Plain POST forms calling the service; refusals re-render the page with the message (422).
One module per part, each adding its routes to the one blueprint of ``common``: ``lists`` (an agent's
notes, the inbox, the figures), ``drafting``, ``note_page`` (the note and every step taken on it),
``attachments``.
"""

from webapp.notes.views import attachments, drafting, lists, note_page
from webapp.notes.views.common import bp

__all__ = ["attachments", "bp", "drafting", "lists", "note_page"]
