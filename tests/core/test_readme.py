"""The README is what a newcomer and an administrator follow: its settings table lists exactly the settings
the code reads, and each command it documents works as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# How the code reads a setting: os.environ.get("X"), os.environ["X"], os.getenv("X"), vapid's
# _setting("X") (config or environment), click's envvar="X"; shell scripts and the Procfile: ${X...}.
# Only the process environment counts: a WSGI ``environ.get("PATH_INFO")`` is a request field, not a setting.
PYTHON_READS = re.compile(r'(?:os\.environ\.get\(|os\.environ\[|os\.getenv\(|_setting\(|envvar=)\s*"([A-Z][A-Z0-9_]+)"')
SHELL_READS = re.compile(r"\$\{([A-Z][A-Z0-9_]+)[:}-]")
# Read by the development scripts only (which Python builds the virtualenv, which one runs Babel).
SCRIPT_ONLY = {"PYTHON", "PY", "PYTHONPATH"}


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "webapp").rglob("*.py"):
        names |= set(PYTHON_READS.findall(path.read_text(encoding="utf-8")))
    for path in [*(ROOT / "bin").iterdir(), ROOT / "Procfile"]:
        names |= set(SHELL_READS.findall(path.read_text(encoding="utf-8")))
    return names - SCRIPT_ONLY


def settings_in_the_readme() -> set[str]:
    section = readme().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_settings_table_lists_exactly_the_settings_the_code_reads():
    code, documented = settings_read_by_the_code(), settings_in_the_readme()
    assert "DATABASE_URL" in code and "VAPID_PRIVATE_KEY" in code  # the scan itself works
    assert code - documented == set(), "read by the code but missing from the README's table"
    assert documented - code == set(), "in the README's table but read nowhere"


def test_the_readme_links_to_the_architecture_inside_the_repository():
    text = readme()
    assert "../shared" not in text
    assert "docs/architecture.md" in text and (ROOT / "docs" / "architecture.md").exists()


def test_the_architecture_document_names_every_domain_package():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = {p.parent.name for p in (ROOT / "webapp").glob("*/__init__.py")} - {"migrations", "translations"}
    assert packages and {p for p in packages if f"| `{p}` |" not in text} == set()


# --- every command of the README, as written -----------------------------------------------------------

# What each documented command prints when it works (the longest matching prefix wins). A command the
# README gains must be added here: the test fails on a command it does not know.
EXPECTED = {
    "bin/flask init": "Base de données à jour.",
    "bin/flask demo": "à essayer :",
    "bin/flask people import people.csv": "3 créés, 0 mis à jour.",
    "bin/flask people import --create-groups people.csv": "0 créés, 3 mis à jour.",
    "bin/flask people admin": "admin@example.org est administrateur.",
    "bin/flask push init": "Clé publique :",
}
# Documented but not run here: each sets up the whole machine (Debian packages, virtualenv) and then
# serves forever (bin/start) or runs the whole suite (bin/test); CI runs both.
NOT_RUN = {"bin/start", "bin/test"}


def documented_commands(text: str) -> list[str]:
    """The command lines of the README's ``sh`` blocks, comments left out."""
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    lines = [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()]
    return [shlex.join(words) for words in lines if words]


def expected_output(command: str) -> str:
    prefixes = [p for p in EXPECTED if command == p or command.startswith(p + " ")]
    assert prefixes, f"the README documents `{command}`: add what it prints to EXPECTED"
    return EXPECTED[max(prefixes, key=len)]


def test_every_command_the_readme_documents_works_as_written(tmp_path):
    text = readme()
    commands = [c for c in documented_commands(text) if c not in NOT_RUN]
    assert any(c.startswith("bin/flask people import") for c in commands)
    # A fresh folder where the README's commands are typed: `bin` is the checkout's, the CSV example is
    # the README's own, the instance is new and on SQLite.
    (tmp_path / "bin").symlink_to(ROOT / "bin")
    (tmp_path / "people.csv").write_text(re.search(r"```csv\n(.*?)```", text, flags=re.S).group(1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (
        "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TANDEM_ENV", "TANDEM_DEMO_PASSWORD", "TANDEM_QUEUE_IMMEDIATE",
        "FLASK_APP", "VAPID_PRIVATE_KEY")}
    env["TANDEM_INSTANCE_PATH"] = str(tmp_path / "instance")
    for command in commands:
        # Commands that ask for a password get one, typed twice as click asks.
        # The shell runs the line as a reader types it (quotes, options); the lines are the README's own.
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                              input="mot-de-passe-admin\n" * 2, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert expected_output(command) in done.stdout, f"{command}\n{done.stdout}"
        assert "Traceback" not in done.stderr, command
