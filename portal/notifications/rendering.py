"""Rendering a batch's message: e-mails (text + HTML), the letters PDF and the building-hall notices PDF.

Each message fragment is rendered once per recipient and language; the batch of letters becomes one PDF, made
of parts rendered by WeasyPrint in parallel processes, where letters sharing their text are laid out once
(`letter_jobs`, `portal.pdf.letters_to_pdf`). Templates extend `documents/base.html` like every printed
document (`portal.documents`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from portal import documents, pdf
from portal.documents import company_context
from portal.models import Building, Household, Person

from .kinds import get_kind
from .models import Delivery, NotificationBatch


def unknown_language_order() -> list[str]:
    """Languages used, one after the other, when a recipient's language is unknown (FR then NL in Brussels)."""
    return list(getattr(settings, "PORTAL_NOTIFICATIONS_UNKNOWN_LANGUAGES", ["fr", "nl"]))


class MessageRenderer:
    """Renders one batch's message for its recipients. Keeps templates and per-language context in memory."""

    def __init__(self, batch: NotificationBatch) -> None:
        self.batch = batch
        self.kind = get_kind(batch.message)
        self.prefix = self.kind.template_dir
        self.context_builder = self.kind.context
        self.recipient_builder = self.kind.recipient_context
        self.today = timezone.localdate()
        self._templates: dict[str, Any] = {}
        self._language_context: dict[str, dict[str, Any]] = {}

    def template(self, name: str, *, optional: bool = False):
        if name not in self._templates:
            try:
                self._templates[name] = get_template(self.prefix + name)
            except TemplateDoesNotExist:
                if not optional:
                    raise
                self._templates[name] = None
        return self._templates[name]

    def languages(self, code: str) -> list[str]:
        return [code] if code else unknown_language_order()

    def language_context(self, language: str) -> dict[str, Any]:
        """The batch context plus the app's context builder, computed once per language."""
        if language not in self._language_context:
            with translation.override(language):
                context = {**company_context(), **self.batch.context}
                if self.context_builder is not None:
                    context.update(self.context_builder(dict(self.batch.context)) or {})
                context.update({"batch": self.batch, "date": self.today})
            self._language_context[language] = context
        return self._language_context[language]

    def recipient_extra(
        self, person: Person | None, household: Household | None, language: str
    ) -> dict[str, Any]:
        if self.recipient_builder is None:
            return {}
        with translation.override(language):
            return self.recipient_builder(person, household, dict(self.batch.context)) or {}

    def context(self, language: str, delivery: Delivery | None, extra: dict[str, Any]) -> dict[str, Any]:
        context = dict(self.language_context(language))
        if delivery is not None:
            household = delivery.household
            context.update(
                {
                    "person": delivery.person,
                    "household": household,
                    "dwelling": household.dwelling if household else None,
                    "building": household.dwelling.building if household else None,
                    "recipient_name": delivery.person.full_name if delivery.person else delivery.name,
                    "address_lines": delivery.address.splitlines(),
                    # A tenant of the register (the footer says why they get it), or a plain address.
                    "tenant": household is not None,
                }
            )
        context.update(extra)
        context["language"] = language
        return context

    def render_text(self, name: str, context: dict[str, Any], *, optional: bool = False) -> str | None:
        template = self.template(name, optional=optional)
        if template is None:
            return None
        return template.template.render(Context(context, autoescape=False)).strip()

    def render_html(self, name: str, context: dict[str, Any], *, optional: bool = False) -> str | None:
        template = self.template(name, optional=optional)
        if template is None:
            return None
        return mark_safe(template.render(context))  # noqa: S308 - the template output is already escaped

    # E-mail -----------------------------------------------------------------------------------------------

    def email(self, delivery: Delivery, *, connection=None) -> EmailMultiAlternatives:
        languages = self.languages(delivery.language)
        extra = self.recipient_extra(delivery.person, delivery.household, languages[0])
        subjects, texts, htmls = [], [], []
        for language in languages:
            with translation.override(language):
                context = self.context(language, delivery, extra)
                subject = " ".join(self.render_text("subject.txt", context).split())
                body = self.render_text("email.txt", context)
                body_html = self.render_html("email.html", context, optional=True)
                if body_html is None:
                    body_html = mark_safe(linebreaks(body, autoescape=True))  # noqa: S308 - escaped by linebreaks
                section = {**context, "subject": subject, "body": body, "body_html": body_html}
                subjects.append(subject)
                texts.append(render_to_string("notifications/email_base.txt", section).strip())
                htmls.append(render_to_string("notifications/email_base.html", section))
        subject = " / ".join(dict.fromkeys(subjects))
        text = "\n\n---------------------------------------------\n\n".join(texts) + "\n"
        html = render_to_string(
            "notifications/email_document.html",
            {"subject": subject, "sections": [mark_safe(h) for h in htmls], "language": languages[0]},  # noqa: S308
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=getattr(settings, "PORTAL_NOTIFICATIONS_FROM_EMAIL", None)
            or settings.DEFAULT_FROM_EMAIL,
            to=[delivery.email],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(html, "text/html")
        return message

    # Letters ----------------------------------------------------------------------------------------------

    def letter_pages(self, deliveries: Iterable[Delivery]) -> list[dict[str, Any]]:
        """One entry per letter (two for a household of unknown language), in the order of the deliveries."""
        letters = []
        for delivery in deliveries:
            languages = self.languages(delivery.language)
            extra = self.recipient_extra(delivery.person, delivery.household, languages[0])
            for language in languages:
                with translation.override(language):
                    context = self.context(language, delivery, extra)
                    letters.append(
                        {
                            "language": language,
                            "address_lines": context["address_lines"],
                            "subject": " ".join(self.render_text("subject.txt", context).split()),
                            "body": self.render_html("letter.html", context),
                        }
                    )
        return letters

    def letters_html(self, deliveries: Iterable[Delivery]) -> str:
        """The whole batch of letters as one HTML document."""
        return self.letters_document(self.letter_pages(deliveries))

    def letters_document(self, letters: list[dict[str, Any]]) -> str:
        return render_to_string(
            "notifications/letter_base.html", {**company_context(), "letters": letters, "date": self.today}
        )

    def notices_html(self, buildings: Iterable[Building]) -> str:
        notices = []
        for building in buildings:
            sections = []
            for language in unknown_language_order():
                with translation.override(language):
                    context = {**self.context(language, None, {}), "building": building}
                    body = self.render_html("notice.html", context, optional=True)
                    if body is None:
                        body = self.render_html("letter.html", context)
                    sections.append(
                        {
                            "language": language,
                            "subject": " ".join(self.render_text("subject.txt", context).split()),
                            "body": body,
                        }
                    )
            notices.append({"building": building, "sections": sections})
        return render_to_string(
            "notifications/notice_base.html", {**company_context(), "notices": notices, "date": self.today}
        )


def html_to_pdf(html: str) -> bytes:
    """One WeasyPrint call for the whole document."""
    return documents.html_to_pdf(html)


def pdf_processes() -> int:
    """How many processes render a large batch of letters (PORTAL_NOTIFICATIONS_PDF_PROCESSES, default: CPUs)."""
    configured = getattr(settings, "PORTAL_NOTIFICATIONS_PDF_PROCESSES", None)
    return max(1, int(configured if configured is not None else (os.cpu_count() or 1)))


def letter_jobs(renderer: MessageRenderer, letters: list[dict[str, Any]], size: int) -> list[tuple]:
    """The letters split into parts of at most `size`, each a job for `pdf.letters_to_pdf_job`.

    Letters of a batch usually share their text (the minutes, in French or in Dutch) and differ only by the
    address: each part then carries each distinct letter once (with an empty address window) and one page per
    recipient with only the address, so WeasyPrint lays out the text once per part instead of once per letter.
    Letters whose text differs per recipient (a recipient context) are rendered as they are.
    """
    base_url = str(settings.BASE_DIR)
    jobs = []
    for start in range(0, len(letters), size):
        part = letters[start : start + size]
        html = renderer.letters_document(part)
        distinct: dict[tuple[str, str, str], int] = {}
        firsts: dict[int, dict[str, Any]] = {}
        keys = []
        for letter in part:
            key = distinct.setdefault(
                (letter["language"], letter["subject"], str(letter["body"])), len(distinct)
            )
            firsts.setdefault(key, letter)
            keys.append(key)
        if len(distinct) * 2 > len(part):
            jobs.append((html, None, None, None, base_url))
            continue
        bodies = [
            renderer.letters_document([{**firsts[key], "address_lines": []}]) for key in range(len(distinct))
        ]
        addresses = renderer.letters_document([{**letter, "subject": "", "body": ""} for letter in part])
        jobs.append((html, bodies, addresses, keys, base_url))
    return jobs


def letters_to_pdf(jobs: list[tuple]) -> bytes:
    """Render the parts of a batch of letters (see `letter_jobs`) in parallel processes, joined into one PDF."""
    return _parts_to_pdf(pdf.letters_to_pdf_job, jobs, lambda: _join_documents([job[0] for job in jobs]))


def documents_to_pdf(documents: list[str]) -> bytes:
    """Render several HTML documents (parts of one batch) in parallel processes and join them into one PDF."""
    base_url = str(settings.BASE_DIR)
    return _parts_to_pdf(
        pdf.html_to_pdf_job,
        [(document, base_url) for document in documents],
        lambda: _join_documents(documents),
    )


def _parts_to_pdf(render, jobs: list, joined_html) -> bytes:
    """Run `render(job)` for each part, in parallel processes, and join the parts in order with `pdfunite`.

    WeasyPrint lays out about 10-50 pages of text per second per core; a batch of 5,000 households is split into
    parts rendered side by side, then joined in order with `pdfunite` (poppler-utils). Without `pdfunite` the
    parts are joined into one HTML document and rendered by one WeasyPrint call; with one process, the parts
    are rendered one after the other here.
    """
    pdfunite = shutil.which("pdfunite")
    if len(jobs) == 1:
        return render(jobs[0])
    if pdfunite is None:
        return html_to_pdf(joined_html())
    processes = min(pdf_processes(), len(jobs))
    if processes == 1:
        parts = [render(job) for job in jobs]
    else:
        # "spawn": fresh processes (forking a worker that holds database connections and threads is unsafe).
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes) as pool:
            parts = pool.map(render, jobs, chunksize=1)
    with tempfile.TemporaryDirectory(prefix="portal-letters-") as directory:
        names = []
        for index, part in enumerate(parts):
            name = os.path.join(directory, f"part-{index:04d}.pdf")
            with open(name, "wb") as handle:
                handle.write(part)
            names.append(name)
        target = os.path.join(directory, "letters.pdf")
        subprocess.run([pdfunite, *names, target], check=True, capture_output=True)  # noqa: S603 - fixed arguments
        with open(target, "rb") as handle:
            return handle.read()


def _join_documents(documents: list[str]) -> str:
    if len(documents) == 1:
        return documents[0]
    head, _, _ = documents[0].partition("<body>")
    bodies = [document.partition("<body>")[2].rpartition("</body>")[0] for document in documents]
    return f"{head}<body>{''.join(bodies)}</body></html>"
