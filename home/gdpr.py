"""Personal data of the site pages: none. News pages point at Wagtail images, whose uploader is an account (see the
portal's "editorial history" section, `portal.gdpr.sections`). Registered by `HomeConfig.ready()`; checked by
tests/portal/test_gdpr_schema.py.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.gdpr import Section, register

SECTION = Section(
    key="home_pages",
    title=_("Site pages"),
    order=98,
    covers={"home.NewsPage": "the news item's image: no personal data (the uploader is on the image)"},
)


def register_all() -> None:
    register(SECTION)
