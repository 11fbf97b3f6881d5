"""The client's address: the one function every rate limit and every attempt record uses.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address, the same for every visitor. Each proxy in front of the
portal appends the address it received the connection from to X-Forwarded-For (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). With `PORTAL_TRUSTED_PROXY_COUNT` = N trusted
proxies, the client is therefore the N-th address from the right: the addresses further left were sent by the
client itself and can be forged, those to the right were written by the proxies. With N = 0 (no proxy) it is
REMOTE_ADDR and the header is ignored.

Used by django-ratelimit (`RATELIMIT_IP_META_KEY`), allauth (`portal.accounts.adapters.AccountAdapter
.get_client_ip`, which also keys its login limits) and the linking attempts (`portal.accounts.views.link_account`).
The README's "Production deployment" section says what to set for 0, 1 or 2 proxies.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    """An address in canonical form, or None if `value` is not one (`[::1]` and `1.2.3.4:5678` are accepted)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6] or [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def forwarded_address(header: str, trusted_proxies: int) -> str | None:
    """The address `trusted_proxies` hops from the right of a forwarding header (`client, proxy1, proxy2`).

    When the header holds fewer addresses than there are trusted proxies (the request skipped a proxy, or the
    count is set too high), the leftmost one: the furthest that is known. None when the chosen entry is not an
    address."""
    hops = [hop for hop in (part.strip() for part in header.split(",")) if hop]
    if not hops:
        return None
    return _clean(hops[-min(trusted_proxies, len(hops))])


def client_ip(request: HttpRequest) -> str:
    """The address of the visitor who sent `request`, as far as the trusted proxies can tell."""
    trusted_proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if trusted_proxies > 0:
        address = forwarded_address(
            request.headers.get(settings.PORTAL_CLIENT_IP_HEADER, ""), trusted_proxies
        )
        if address:
            return address
    address = _clean(request.META.get("REMOTE_ADDR") or "")
    if not address:
        raise ImproperlyConfigured(
            "The client's address is unknown: REMOTE_ADDR is empty (a Unix socket?) and no trusted proxy set "
            f"{settings.PORTAL_CLIENT_IP_HEADER}. Set PORTAL_TRUSTED_PROXY_COUNT (README, Production deployment)."
        )
    return address


def check_proxy_count(**kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy`: settings that trust a proxy's X-Forwarded-Proto but count no proxy make every visitor one
    client (registered in PortalConfig.ready)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.PORTAL_TRUSTED_PROXY_COUNT == 0:
        return [
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER trusts a reverse proxy, but PORTAL_TRUSTED_PROXY_COUNT is 0: every visitor "
                "will have the proxy's address, and rate limits will refuse them all together.",
                hint="Set PORTAL_TRUSTED_PROXY_COUNT to the number of proxies (1 behind nginx; README).",
                id="portal.W001",
            )
        ]
    return []
