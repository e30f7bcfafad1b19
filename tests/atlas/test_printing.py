"""The atlas PDF laid out in several processes: pages in order, progress as each is done, and a build
process that dies fails that build only."""

from __future__ import annotations

import os
import signal
import subprocess
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from webapp.atlas import printing

STYLESHEET = str(Path(printing.__file__).parents[2] / "static" / "css" / "atlas.css")


def _pages(count: int) -> list[str]:
    return [f"<html><body><h1>Affiche {n}</h1></body></html>" for n in range(1, count + 1)]


def _texts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "atlas.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_the_posters_come_out_in_their_order_with_progress_for_each(tmp_path):
    done = []
    pdf = printing.posters_pdf(iter(_pages(5)), 5, str(tmp_path), STYLESHEET, lambda: done.append(1))
    assert _texts(pdf, tmp_path) == [f"Affiche {n}" for n in range(1, 6)]
    assert len(done) == 5


def test_a_dead_build_process_fails_its_build_and_the_next_build_starts_new_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(printing.os, "cpu_count", lambda: 2)  # processes even on a one-core machine
    printing.posters_pdf(iter(_pages(2)), 2, str(tmp_path), STYLESHEET, lambda: None)  # the processes run
    for pid in list(printing._pool._processes):
        os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    with pytest.raises(BrokenProcessPool):
        printing.posters_pdf(iter(_pages(3)), 3, str(tmp_path), STYLESHEET, lambda: None)
    pdf = printing.posters_pdf(iter(_pages(3)), 3, str(tmp_path), STYLESHEET, lambda: None)
    assert _texts(pdf, tmp_path) == ["Affiche 1", "Affiche 2", "Affiche 3"]
