"""The Procfile's processes for the benchmarks that measure through the web process users meet (gunicorn as
the Procfile configures it: workers, threads, keep-alive), not through a development server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "'webapp:create_app()'"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def line(name: str) -> str:
    for text in (ROOT / "Procfile").read_text().splitlines():
        if text.startswith(name + ":"):
            return text.split(":", 1)[1].strip()
    raise SystemExit(f"no {name} process in the Procfile")


def start_web(env: dict, port: int, app: str | None = None) -> subprocess.Popen:
    """The Procfile's web line on 127.0.0.1:``port``; ``app`` replaces its application (a benchmark's app
    with a baseline endpoint of its own), the rest of the line is kept."""
    command = line("web").replace("0.0.0.0", "127.0.0.1")  # loopback only
    if app:
        assert APP in command, command
        command = command.replace(APP, f"'{app}'")
    # The Procfile's lines are shell lines (${PORT:-8000}): run them as the platform does, through sh.
    process = subprocess.Popen(command, shell=True, env={**env, "PORT": str(port)}, cwd=ROOT,  # noqa: S602
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
