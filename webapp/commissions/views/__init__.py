"""HTML pages of the bilan de commission: aperçus (form, phone view, one-page print view), the two
commission spaces, templates, the bilan session and activity reports.

Plain POST forms calling the service; a refusal re-renders the page with its message and status.
One module per part, each adding its routes to the one blueprint of ``common``: ``apercus`` (lists, the
form, phone and print views, comments), ``apercu_templates``, ``bilan``, ``activity_reports``.
"""

from webapp.commissions.views import activity_reports, apercu_templates, apercus, bilan
from webapp.commissions.views.common import bp

__all__ = ["activity_reports", "apercu_templates", "apercus", "bilan", "bp"]
