"""Staff screens for the monthly cycle (tablet-friendly, styled with the site CSS, linked from the Wagtail admin):
dashboard, planning, agenda preparation, department proposals, recording the meeting, speakers list, minutes
review and publication, answering suggestions, updating action points.

Each view: authenticate, check a named permission, validate a form, call one service, redirect.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Building, Department
from portal.notifications.models import NotificationBatch

from . import permissions as perms
from . import selectors, services
from .forms import (
    ActionPointForm,
    ActionPointStatusForm,
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    MeetingForm,
    MinutesForm,
    PaperSuggestionForm,
    ReviewForm,
    SeriesForm,
    SpeakerForm,
    SuggestionAnswerForm,
)
from .models import ActionPoint, AgendaItem, Meeting, SpeakerTurn, TopicSuggestion
from .views import apply_errors


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not perms.can_use_staff_area(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("neighbourhood"), pk=pk)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _done(request: HttpRequest, message: str, to: str, **kwargs) -> HttpResponse:
    messages.success(request, message)
    return redirect(to, **kwargs)


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.staff_meetings(request.user)
    context["suggestions_count"] = (
        selectors.new_suggestions(request.user).count() if perms.can_plan_meetings(request.user) else 0
    )
    context["points_count"] = selectors.staff_action_points(request.user).count()
    context["can_plan"] = perms.can_plan_meetings(request.user)
    return render(request, "meetings/staff/dashboard.html", context)


@staff_required
def series_plan(request: HttpRequest) -> HttpResponse:
    _check(perms.can_plan_meetings(request.user))
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            planned = services.meeting_plan_series(
                actor=request.user, skip_months=set(data.pop("skip_months")), **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(
                request, _("%(count)s meetings planned.") % {"count": len(planned)}, "meetings:staff"
            )
    return render(
        request, "meetings/staff/form.html", {"form": form, "title": _("Plan a year of monthly meetings")}
    )


@staff_required
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = _meeting(pk) if pk else None
    _check(perms.can_edit_agenda(request.user, meeting) if meeting else perms.can_plan_meetings(request.user))
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sites = list(data.pop("sites"))
        try:
            if meeting:
                data.pop("neighbourhood", None)
                meeting = services.meeting_update(actor=request.user, meeting=meeting, sites=sites, **data)
            else:
                meeting = services.meeting_create(actor=request.user, sites=sites, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, _("Meeting saved."), "meetings:staff_agenda", pk=meeting.pk)
    title = _("Change the meeting") if meeting else _("Plan a meeting")
    return render(request, "meetings/staff/form.html", {"form": form, "title": title, "meeting": meeting})


@staff_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The worker's agenda editor: order, edit, accept, merge, then publish."""
    meeting = _meeting(pk)
    _check(perms.can_manage_meeting(request.user, meeting))
    items = list(
        meeting.items.select_related(
            "department", "proposed_by", "merged_into", "follow_up_of__meeting"
        ).prefetch_related("suggestions")
    )
    return render(
        request,
        "meetings/staff/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "accepted": [i for i in items if i.status == AgendaItem.Status.ACCEPTED],
            "total_minutes": sum(
                i.estimated_minutes for i in items if i.status == AgendaItem.Status.ACCEPTED
            ),
            "issues": services.agenda_issues_before_publishing(meeting)
            if meeting.status == Meeting.Status.PLANNED
            else [],
            "can_edit": perms.can_edit_agenda(request.user, meeting),
            "can_publish": perms.can_publish_agenda(request.user, meeting),
            "can_cancel": perms.can_cancel_meeting(request.user, meeting),
            "can_record": perms.can_record_meeting(request.user, meeting),
            "item_form": AgendaItemForm(),
            "batches": _batches(meeting),
        },
    )


