from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Tenant meetings")
    #: Its models show on public pages: their changes retire the anonymous page cache (portal/page_cache.py).
    page_cache_private_models: tuple[str, ...] = ()

    def ready(self) -> None:
        # The messages this app sends through the notification service (portal.notifications.kinds), and its
        # personal data (portal.gdpr).
        from portal.notifications.kinds import register

        from . import gdpr, notifications

        register(*notifications.KINDS)
        gdpr.register_all()
