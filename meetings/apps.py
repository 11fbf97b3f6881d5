from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Tenant meetings")

    def ready(self) -> None:
        from . import gdpr

        gdpr.register_all()
