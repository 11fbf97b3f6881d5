"""HTML to PDF with WeasyPrint: the only module that calls it. Free of Django imports so that the processes
rendering a big batch of letters (spawned by `portal.notifications.rendering`) start quickly.

Templates become HTML through `portal.documents` (the Django side); this module lays the HTML out: one document
(`html_to_pdf`), or letters that share their text (`letters_to_pdf`: each distinct letter laid out once).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """One WeasyPrint call for a whole document."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def html_to_pdf_job(job: tuple[str, str | None]) -> bytes:
    html, base_url = job
    return html_to_pdf(html, base_url)


WINDOW_CLASS = "window"
# The addresses document keeps only the windows, several to a page (page layout has a cost of its own).
ADDRESSES_ONLY = (
    f".letter {{ break-before: auto !important; }} .{WINDOW_CLASS} {{ break-inside: avoid !important; }} "
    f".letter > :not(.{WINDOW_CLASS}) {{ display: none !important; }}"
)


class LayoutMismatch(Exception):
    """The letters do not have the expected shape (one address window on the first page of each letter)."""


def _is_window(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and WINDOW_CLASS in (element.get("class") or "").split()


def _windows(box) -> list:
    """The outermost boxes of the address windows, in order (their anonymous line boxes share the element)."""
    if _is_window(box):
        return [box]
    return [window for child in getattr(box, "children", None) or () for window in _windows(child)]


def _replace(box, target, replacement):
    """A copy of `box` in which `target` is replaced (only the boxes on the way to it are copied)."""
    if box is target:
        return replacement
    children = getattr(box, "children", None) or []
    for index, child in enumerate(children):
        new = _replace(child, target, replacement)
        if new is not None:
            copy = box.copy()
            copy.children = [*children[:index], new, *children[index + 1 :]]
            return copy
    return None


def _page_with_window(page, window):
    """`page` (a laid-out letter page with an empty address window) with `window` (laid out elsewhere) in it."""
    from weasyprint.document import Page

    empty = _windows(page._page_box)
    if len(empty) != 1:
        raise LayoutMismatch("no address window on the first page")
    window.translate(empty[0].position_x - window.position_x, empty[0].position_y - window.position_y)
    return Page(_replace(page._page_box, empty[0], window))


def letters_to_pdf(bodies: list[str], addresses: str, keys: list[int], base_url: str | None = None) -> bytes:
    """Letters whose text is shared: each distinct letter is laid out once, only the addresses per recipient.

    `bodies`: one HTML document per distinct letter (the same letter with an empty address window);
    `addresses`: one HTML document with the same letters, address windows filled in (only the windows are laid
    out, several to a page); `keys[i]`: the index in `bodies` of recipient i's letter. The address window of each
    recipient's page is put into the first page of their letter (a copy of the laid-out page); WeasyPrint's
    layout of a page of text is the expensive step (about 0.1 s), so 3,000 letters of the same minutes cost
    a few layouts of the minutes plus 3,000 address blocks, then the drawing of every page.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # shared: pages of several documents are drawn into one PDF
    documents = [HTML(string=body, base_url=base_url).render(font_config=fonts) for body in bodies]
    only_windows = CSS(string=ADDRESSES_ONLY, font_config=fonts)
    address_document = HTML(string=addresses, base_url=base_url).render(
        font_config=fonts, stylesheets=[only_windows]
    )
    windows = [window for page in address_document.pages for window in _windows(page._page_box)]
    if len(windows) != len(keys):
        raise LayoutMismatch(f"{len(windows)} address windows for {len(keys)} letters")
    pages = []
    for key, window in zip(keys, windows, strict=True):
        first, *rest = documents[key].pages
        pages.append(_page_with_window(first, window))
        pages.extend(rest)
    return documents[0].copy(pages).write_pdf()


def letters_to_pdf_job(job: tuple[str, list[str] | None, str | None, list[int] | None, str | None]) -> bytes:
    """One part of a batch: the shared-text rendering when given, else (or when it does not fit) the plain one."""
    html, bodies, addresses, keys, base_url = job
    if bodies and addresses is not None and keys is not None:
        try:
            return letters_to_pdf(bodies, addresses, keys, base_url)
        except LayoutMismatch:
            pass
        except Exception:  # WeasyPrint's layout boxes are not a public API: an upgrade may change them
            logger.exception("Shared-text letters failed; rendering each letter in full")
    return html_to_pdf(html, base_url)
