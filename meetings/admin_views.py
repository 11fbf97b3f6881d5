"""The meetings' records in the Wagtail admin, changed only through the services (`portal.admin_service_only`).

- Meetings: the edit form saves through `meeting_update` (which refuses a held or cancelled meeting, checks the
  worker's neighbourhood, tells invited tenants of a change and writes the audit log); planning and cancelling are
  on the staff screens (`meeting_create` and `meeting_cancel` need the sites and a reason); there is no delete.
- Topic suggestions and action points: read-only (inspect), with links to the staff screens that answer a
  suggestion (`suggestion_answer`) or update an action point (`action_point_update_status`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.log_actions import log

from portal.admin_service_only import StaffScreenLinks

from . import permissions as perms
from . import services
from .models import ActionPoint, Meeting, TopicSuggestion
from .views import apply_errors


def meeting_links(meeting: Meeting, user: Any) -> list[tuple[str, str]]:
    links = []
    if perms.can_manage_meeting(user, meeting):
        links.append((_("Agenda and staff screens"), reverse("meetings:staff_agenda", args=[meeting.pk])))
    if meeting.status != Meeting.Status.CANCELLED:
        links.append((_("Public page"), meeting.get_absolute_url()))
    return links


class MeetingInspectView(StaffScreenLinks, InspectView):
    def get_staff_links(self, instance: Meeting, user: Any) -> list[tuple[str, str]]:
        return meeting_links(instance, user)


class MeetingEditView(StaffScreenLinks, EditView):
    """The admin's edit form for a meeting, saved through `meetings.services.meeting_update`."""

    def get_staff_links(self, instance: Meeting, user: Any) -> list[tuple[str, str]]:
        return meeting_links(instance, user)

    def save_instance(self) -> Meeting:
        fields = {
            name: self.form.cleaned_data[name]
            for name in services.MEETING_DETAIL_FIELDS
            if name in self.form.cleaned_data
        }
        meeting = services.meeting_update(
            actor=self.request.user, meeting=Meeting.objects.get(pk=self.object.pk), **fields
        )
        log(instance=meeting, action="wagtail.edit", user=self.request.user)
        return meeting

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            apply_errors(form, error)
            for message in error.messages:
                messages.error(self.request, message)
            self.produced_error_message = None
            return self.form_invalid(form)


class SuggestionInspectView(StaffScreenLinks, InspectView):
    def get_staff_links(self, instance: TopicSuggestion, user: Any) -> list[tuple[str, str]]:
        if not perms.can_answer_suggestion(user, instance):
            return []
        if instance.status == TopicSuggestion.Status.NEW:
            return [
                (_("Answer this suggestion"), reverse("meetings:staff_suggestion_answer", args=[instance.pk]))
            ]
        return [(_("Suggestions to answer"), reverse("meetings:staff_suggestions"))]


class ActionPointInspectView(StaffScreenLinks, InspectView):
    def get_staff_links(self, instance: ActionPoint, user: Any) -> list[tuple[str, str]]:
        if not perms.can_update_action_point(user, instance):
            return []
        return [
            (_("Update where it stands"), reverse("meetings:staff_action_points") + f"#point-{instance.pk}")
        ]
