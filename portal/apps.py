from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Tenant register and shared services")
    #: Its models show on public pages: their changes retire the anonymous page cache (portal/page_cache.py),
    #: except these, written on every log line, linking try or delivery and never shown there.
    page_cache_private_models: tuple[str, ...] = (
        "auditevent",
        "linkingcode",
        "linkingattempt",
        "notificationbatch",
        "delivery",
    )

    def ready(self) -> None:
        # Admin views of accounts (linking, letters with personal codes) register their Wagtail hooks here.
        from allauth.mfa.signals import authenticator_added
        from django.core import checks

        from .accounts import admin  # noqa: F401
        from .accounts.two_factor import record_activation
        from .client import check_proxy_count
        from .content import check_content_languages
        from .gdpr import retention, sections
        from .notifications import checks as notification_checks  # noqa: F401 - its checks register themselves
        from .notifications import messages
        from .notifications.kinds import register
        from .page_cache import connect_signals

        connect_signals()
        register(*messages.KINDS)
        sections.register_all()
        retention.register_all()
        authenticator_added.connect(record_activation, dispatch_uid="portal_mfa_record_activation")
        checks.register(check_proxy_count, checks.Tags.security, deploy=True)
        checks.register(check_content_languages)
