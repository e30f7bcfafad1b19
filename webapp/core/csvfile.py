"""The one CSV reader of every import (people, a mandate's élus, the atlas budget).

Files come from French spreadsheets: UTF-8 with or without a BOM, or Windows-1252; separated by ``;``
(French Excel) or ``,``, told apart on the header line.
"""

from __future__ import annotations

import csv
import io


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which French spreadsheets still produce."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


def rows(text: str):
    """The file's rows as lists of cells, the header first."""
    text = text.lstrip("\ufeff")
    return csv.reader(io.StringIO(text), delimiter=_delimiter(text))


def records(text: str) -> csv.DictReader:
    """The file's rows as dictionaries keyed by the header's cells (``fieldnames``)."""
    text = text.lstrip("\ufeff")
    return csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
