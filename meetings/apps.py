from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Tenant meetings")

    def ready(self) -> None:
        # The messages this app sends through the notification service (portal.notifications.kinds).
        from portal.notifications.kinds import register

        from . import notifications

        register(*notifications.KINDS)
