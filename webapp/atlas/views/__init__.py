"""HTML pages of the atlas: the public atlas (no login: index, one page per theme, PDF, open data),
the assemblies' workbench (budget, themes, posters, publication, PDF build) and the writers' spaces
(political groups, staff representatives).

One module per part, each adding its routes to the one blueprint of ``common``: ``public``, ``workbench``,
``posters`` (editing, publication, the writers' spaces).
"""

from webapp.atlas.views import posters, public, workbench
from webapp.atlas.views.common import bp

__all__ = ["bp", "posters", "public", "workbench"]
