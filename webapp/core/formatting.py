"""Numbers for people, in the page's language (Babel): amounts in euros and file sizes.

French and English differ in their separators ("12 345,5" against "12,345.5") and in where the currency
goes ("12 345 €" against "€12,345"); these helpers let Babel decide from the request's locale (French in
the worker and on the command line), so a page in English never shows French separators.
"""

from __future__ import annotations

from babel.numbers import format_compact_currency
from flask_babel import format_currency, format_decimal, get_locale
from flask_babel import gettext as _

MEGABYTE = 1024 * 1024


def euros(amount) -> str:
    """Whole euros ("12 345 €", "€12,345"); above a million, one decimal ("12,4 M €", "€12.4M")."""
    value = float(amount or 0)
    if abs(value) >= 1_000_000:
        return format_compact_currency(value, "EUR", locale=get_locale(), fraction_digits=1)
    pattern = get_locale().currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(value, "EUR", format=pattern, currency_digits=False)


def megabytes(size: int) -> str:
    """A size in megabytes with one decimal, for messages that name the unit themselves ("2,5")."""
    return format_decimal(size / MEGABYTE, "#,##0.0")


def file_size(size: int) -> str:
    """A file's size as people read it: "300 Ko", "12,5 Mo" in French; "300 KB", "12.5 MB" in English."""
    if size >= MEGABYTE:
        return f"{format_decimal(round(size / MEGABYTE, 1), '#,##0.#')}\u00a0{_('Mo')}"
    return f"{format_decimal(max(1, round(size / 1024)), '#,##0')}\u00a0{_('Ko')}"


def register(app) -> None:
    app.jinja_env.filters["euros"] = euros
    app.jinja_env.filters["file_size"] = file_size
