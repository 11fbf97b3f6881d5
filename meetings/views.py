"""Public pages of the tenant meetings: upcoming meetings, each meeting's page, calendars, archive, action points,
and the topic suggestion form. Every page works without JavaScript. Staff screens are in `staff_views`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from portal import page_cache
from portal.documents import pdf_response
from portal.models import Neighbourhood
from portal.permissions import person_for

from . import documents, selectors, services
from .forms import SuggestionForm
from .models import ActionPoint, Meeting, TopicSuggestion
from .permissions import can_use_staff_area


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it is about (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def meetings_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/index.html",
        {
            "meetings": selectors.upcoming_meetings(limit=30),
            "neighbourhoods": selectors.neighbourhoods_with_meetings(),
            "show_staff_link": can_use_staff_area(request.user),
        },
    )


def neighbourhood_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    hood = get_object_or_404(Neighbourhood, slug=slug)
    return render(
        request,
        "meetings/neighbourhood.html",
        {
            "neighbourhood": hood,
            "meetings": selectors.upcoming_meetings(neighbourhood=hood, limit=12),
            "recent": selectors.archive(neighbourhood=hood)[:3],
            "open_points": selectors.public_action_points(neighbourhood=hood).exclude(
                status=ActionPoint.Status.DONE
            )[:5],
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "meetings/meeting.html", {"meeting": meeting, "items": meeting.public_items})


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.public().with_public_agenda(), pk=pk)
    response = HttpResponse(
        documents.meetings_calendar([meeting], name=str(meeting)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def neighbourhood_ics(request: HttpRequest, slug: str) -> HttpResponse:
    hood = get_object_or_404(Neighbourhood, slug=slug)
    meetings = Meeting.objects.public().with_public_agenda().filter(neighbourhood=hood).order_by("-date")[:60]
    name = _("Tenant meetings %(neighbourhood)s") % {"neighbourhood": hood.name}
    return HttpResponse(
        documents.meetings_calendar(meetings, name=name), content_type="text/calendar; charset=utf-8"
    )


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    if not meeting.minutes_are_public:
        raise Http404
    return pdf_response(
        documents.minutes_pdf(meeting),
        f"minutes-{meeting.date:%Y-%m-%d}-{meeting.neighbourhood.slug}.pdf",
        attachment=False,
        private=False,
    )


def meetings_archive(request: HttpRequest, slug: str) -> HttpResponse:
    hood = get_object_or_404(Neighbourhood, slug=slug)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.archive(neighbourhood=hood, query=query), 20).get_page(request.GET.get("page"))
    page_cache.cacheable_query(request, page=page.number, q=None if query else "")  # a search is never stored
    return render(request, "meetings/archive.html", {"neighbourhood": hood, "query": query, "page_obj": page})


def action_points(request: HttpRequest, slug: str) -> HttpResponse:
    hood = get_object_or_404(Neighbourhood, slug=slug)
    status = request.GET.get("status", "")
    page_cache.cacheable_query(request, status=status if status in {"", *ActionPoint.Status.values} else None)
    return render(
        request,
        "meetings/action_points.html",
        {
            "neighbourhood": hood,
            "points": selectors.public_action_points(neighbourhood=hood, status=status),
            "status": status,
            "statuses": ActionPoint.Status.choices,
        },
    )


@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def suggest_topic(request: HttpRequest) -> HttpResponse:
    """Tenants suggest a topic; logged-in tenants get the answer by their usual channel, others by e-mail."""
    anonymous = not request.user.is_authenticated
    person = person_for(request.user)
    initial = {}
    if request.GET.get("neighbourhood"):
        initial["neighbourhood"] = Neighbourhood.objects.filter(slug=request.GET["neighbourhood"]).first()
    form = SuggestionForm(request.POST or None, anonymous=anonymous, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_submit(
                neighbourhood=data["neighbourhood"],
                building=data.get("building"),
                title=data["title"],
                description=data.get("description", ""),
                channel=TopicSuggestion.Channel.ANONYMOUS if anonymous else TopicSuggestion.Channel.ONLINE,
                user=request.user,
                person=person,
                contact_email=data.get("contact_email", ""),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Thank you! The collective workers will read your topic and answer you.")
            )
            return redirect("meetings:neighbourhood", slug=data["neighbourhood"].slug)
    return render(request, "meetings/suggest.html", {"form": form, "anonymous": anonymous})
