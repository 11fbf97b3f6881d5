from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectcallConfig(AppConfig):
    name = "projectcall"
    verbose_name = _("Call for collective projects")

    def ready(self) -> None:
        from . import gdpr

        gdpr.register_all()
