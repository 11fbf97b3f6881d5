"""Wagtail admin wiring: a "Meetings" menu item to the staff screens, record lists with search and filters,
and the home page slot with the next meetings.

The records change only through the services (`meetings.admin_views`): a meeting's edit form saves through
`meeting_update`; suggestions and action points are read-only here, with links to the staff screens.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from portal.admin_service_only import ServiceOnlyPermissionPolicy

from . import admin_views, selectors, services
from .models import ActionPoint, Meeting, TopicSuggestion
from .permissions import can_use_staff_area

register_permission_policy(Meeting, ServiceOnlyPermissionPolicy(Meeting, writes={"change"}), exact_class=True)
register_permission_policy(TopicSuggestion, ServiceOnlyPermissionPolicy(TopicSuggestion), exact_class=True)
register_permission_policy(ActionPoint, ServiceOnlyPermissionPolicy(ActionPoint), exact_class=True)


class StaffScreensMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_staff_area(request.user)


@hooks.register("register_admin_menu_item")
def register_meetings_menu_item():
    return StaffScreensMenuItem(
        _("Meetings"), reverse("meetings:staff"), icon_name="date", order=250, name="meetings-staff"
    )


class MeetingViewSet(ModelViewSet):
    model = Meeting
    icon = "date"
    menu_label = _("All meetings")
    list_display = ["__str__", "neighbourhood", "date", "status", "minutes_status"]
    list_filter = ["neighbourhood", "status", "minutes_status", "languages"]
    search_fields = ["title", "place_name", "minutes_introduction"]
    ordering = ["-date"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.MeetingInspectView
    edit_view_class = admin_views.MeetingEditView
    copy_view_enabled = False
    form_fields = services.MEETING_DETAIL_FIELDS


class SuggestionViewSet(ModelViewSet):
    model = TopicSuggestion
    icon = "help"
    menu_label = _("Topic suggestions")
    list_display = ["title", "neighbourhood", "channel", "status", "created_at"]
    list_filter = ["neighbourhood", "status", "channel"]
    search_fields = ["title", "description"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.SuggestionInspectView
    copy_view_enabled = False
    form_fields = ["title", "description", "building"]


class ActionPointViewSet(ModelViewSet):
    model = ActionPoint
    icon = "tasks"
    menu_label = _("Action points")
    list_display = ["description", "neighbourhood", "department", "due_date", "status"]
    list_filter = ["neighbourhood", "department", "status"]
    search_fields = ["description", "responsible", "status_note"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.ActionPointInspectView
    copy_view_enabled = False
    form_fields = ["description", "department", "responsible", "due_date"]


class MeetingRecordsGroup(ModelViewSetGroup):
    menu_label = _("Meeting records")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = (
        MeetingViewSet("meeting_records"),
        SuggestionViewSet("meeting_suggestions"),
        ActionPointViewSet("meeting_action_points"),
    )


@hooks.register("register_admin_viewset")
def register_meeting_records():
    return MeetingRecordsGroup()


@hooks.register("portal_home_slots")
def next_meetings_slot(request, page):
    """The home page shows the next meetings (or nothing when none is planned)."""
    meetings = selectors.upcoming_meetings(limit=3)
    if not meetings:
        return None
    return {"order": 10, "template": "meetings/includes/home_slot.html", "context": {"meetings": meetings}}
