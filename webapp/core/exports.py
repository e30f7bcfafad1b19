"""Files the app hands out to other programs: CSV that a spreadsheet cannot turn into a formula.

OWASP "CSV injection": a spreadsheet runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in
some, tab or CR) as a formula (``=HYPERLINK(...)`` leaks data, ``=cmd|...`` runs programs). Such a
cell gets a leading apostrophe, which spreadsheets show as text. A plain number (``-12.50``) is
data, not a formula: it stays a number so the open data remains usable.
"""

from __future__ import annotations

import csv
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(value) -> str:
    """The cell as text, neutralised if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row) -> None:
        self._writer.writerow([csv_cell(value) for value in row])