def _batches(meeting: Meeting) -> list[NotificationBatch]:
    """The notifications sent about this meeting, with counts per channel (who got what by which channel)."""
    return list(
        NotificationBatch.objects.with_counts()
        .filter(
            related_content_type=ContentType.objects.get_for_model(Meeting), related_object_id=str(meeting.pk)
        )
        .order_by("created_at")
    )


@staff_required
@require_POST
def agenda_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One button on the agenda editor: accept, decline, move up/down, merge, publish."""
    meeting = _meeting(pk)
    _check(perms.can_edit_agenda(request.user, meeting))
    action = request.POST.get("action", "")
    item = meeting.items.filter(pk=request.POST.get("item") or 0).first()
    try:
        if action == "publish":
            _check(perms.can_publish_agenda(request.user, meeting))
            services.agenda_publish(actor=request.user, meeting=meeting)
            messages.success(
                request, _("The agenda is published. The invitation goes to every tenant concerned.")
            )
        elif item is None:
            messages.error(request, _("This item no longer exists."))
        elif action in {"accepted", "declined"}:
            services.agenda_item_set_status(actor=request.user, item=item, status=action)
        elif action in {"up", "down"}:
            services.agenda_item_move(actor=request.user, item=item, direction=1 if action == "down" else -1)
        elif action == "merge":
            into = meeting.items.filter(pk=request.POST.get("into") or 0).first()
            if into is None:
                raise ValidationError(_("Choose the item to merge it into."))
            services.agenda_item_merge(actor=request.user, item=item, into=into)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(
        reverse("meetings:staff_agenda", kwargs={"pk": meeting.pk}) + (f"#item-{item.pk}" if item else "")
    )


@staff_required
def item_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Department staff (or the worker) propose an item within the preparation window."""
    meeting = _meeting(pk)
    may_propose = perms.can_manage_meeting(request.user, meeting) or perms.is_meeting_department_staff(
        request.user
    )
    if not may_propose:
        raise PermissionDenied
    if not perms.can_propose_item(request.user, meeting):
        messages.error(
            request,
            _("The deadline for proposals was %(date)s: ask the collective worker directly.")
            % {"date": meeting.proposal_deadline.strftime("%d/%m/%Y")},
        )
        return redirect("meetings:staff")
    is_worker = perms.can_manage_meeting(request.user, meeting)
    departments = (
        None if is_worker else Department.objects.filter(pk__in=perms.user_department_ids(request.user))
    )
    form = AgendaItemForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_propose(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if is_worker:
                return _done(request, _("Item added to the agenda."), "meetings:staff_agenda", pk=meeting.pk)
            return _done(
                request,
                _("Thank you, your item is proposed. The collective worker will confirm it."),
                "meetings:staff",
            )
    title = _("Propose an agenda item for %(meeting)s") % {"meeting": meeting}
    return render(request, "meetings/staff/form.html", {"form": form, "title": title, "meeting": meeting})


@staff_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__neighbourhood"), pk=pk)
    _check(perms.can_edit_agenda(request.user, item.meeting))
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, _("Item saved."), "meetings:staff_agenda", pk=item.meeting_id)
    title = _("Change the item")
    return render(
        request, "meetings/staff/form.html", {"form": form, "title": title, "meeting": item.meeting}
    )


@staff_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    _check(perms.can_cancel_meeting(request.user, meeting))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, _("The meeting is cancelled."), "meetings:staff")
    title = _("Cancel %(meeting)s") % {"meeting": meeting}
    return render(
        request,
        "meetings/staff/form.html",
        {"form": form, "title": title, "meeting": meeting, "danger": True},
    )


def _record_forms(request: HttpRequest, meeting: Meeting, items: list[AgendaItem]):
    buildings = Building.objects.filter(site__neighbourhood=meeting.neighbourhood).select_related("site")
    current = {a.building_id: a.tenants_present for a in meeting.attendance.all()}
    initial = {"tenants_present": meeting.tenants_present, **{f"building_{b}": n for b, n in current.items()}}
    step = request.POST.get("step") if request.method == "POST" else None
    attendance = AttendanceForm(
        request.POST if step == "attendance" else None, buildings=buildings, initial=initial
    )
    minutes = MinutesForm(
        request.POST if step == "minutes" else None,
        items=items,
        initial={"introduction": meeting.minutes_introduction},
    )
    point = ActionPointForm(request.POST if step == "action_point" else None, meeting=meeting)
    return step, attendance, minutes, point


