"""Which addresses the walk requests: every route of the URLconf, with real objects where they exist."""

from __future__ import annotations

from .walker import Address, Fill, Route, addresses, dummy_address, routes

#: Wagtail's routes that fail on purpose (to try the error pages): left out of the walk with real objects.
FAIL_ON_PURPOSE = {"wagtailadmin_error_test", "admin/test404/"}


def planned(fill: Fill) -> tuple[list[Address], dict[str, list[str]], list[Route]]:
    """The addresses to request (real objects), the routes of ours whose parameters have no value, and the routes
    left out of the real-object walk (Wagtail's own admin views with parameters: they are still checked with dummy
    values for the second factor)."""
    found, missing, left_out = [], {}, []
    for route in routes():
        if dummy_address(route) is None or route.label in FAIL_ON_PURPOSE:
            continue  # shadowed by an earlier route (Wagtail's /admin/login/ by the portal's), or a test page
        paths, lacking = addresses(route, fill)
        if not lacking:
            found += paths
        elif route.is_admin and not route.is_ours:
            left_out.append(route)
        else:
            missing[route.label] = lacking
    return found, missing, left_out


def every_route() -> list[Address]:
    """One address per route (dummy values: enough for what is decided before a view looks anything up)."""
    return [address for route in routes() if (address := dummy_address(route)) is not None]
