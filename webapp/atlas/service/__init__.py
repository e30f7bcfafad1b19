"""Rules of the atlas de mandature (003:440-485), as plain functions taking the acting user.

Budget data come from a CSV import (all or nothing, ``budget_import``) or manual entry; each theme's share of
the authority's total budget is computed per mandate (``budget``). Posters gather the budget history, the
commission's members and adopted selections, the competences, one political comment per group and the staff
representatives' text (``posters``, ``staff``). ``themes`` maps M57 functional codes to themes; ``builds``
queues the PDF. Services only flush: the request (or the worker task) commits.
"""

from webapp.atlas.service.budget import (
    Share,
    add_line,
    budget_lines,
    delete_line,
    history,
    mandate_by_label,
    mandates,
    parse_amount,
    shares,
    totals_by_mandate,
)
from webapp.atlas.service.budget_import import (
    CSV_COLUMNS,
    MAX_CSV_LINES,
    ImportResult,
    ParsedLine,
    import_budget_csv,
    parse_budget_csv,
)
from webapp.atlas.service.builds import get_build, latest_build, request_build, supersede_older_builds
from webapp.atlas.service.common import MAX_TEXT
from webapp.atlas.service.posters import (
    PosterView,
    ensure_posters,
    get_poster,
    political_comment,
    poster_view,
    posters,
    public_mandate,
    publish,
    published_poster,
    save_political_comment,
    save_staff_text,
    unpublish,
    update_poster,
)
from webapp.atlas.service.staff import (
    add_staff_representative,
    is_staff_representative,
    remove_staff_representative,
    staff_representatives,
)
from webapp.atlas.service.themes import (
    RESERVED_SLUGS,
    code_map,
    find_theme,
    get_or_create_theme,
    map_code,
    theme_by_slug,
    theme_for_code,
    themes,
)

__all__ = [
    "CSV_COLUMNS", "MAX_CSV_LINES", "MAX_TEXT", "RESERVED_SLUGS", "ImportResult", "ParsedLine", "PosterView",
    "Share", "add_line", "add_staff_representative", "budget_lines", "code_map", "delete_line",
    "ensure_posters", "find_theme", "get_build", "get_or_create_theme", "get_poster", "history",
    "import_budget_csv", "is_staff_representative", "latest_build", "mandate_by_label", "mandates", "map_code",
    "parse_amount", "parse_budget_csv", "political_comment", "poster_view", "posters", "public_mandate", "publish",
    "published_poster", "remove_staff_representative", "request_build", "save_political_comment", "save_staff_text",
    "shares", "staff_representatives", "supersede_older_builds", "theme_by_slug", "theme_for_code", "themes",
    "totals_by_mandate", "unpublish", "update_poster",
]