@staff_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """During and after the meeting: attendance, what was said and decided per item, action points."""
    meeting = _meeting(pk)
    _check(perms.can_manage_meeting(request.user, meeting))
    items = list(meeting.items.accepted().select_related("department"))
    step, attendance, minutes, point = _record_forms(request, meeting, items)
    if step and not perms.can_record_meeting(request.user, meeting):
        raise PermissionDenied
    form = {"attendance": attendance, "minutes": minutes, "action_point": point}.get(step)
    if form is not None and form.is_valid():
        try:
            if step == "attendance":
                services.meeting_record_attendance(
                    actor=request.user,
                    meeting=meeting,
                    tenants_present=form.cleaned_data["tenants_present"],
                    per_building=form.per_building(),
                )
            elif step == "minutes":
                services.minutes_save(
                    actor=request.user,
                    meeting=meeting,
                    introduction=form.cleaned_data["introduction"],
                    items=form.items_data(),
                )
                if request.POST.get("submit_for_review"):
                    services.minutes_submit_for_review(actor=request.user, meeting=meeting)
                    return _done(request, _("The minutes are sent for review."), "meetings:staff")
            else:
                data = form.cleaned_data
                services.action_point_add(
                    actor=request.user, meeting=meeting, item=data.pop("agenda_item"), **data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, _("Saved."), "meetings:staff_record", pk=meeting.pk)
    return render(
        request,
        "meetings/staff/record.html",
        {
            "meeting": meeting,
            "attendance_form": attendance,
            "minutes_form": minutes,
            "point_form": point,
            "points": meeting.action_points.select_related("department", "agenda_item"),
            "can_record": perms.can_record_meeting(request.user, meeting),
            "review_issues": services.minutes_issues_before_review(meeting)
            if meeting.status == Meeting.Status.HELD
            else [],
        },
    )


