"""Wagtail admin wiring: a "Mailings" menu with "Notifications", shown to collective workers and administrators.

Imported by `portal/wagtail_hooks.py` (Wagtail loads one `wagtail_hooks` module per app).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import urls
from .permissions import can_manage_notifications


class NotificationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_notifications(request.user)


@hooks.register("register_admin_urls")
def register_notification_urls():
    return [path("notifications/", include(urls, namespace="portal_notifications"))]


@hooks.register("register_admin_menu_item")
def register_mailings_menu():
    menu = Menu(
        items=[
            NotificationsMenuItem(
                _("Notifications"),
                reverse("portal_notifications:index"),
                name="notifications",
                icon_name="mail",
            )
        ]
    )
    return SubmenuMenuItem(_("Mailings"), menu, name="mailings", icon_name="mail", order=350)
