"""The mini-bilan as a PDF (WeasyPrint): the text, what surprised us, answers by question, places,
and the photos, read from the instance folder (never fetched over HTTP)."""

from __future__ import annotations

from flask import render_template

from webapp.excursions import media as media_store
from webapp.excursions import service
from webapp.excursions.models import Excursion


def bilan_pdf(excursion: Excursion) -> bytes:
    from weasyprint import HTML

    def file_url(media) -> str:
        return media_store.media_path(media).resolve().as_uri()

    html = render_template("excursions/bilan_pdf.html", excursion=excursion,
                           evidence=service.compile_evidence(excursion), file_url=file_url)
    return HTML(string=html, base_url=str(media_store.media_folder())).write_pdf()
