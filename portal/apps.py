from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Tenant register and shared services")

    def ready(self) -> None:
        # Admin views of accounts (linking, letters with personal codes) register their Wagtail hooks here.
        from .accounts import admin  # noqa: F401
        from .gdpr import retention, sections
        from .page_cache import connect_signals

        connect_signals()
        sections.register_all()
        retention.register_all()
