"""HTML to PDF with WeasyPrint. Free of Django imports so that rendering processes (spawned) start quickly."""

from __future__ import annotations


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """One WeasyPrint call for a whole document."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def html_to_pdf_job(job: tuple[str, str | None]) -> bytes:
    html, base_url = job
    return html_to_pdf(html, base_url)
