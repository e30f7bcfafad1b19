"""House rules a reader relies on: HTML forms are read in one place (core.forms, with the domains' schemas),
one route per action, files small enough to read, and a kernel (core) that knows no domain."""

from __future__ import annotations

import ast
import re
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
FORM_HELPER = WEBAPP / "core" / "forms.py"
MAX_LINES = 450
# What core may import besides itself: the shared extensions and the settings, which are no domain.
KERNEL_NEIGHBOURS = {"webapp.extensions", "webapp.config"}


def python_files():
    return [p for p in WEBAPP.rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "webapp")
    return found


def _reads_action(tree: ast.AST) -> bool:
    """``x["action"]`` read, or ``x.get("action")``: a handler choosing what to do from a field."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                and isinstance(node.slice, ast.Constant) and node.slice.value == "action"):
            return True
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "action"):
            return True
    return False


def test_request_form_is_read_only_by_the_core_form_helper():
    readers = [str(p.relative_to(WEBAPP)) for p in python_files()
               if p != FORM_HELPER and "request.form" in p.read_text(encoding="utf-8")]
    assert readers == []


def test_no_page_switches_on_a_hidden_action_field():
    pattern = re.compile(r"""form(?:\.get\(|\[)\s*["']action["']""")
    switching = [str(p.relative_to(WEBAPP)) for p in python_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert switching == []


def test_no_page_or_api_handler_switches_on_an_action_field():
    # One route per action, in the JSON API too: /notes/<id>/agreement and /notes/<id>/return, not one
    # endpoint reading {"action": "agree" | "return"}.
    handlers = [p for p in python_files() if p.stem in ("views", "api") or p.parent.name == "views"]
    switching = [str(p.relative_to(WEBAPP)) for p in handlers
                 if _reads_action(ast.parse(p.read_text(encoding="utf-8")))]
    assert switching == []


def test_no_file_under_webapp_passes_450_lines():
    # Past that, a file is split by sub-feature (see notes/service/), so a reader finds a rule by its name.
    long = {str(p.relative_to(WEBAPP)): n for p in python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_core_imports_no_domain():
    # Domains register what core needs from them (home sections, navigation, roles for the templates).
    leaks = {}
    for path in (WEBAPP / "core").rglob("*.py"):
        outside = {m for m in _imports(path) if m.startswith("webapp.") and not m.startswith("webapp.core")
                   and not any(m == n or m.startswith(n + ".") for n in KERNEL_NEIGHBOURS)}
        if outside:
            leaks[str(path.relative_to(WEBAPP))] = sorted(outside)
    assert leaks == {}


def test_the_checks_see_what_they_forbid():
    # Each rule catches the thing it forbids (a rule that cannot fail proves nothing).
    assert _reads_action(ast.parse('if data["action"] == "return": pass'))
    assert _reads_action(ast.parse('kind = payload.get("action")'))
    assert not _reads_action(ast.parse('errors = {"action": "import"}'))
    sample = WEBAPP / "core" / "templating.py"
    assert "webapp.core.home" in _imports(sample) and "flask" in _imports(sample)


def test_settings_are_defined_in_config_only():
    # Every setting and its default is in webapp/config.py (and the README's table when the environment sets
    # it); a domain reads ``current_app.config[...]``, it never brings its own default.
    create_app = WEBAPP / "__init__.py"
    defaults = [str(p.relative_to(WEBAPP)) for p in python_files()
                if p != create_app and "config.setdefault(" in p.read_text(encoding="utf-8")]
    assert defaults == []