@staff_required
@require_POST
def action_point_remove(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(ActionPoint.objects.select_related("meeting__neighbourhood"), pk=pk)
    _check(perms.can_record_meeting(request.user, point.meeting))
    try:
        services.action_point_remove(actor=request.user, action_point=point)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:staff_record", pk=point.meeting_id)


@staff_required
def speakers(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of speakers on a tablet: who asked, in order, those who have not spoken yet first."""
    meeting = _meeting(pk)
    _check(perms.can_record_meeting(request.user, meeting))
    items = list(meeting.items.accepted())
    item = next(
        (i for i in items if str(i.pk) == request.GET.get("item", request.POST.get("item"))),
        items[0] if items else None,
    )
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and item is not None:
        try:
            action = request.POST.get("action", "add")
            if action == "add" and form.is_valid():
                services.speaker_add(actor=request.user, item=item, name=form.cleaned_data["name"])
            elif action in {"spoken", "remove"}:
                turn = get_object_or_404(SpeakerTurn, pk=request.POST.get("turn") or 0, item=item)
                if action == "spoken":
                    services.speaker_mark_spoken(actor=request.user, turn=turn)
                else:
                    services.speaker_remove(actor=request.user, turn=turn)
            if action != "add" or form.is_valid():
                return redirect(
                    reverse("meetings:staff_speakers", kwargs={"pk": meeting.pk}) + f"?item={item.pk}"
                )
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "meetings/staff/speakers.html",
        {
            "meeting": meeting,
            "items": items,
            "item": item,
            "queue": selectors.speaker_queue(item) if item else [],
            "spoken": item.speakers.filter(spoken_at__isnull=False).order_by("spoken_at") if item else [],
            "form": form,
        },
    )


@staff_required
def minutes_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the draft minutes as tenants will see them; approve or send back; the worker then publishes."""
    meeting = get_object_or_404(Meeting, pk=pk)
    meeting = selectors.meeting_for_page(meeting.pk)
    can_review = perms.can_review_minutes(request.user, meeting)
    can_publish = perms.can_publish_minutes(request.user, meeting)
    if not (can_review or can_publish or perms.can_manage_meeting(request.user, meeting)):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "approve" and can_review:
                services.minutes_approve(actor=request.user, meeting=meeting, note=form.cleaned_data["note"])
                return _done(request, _("The minutes are approved."), "meetings:staff")
            if action == "return" and can_review:
                services.minutes_return_to_draft(
                    actor=request.user, meeting=meeting, note=form.cleaned_data["note"]
                )
                return _done(request, _("The minutes are sent back to the author."), "meetings:staff")
            if action == "publish" and can_publish:
                services.minutes_publish(actor=request.user, meeting=meeting)
                return _done(
                    request,
                    _("The minutes are published and sent to every tenant concerned."),
                    "meetings:staff",
                )
            raise PermissionDenied
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "meetings/staff/review.html",
        {
            "meeting": meeting,
            "items": meeting.public_items,
            "form": form,
            "can_review": can_review,
            "can_publish": can_publish,
        },
    )


@staff_required
def suggestions(request: HttpRequest) -> HttpResponse:
    _check(perms.can_plan_meetings(request.user))
    pending = list(selectors.new_suggestions(request.user))
    return render(
        request,
        "meetings/staff/suggestions.html",
        {"suggestions": [(s, SuggestionAnswerForm(suggestion=s, prefix=f"s{s.pk}")) for s in pending]},
    )


@staff_required
def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(TopicSuggestion.objects.select_related("neighbourhood"), pk=pk)
    _check(perms.can_answer_suggestion(request.user, suggestion))
    form = SuggestionAnswerForm(request.POST or None, suggestion=suggestion, prefix=f"s{suggestion.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_answer(actor=request.user, suggestion=suggestion, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, _("Answer recorded and sent to the tenant."), "meetings:staff_suggestions")
    return render(request, "meetings/staff/suggestion_answer.html", {"suggestion": suggestion, "form": form})


@staff_required
def suggestion_paper(request: HttpRequest) -> HttpResponse:
    _check(perms.can_enter_paper_suggestion(request.user))
    form = PaperSuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_submit(
                neighbourhood=data["neighbourhood"],
                building=data.get("building"),
                title=data["title"],
                description=data.get("description", ""),
                channel=TopicSuggestion.Channel.PAPER,
                person=data.get("person"),
                contact_name=data.get("contact_name", ""),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(
                request, _("The topic from the paper note is recorded."), "meetings:staff_suggestions"
            )
    return render(
        request, "meetings/staff/form.html", {"form": form, "title": _("Type in a topic from a paper note")}
    )


@staff_required
def staff_action_points(request: HttpRequest) -> HttpResponse:
    """Departments (and workers) tell tenants where each promise stands."""
    points = list(selectors.staff_action_points(request.user).prefetch_related(Prefetch("updates")))
    forms = [(p, ActionPointStatusForm(initial={"status": p.status}, prefix=f"p{p.pk}")) for p in points]
    return render(request, "meetings/staff/action_points.html", {"forms": forms})


@staff_required
@require_POST
def action_point_update(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(ActionPoint.objects.select_related("neighbourhood"), pk=pk)
    _check(perms.can_update_action_point(request.user, point))
    form = ActionPointStatusForm(request.POST, prefix=f"p{point.pk}")
    if form.is_valid():
        try:
            services.action_point_update_status(actor=request.user, action_point=point, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status updated. Tenants see it on the action points page."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(reverse("meetings:staff_action_points") + f"#point-{point.pk}")
