from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Tenant register and shared services")

    def ready(self) -> None:
        # Admin views of accounts (linking, letters with personal codes) register their Wagtail hooks here.
        from allauth.mfa.signals import authenticator_added

        from .accounts import admin  # noqa: F401
        from .accounts.two_factor import record_activation
        from .page_cache import connect_signals

        connect_signals()
        authenticator_added.connect(record_activation, dispatch_uid="portal_mfa_record_activation")
