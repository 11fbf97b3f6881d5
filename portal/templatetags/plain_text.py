"""`{% plaintext_include "meetings/includes/minutes_body.html" %}`: a template written once in HTML, included in a plain-text e-mail.

The included template is rendered with the current context, then its HTML becomes text: paragraphs and headings
on lines of their own separated by a blank line, list items prefixed "- " (or "1. " in an ordered list), tags
removed, entities decoded (the text part of an e-mail is not HTML). Used by the minutes e-mail
(`templates/notifications/meetings/minutes/email.txt`), whose body is `meetings/includes/minutes_body.html`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django import template
from django.template.loader import get_template

register = template.Library()

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "section", "article"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.lists: list[list] = []  # [ordered, counter] per open list
        self.prefix = ""  # "- " or "1. " of a list item, put before its first text

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.line)).strip()
        text = "\n".join(part.strip() for part in text.split("\n"))
        if text:
            self.blocks.append(text)
        self.line = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._flush()
            if self.lists:
                self.lists[-1][1] += 1
                ordered, number = self.lists[-1]
                self.prefix = f"{number}. " if ordered else "- "
        elif tag == "br":
            self.line.append("\n")
        elif tag in BLOCKS or tag in ("td", "th"):
            if tag in ("td", "th") and self.line:
                self.line.append(" | ")
            else:
                self._flush()

    def handle_endtag(self, tag) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCKS and tag not in ("tr",):
            self._flush()

    def handle_data(self, data) -> None:
        if self.prefix and data.strip():
            self.line.append(self.prefix)
            self.prefix = ""
        self.line.append(data.replace("\n", " "))

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self.blocks)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


@register.simple_tag(takes_context=True)
def plaintext_include(context, template_name: str) -> str:
    """The template rendered with the current context, as plain text (see the module docstring)."""
    return html_to_text(get_template(template_name).render(context.flatten()))
