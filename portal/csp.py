"""Content-Security-Policy: no inline script anywhere on the site, with one exception, the Wagtail admin.

The site's pages (public, tenants', staff screens) load scripts only from the site itself (`'self'`), and an inline
script must carry the per-response nonce (django-csp's `NONCE` in `script-src`: `<script nonce="{{
request.csp_nonce }}">`; the nonce appears in the header only on a response that uses it). The templates of the
portal have no inline script and no `on...=` attribute; keep it so (a test reads the header of every page).

Wagtail's admin (/admin/) still writes a few inline scripts of its own (date and time pickers, inline panels), which
cannot carry a nonce, so `PortalCSPMiddleware` gives the admin paths `script-src 'self' 'unsafe-inline'`. The admin is
used only by staff who passed their second factor (`portal.accounts.two_factor`); its pages show what staff typed,
escaped by Django's templates.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"
ADMIN_SCRIPT_SRC = [SELF, UNSAFE_INLINE]


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own `script-src` (see the module docstring)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), "script-src": ADMIN_SCRIPT_SRC}
        return parts
