"""One CSV reader for every import: a spreadsheet's file reads the same in the people, élus and budget imports."""

from __future__ import annotations

from webapp.accounts.service import parse_people_csv
from webapp.core import csvfile


def test_windows_1252_with_semicolons_and_utf8_with_bom_and_commas_read_alike(app):
    spreadsheet = "email;nom\nelise@example.test;Élise Dupré\n".encode("cp1252")
    exported = "\ufeffemail,nom\nelise@example.test,Élise Dupré\n".encode()
    for data in (spreadsheet, exported):
        text = csvfile.decode(data)
        assert list(csvfile.rows(text)) == [["email", "nom"], ["elise@example.test", "Élise Dupré"]]
        rows, _result = parse_people_csv(text)
        assert [(row["email"], row["nom"]) for _line, row in rows] == [("elise@example.test", "Élise Dupré")]
