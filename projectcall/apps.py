from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectcallConfig(AppConfig):
    name = "projectcall"
    verbose_name = _("Call for collective projects")
    #: Its models show on public pages: their changes retire the anonymous page cache (portal/page_cache.py).
    page_cache_private_models: tuple[str, ...] = ()

    def ready(self) -> None:
        from . import gdpr

        gdpr.register_all()
