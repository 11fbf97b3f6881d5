"""Values every page of the site shell needs (site name, company, language switch)."""

import os

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext


def site_shell(request: HttpRequest) -> dict:
    # A name set by the operator (PORTAL_SITE_NAME) is shown as is; the default follows the visitor's language.
    site_name = os.environ.get("PORTAL_SITE_NAME") or gettext("Tenant portal")
    return {
        "PORTAL_SITE_NAME": site_name,
        "PORTAL_COMPANY_NAME": settings.PORTAL_COMPANY_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
    }
