"""Starting an installation: production refuses to start without its settings (one line, no traceback),
secrets are written for their owner only, ``init`` makes the Web Push keys."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _environment(instance: Path, **settings: str) -> dict:
    """A clean environment: none of the suite's or the machine's Tandem settings leak in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "TANDEM_ENV", "TANDEM_QUEUE_IMMEDIATE")}
    env.update(TANDEM_INSTANCE_PATH=str(instance), PATH=f"{VENV_BIN}:{env.get('PATH', '')}", **settings)
    return env


@pytest.mark.parametrize(("given", "missing"), [
    ({}, "DATABASE_URL, SECRET_KEY, REDIS_URL"),
    ({"DATABASE_URL": "postgresql://tandem@db.invalid/tandem"}, "SECRET_KEY, REDIS_URL"),
    ({"DATABASE_URL": "postgresql://tandem@db.invalid/tandem", "SECRET_KEY": "k" * 40}, "REDIS_URL"),
    ({"SECRET_KEY": "k" * 40, "REDIS_URL": "redis://cache.invalid:6379/0"}, "DATABASE_URL"),
])
def test_production_refuses_to_start_with_one_line_naming_what_is_missing(tmp_path, given, missing):
    done = subprocess.run([str(ROOT / "bin" / "flask"), "init"], capture_output=True, text=True, timeout=60,
                          env=_environment(tmp_path, TANDEM_ENV="production", **given))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        f"Tandem : TANDEM_ENV=production exige {missing} (voir README.md, « Production »)."]
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "secret_key").exists()  # production never falls back to a per-machine key


def test_gunicorn_refuses_once_before_starting_any_worker(tmp_path):
    # As the Procfile's web process runs it: from the checkout, where gunicorn reads gunicorn.conf.py.
    done = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--workers", "2", "--bind", "127.0.0.1:0", "webapp:create_app()"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env=_environment(tmp_path, TANDEM_ENV="production"))
    assert done.returncode == 4
    refusals = [line for line in done.stderr.splitlines() if line.startswith("Tandem : ")]
    assert refusals == ["Tandem : TANDEM_ENV=production exige DATABASE_URL, SECRET_KEY, REDIS_URL "
                        "(voir README.md, « Production »)."]
    assert "Booting worker" not in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_smtp_security_is_refused_at_start(tmp_path):
    done = subprocess.run([str(ROOT / "bin" / "flask"), "init"], capture_output=True, text=True, timeout=60,
                          env=_environment(tmp_path, SMTP_SECURITY="ssl"))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["Tandem : SMTP_SECURITY=ssl : valeurs possibles starttls, tls, none."]


def test_init_writes_the_secret_key_and_push_keys_for_their_owner_only(tmp_path):
    env = _environment(tmp_path)
    first = subprocess.run([str(ROOT / "bin" / "flask"), "init"], capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    assert "Clés Web Push (VAPID) créées" in first.stdout
    for name in ("secret_key", "vapid_private.pem"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    pem = (tmp_path / "vapid_private.pem").read_bytes()
    again = subprocess.run([str(ROOT / "bin" / "flask"), "init"], capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0 and "VAPID" not in again.stdout
    assert (tmp_path / "vapid_private.pem").read_bytes() == pem  # kept: subscribed phones stay valid

