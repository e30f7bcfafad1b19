"""Print-ready PDFs of posters, laid out side by side on the machine's cores.

WeasyPrint lays out an A3 poster in about 0.2 s (grid sizing and line breaking: 80 % of the build) and
nothing of that work is shared between posters, so a 12-poster atlas built one poster after the other
costs twelve posters. Each poster is therefore laid out in a process of its own, as many at once as the
machine has cores, and the one-page PDFs are joined with pikepdf (qpdf: some 6 ms for 12 posters, where
pypdf parsed every object again in Python, 50 to 300 ms, as long as a poster's layout).

The processes come from a fork server that imported WeasyPrint once (safe from a threaded worker, where
a plain fork is not; cheap per poster, where spawning would import WeasyPrint each time). They inherit
the worker's priority: the Procfile runs the worker under `nice`, so a build uses idle cores and the web
process keeps the CPU when people need it.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor


def poster_pdf(html: str, base_url: str, stylesheet: str) -> bytes:
    """One poster's PDF (runs in a build process; also the single-poster path)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[_css(stylesheet)])


@functools.cache
def _css(path: str):
    from weasyprint import CSS

    return CSS(filename=path)


_pool: ProcessPoolExecutor | None = None


def _layout_processes() -> ProcessPoolExecutor:
    """The build processes, started at the first build and kept warm (fonts and stylesheet loaded) for the
    next; a pool broken by a dead process (out of memory) is replaced at the next build."""
    global _pool
    if _pool is None or _pool._broken:  # no public way to ask
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "weasyprint"])
        _pool = ProcessPoolExecutor(os.cpu_count(), mp_context=context)
    return _pool


def posters_pdf(pages: Iterable[str], count: int, base_url: str, stylesheet: str,
                on_each: Callable[[], None]) -> bytes:
    """The PDF of ``count`` posters' HTML, in their order. Each page is handed to a process as soon as
    it is made (the HTML needs the database, in this process); ``on_each`` is called as each poster is
    laid out, in order, so that the build records its progress."""
    if count > 1 and (os.cpu_count() or 1) > 1:
        pool = _layout_processes()
        futures = [pool.submit(poster_pdf, html, base_url, stylesheet) for html in pages]
        laid_out = (future.result() for future in futures)
    else:
        laid_out = (poster_pdf(html, base_url, stylesheet) for html in pages)
    pdfs = []
    for pdf in laid_out:
        pdfs.append(pdf)
        on_each()
    return join(pdfs)


def join(pdfs: list[bytes]) -> bytes:
    """One PDF of the pages of several, in order."""
    if len(pdfs) == 1:
        return pdfs[0]
    import pikepdf

    joined = pikepdf.Pdf.new()
    sources = [pikepdf.Pdf.open(io.BytesIO(pdf)) for pdf in pdfs]  # open until the joined PDF is saved
    for source in sources:
        joined.pages.extend(source.pages)
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()
