from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Tenant register and shared services")

    def ready(self) -> None:
        # Admin views of accounts (linking, letters with personal codes) register their Wagtail hooks here.
        from .accounts import admin  # noqa: F401
        from .notifications import checks, messages  # noqa: F401 - checks register themselves
        from .notifications.kinds import register
        from .page_cache import connect_signals

        connect_signals()
        register(*messages.KINDS)
