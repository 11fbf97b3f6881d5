"""The call's records in the Wagtail admin, changed only through the services (`portal.admin_service_only`).

Applications (`application_create`... `decision_take`, `project_status_set`) and ideas (`idea_submit`,
`idea_answer`, `idea_convert`) are read-only in the admin: their inspect pages link to the workers' screens that
change them. Calls have no service: the admin's snippet form is where they are set up.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.snippets.views.snippets import InspectView

from portal.admin_service_only import StaffScreenLinks

from . import permissions
from .models import Application, Idea


class ApplicationInspectView(StaffScreenLinks, InspectView):
    def get_staff_links(self, instance: Application, user: Any) -> list[tuple[str, str]]:
        links = []
        if permissions.can_view_application(user, instance):
            links.append(
                (_("Open the application"), reverse("projectcall:application_detail", args=[instance.pk]))
            )
        if permissions.can_check_eligibility(user, instance):
            links.append((_("Check eligibility"), reverse("projectcall:eligibility", args=[instance.pk])))
        return links


class IdeaInspectView(StaffScreenLinks, InspectView):
    def get_staff_links(self, instance: Idea, user: Any) -> list[tuple[str, str]]:
        if not permissions.can_manage_calls(user):
            return []
        return [(_("Answer this idea"), reverse("projectcall:idea_detail", args=[instance.pk]))]
