"""Wagtail admin wiring: an "Elections" menu (the election desk, elections and their settings, polling stations,
the read-only election log) and the home page slot with the current election. Elections and stations are changed
only through the services (`elections.admin_views`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views, selectors
from .models import SETTINGS, Election, ElectionEvent, PollingStation
from .permissions import can_handle_candidacies


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return can_handle_candidacies(request.user)


class ElectionViewSet(ModelViewSet):
    model = Election
    url_prefix = "elections/election"
    icon = "list-ul"
    menu_label = _("Elections and settings")
    list_display = ["council_name", "status", "voting_opens_at", "seats"]
    list_filter = ["status", "online_voting"]
    search_fields = ["council_name", "slug"]
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = list(SETTINGS)
    inspect_view_fields = ["status", *SETTINGS, "roll_generated_at", "roll_frozen_at"]
    add_view_class = admin_views.ElectionCreateView
    edit_view_class = admin_views.ElectionEditView
    delete_view_class = admin_views.ElectionDeleteView


class PollingStationViewSet(ModelViewSet):
    model = PollingStation
    url_prefix = "elections/pollingstation"
    icon = "home"
    menu_label = _("Polling stations")
    list_display = ["name", "election", "address", "opens_at", "closes_at"]
    list_filter = ["election"]
    search_fields = ["name", "address"]
    copy_view_enabled = False
    form_fields = ["election", "name", "address", "opens_at", "closes_at", "accessibility"]
    add_view_class = admin_views.StationCreateView
    edit_view_class = admin_views.StationEditView
    delete_view_class = admin_views.StationDeleteView


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The election log is append-only: services write it, the admin only shows it."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ElectionEvent, ReadOnlyPolicy(ElectionEvent))


class ElectionEventViewSet(ModelViewSet):
    model = ElectionEvent
    url_prefix = "elections/electionevent"
    icon = "history"
    menu_label = _("Election log")
    list_display = ["created_at", "election", "kind", "actor", "summary"]
    list_filter = ["election", "kind"]
    search_fields = ["summary"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["summary"]


class ElectionsGroup(ModelViewSetGroup):
    menu_label = _("Elections")
    menu_icon = "tasks"
    menu_order = 270
    items = [ElectionViewSet(), PollingStationViewSet(), ElectionEventViewSet()]


@hooks.register("register_admin_viewset")
def register_election_viewsets():
    return ElectionsGroup()


@hooks.register("register_admin_menu_item")
def register_election_desk_menu_item():
    return DeskMenuItem(
        _("Election desk"),
        reverse("elections:manage_index"),
        icon_name="tasks",
        order=265,
        name="election-desk",
    )


@hooks.register("portal_home_slots")
def election_home_slot(request, page):
    election = selectors.current_election()
    if election is None:
        return None
    return {"order": 40, "template": "elections/includes/home_slot.html", "context": {"election": election}}
