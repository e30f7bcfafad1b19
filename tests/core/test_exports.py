"""Cells a spreadsheet would run as a formula are neutralised; numbers stay numbers."""

import pytest

from webapp.core.exports import csv_cell


@pytest.mark.parametrize("cell", ["=1+1", "+33 6 12", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\r=1", "-", "+"])
def test_formula_starts_get_an_apostrophe(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "+3", "700000.00", "Solidarités", "a=b", "", None])
def test_numbers_and_plain_text_are_unchanged(cell):
    assert csv_cell(cell) == ("" if cell is None else cell)
