"""House rules a reader relies on: HTML forms are read in one place (core.forms, with the domains' schemas)."""

from __future__ import annotations

import re
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
FORM_HELPER = WEBAPP / "core" / "forms.py"


def python_files():
    return [p for p in WEBAPP.rglob("*.py") if "migrations" not in p.parts]


def test_request_form_is_read_only_by_the_core_form_helper():
    readers = [str(p.relative_to(WEBAPP)) for p in python_files()
               if p != FORM_HELPER and "request.form" in p.read_text(encoding="utf-8")]
    assert readers == []


def test_no_page_switches_on_a_hidden_action_field():
    pattern = re.compile(r"""form(?:\.get\(|\[)\s*["']action["']""")
    switching = [str(p.relative_to(WEBAPP)) for p in python_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert switching == []
