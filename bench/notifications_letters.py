"""Time the letters PDF of a notification batch (no database needed: unsaved register objects).

    DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python bench/notifications_letters.py [households]

Prints the time to render the HTML of every letter and the single WeasyPrint call, with the page count.
A third of the households have no known language, so they get two pages (French then Dutch).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from portal.models import Building, Delivery, Dwelling, Household, NotificationBatch  # noqa: E402
from portal.notifications.models import Channel  # noqa: E402
from portal.notifications.rendering import MessageRenderer, documents_to_pdf, pdf_processes  # noqa: E402
from portal.notifications.tasks import letters_per_process  # noqa: E402


def main(count: int) -> None:
    batch = NotificationBatch(
        pk=1, title="Bench", message="portal/test_message", context={"topic": "the bins"}
    )
    deliveries = []
    for index in range(count):
        building = Building(
            street="Rue Haute", number=str(index // 20 + 1), postcode="1000", municipality="Bruxelles"
        )
        dwelling = Dwelling(building=building, unit=str(index % 20 + 1))
        household = Household(dwelling=dwelling, start_date=datetime.date(2015, 1, 1), language="")
        language = ("fr", "nl", "")[index % 3]
        address = f"Famille N{index:05d}\nRue Haute {building.number} / {dwelling.unit}\n1000 Bruxelles"
        deliveries.append(
            Delivery(
                batch=batch, household=household, channel=Channel.LETTER, language=language, address=address
            )
        )
    renderer = MessageRenderer(batch)
    start = time.perf_counter()
    pages = renderer.letter_pages(deliveries)
    size = letters_per_process()
    documents = [renderer.letters_document(pages[i : i + size]) for i in range(0, len(pages), size)]
    html_seconds = time.perf_counter() - start
    pdf = documents_to_pdf(documents)
    total = time.perf_counter() - start
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    page_count = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    print(
        f"{count} households, {page_count} pages, {len(pdf) / 1e6:.1f} MB, {len(documents)} parts on "
        f"{min(pdf_processes(), len(documents))} processes: HTML {html_seconds:.1f} s, "
        f"PDF {total - html_seconds:.1f} s, total {total:.1f} s wall"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
