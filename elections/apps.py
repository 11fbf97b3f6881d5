from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Advisory council elections")
    #: Its models show on public pages: their changes retire the anonymous page cache (portal/page_cache.py),
    #: except these, written on every vote and check-in and never shown there.
    page_cache_private_models: tuple[str, ...] = (
        "rollentry",
        "participation",
        "ballot",
        "ballotbox",
        "keyholder",
        "countedballot",
        "publishedreceipt",
        "electionevent",
    )

    def ready(self) -> None:
        # The messages this app sends through the notification service (portal.notifications.kinds), and its
        # personal data (portal.gdpr).
        from portal.notifications.kinds import register

        from . import gdpr, notifications

        register(*notifications.KINDS)
        gdpr.register_all()
