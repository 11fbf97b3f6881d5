"""Admin wiring of the project call: a "Project call" menu with the calls, the workers' screens and the records.

Applications and ideas change only through the services: read-only here (`projectcall.admin_views`).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.admin_service_only import ServiceOnlyPermissionPolicy
from portal.permissions import is_collective_worker, is_reviewer

from . import admin_views
from .forms import ApplicantKindsWidget
from .models import Application, Call, Idea, ProjectCallPage

register_permission_policy(Application, ServiceOnlyPermissionPolicy(Application), exact_class=True)
register_permission_policy(Idea, ServiceOnlyPermissionPolicy(Idea), exact_class=True)


class CallViewSet(SnippetViewSet):
    model = Call
    icon = "date"
    menu_label = _("Calls")
    list_display = ["title", "year", "opens_at", "closes_at", "envelope", "phase_label"]
    search_fields = ["title"]
    panels = [
        FieldPanel("year"),
        FieldPanel("title"),
        FieldPanel("envelope"),
        FieldPanel("max_per_project"),
        FieldPanel("eligible_kinds", widget=ApplicantKindsWidget),
        FieldPanel("eligible_neighbourhoods"),
        FieldPanel("opens_at"),
        FieldPanel("closes_at"),
        FieldPanel("decision_on"),
        FieldPanel("projects_end_on"),
        FieldPanel("final_report_due_on"),
        InlinePanel("criteria", label=_("Criteria"), min_num=1),
    ]


class ApplicationViewSet(SnippetViewSet):
    """Read-only: applications change through the applicants' and workers' screens (services)."""

    model = Application
    icon = "doc-full"
    menu_label = _("Applications")
    list_display = ["reference", "title", "call", "neighbourhood", "status", "project_status"]
    list_filter = ["call", "status", "project_status", "neighbourhood"]
    search_fields = ["reference", "title", "summary"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.ApplicationInspectView
    inspect_view_fields = [
        "reference",
        "title",
        "summary",
        "call",
        "neighbourhood",
        "status",
        "project_status",
    ]
    copy_view_enabled = False


class IdeaViewSet(SnippetViewSet):
    model = Idea
    icon = "help"
    menu_label = _("Idea box")
    list_display = ["title", "neighbourhood", "status", "created_at"]
    list_filter = ["status", "neighbourhood"]
    search_fields = ["title", "description"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.IdeaInspectView
    inspect_view_fields = ["title", "description", "neighbourhood", "status", "answer", "created_at"]
    copy_view_enabled = False


class ProjectCallGroup(SnippetViewSetGroup):
    items = (CallViewSet, ApplicationViewSet, IdeaViewSet)
    menu_icon = "pick"
    menu_label = _("Project call")
    menu_name = "project-call"


register_snippet(ProjectCallGroup)


class _WorkerItem(MenuItem):
    def is_shown(self, request):
        return is_collective_worker(request.user)


class _ReviewerItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


@hooks.register("register_admin_menu_item")
def project_call_office_item():
    return _WorkerItem(
        _("Project call: office"), reverse("projectcall:manage_index"), icon_name="pick", order=310
    )


@hooks.register("register_admin_menu_item")
def project_call_jury_item():
    return _ReviewerItem(
        _("Project call: jury"), reverse("projectcall:review_index"), icon_name="tasks", order=311
    )


@hooks.register("portal_home_slots")
def open_call_slot(request, page):
    """The open call on the home page, linking to its public page in the visitor's language."""
    now = timezone.now()
    # Usually one query: the live pages of the open calls, with their call; the call alone when it has no page.
    pages = list(
        ProjectCallPage.objects.live()
        .filter(call__opens_at__lte=now, call__closes_at__gt=now)
        .select_related("call", "locale")
        .order_by("call__closes_at", "call_id")
    )
    if pages:
        call = pages[0].call
        pages = [page for page in pages if page.call_id == call.pk]
        target = next((p for p in pages if p.locale.language_code == get_language()), pages[0])
        url = target.get_url(request) or call.get_absolute_url()
    else:
        call = Call.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
        if call is None:
            return None
        url = call.get_absolute_url()
    return {
        "order": 20,
        "template": "projectcall/includes/home_slot.html",
        "context": {"call": call, "url": url},
    }
