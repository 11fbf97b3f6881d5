from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Advisory council elections")

    def ready(self) -> None:
        from . import gdpr

        gdpr.register_all()
