"""Wagtail hooks of the shared `portal` app (one module per app; each area keeps its hooks in its own package)."""

from portal.notifications import wagtail_hooks as notifications_hooks  # noqa: F401
