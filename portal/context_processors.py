"""Values every page of the site shell needs (site name, company, language switch)."""

from django.conf import settings
from django.http import HttpRequest


def site_shell(request: HttpRequest) -> dict:
    return {
        "PORTAL_SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PORTAL_COMPANY_NAME": settings.PORTAL_COMPANY_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
    }
