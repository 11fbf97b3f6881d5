"""Screens of the collective workers and the jury (linked from the Wagtail admin menu "Project call")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.permissions import is_reviewer

from . import exports, forms, permissions, services
from .models import Application, Call, Idea, Phase, ProgressReport
from .selectors import ranking, with_totals

S = Application.Status


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_manage_calls(request.user))
    calls = Call.objects.annotate(
        submitted=Count("applications", filter=~Q(applications__status__in=[S.DRAFT, S.WITHDRAWN])),
        drafts=Count("applications", filter=Q(applications__status=S.DRAFT)),
    )
    pending_reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).select_related(
        "application"
    )
    new_ideas = Idea.objects.filter(status=Idea.Status.NEW).count()
    return render(
        request,
        "projectcall/staff/index.html",
        {"calls": calls, "pending_reports": pending_reports, "new_ideas": new_ideas},
    )


@login_required
def manage_call(request: HttpRequest, year: int) -> HttpResponse:
    _require(permissions.can_manage_calls(request.user))
    call = get_object_or_404(Call, year=year)
    applications = with_totals(
        call.applications.select_related(
            "neighbourhood", "organisation", "owner", "on_behalf_of", "coaching__coach"
        )
    ).order_by("status", "reference", "-created_at")
    return render(
        request,
        "projectcall/staff/call.html",
        {
            "call": call,
            "applications": applications,
            "can_decide": permissions.can_decide(request.user, call),
            "on_behalf_form": forms.OnBehalfForm(),
        },
    )


@login_required
@require_POST
def on_behalf_start(request: HttpRequest, year: int) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    _require(permissions.can_manage_calls(request.user) and call.is_open)
    form = forms.OnBehalfForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["person_ref"]))
        return redirect("projectcall:manage_call", year)
    application = services.application_create(call=call, actor=request.user, on_behalf_of=form.person)
    services.coach_assign(application=application, coach=request.user, actor=request.user)
    return redirect("projectcall:application_step", application.pk, "project")


@login_required
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("call", "neighbourhood"), pk=pk)
    _require(permissions.can_check_eligibility(request.user, application))
    existing = getattr(application, "eligibility", None)
    initial = {}
    if existing:
        initial = {
            f: getattr(existing, f) for f in ("applicant_ok", "area_ok", "budget_ok", "complete_ok", "reason")
        }
        initial["eligible"] = "yes" if existing.eligible else "no"
    form = forms.EligibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.eligibility_record(
                application=application,
                checks={f: data[f] for f in ("applicant_ok", "area_ok", "budget_ok", "complete_ok")},
                eligible=data["eligible"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field, errs)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The eligibility check is recorded and the applicant informed."))
            return redirect("projectcall:manage_call", application.call.year)
    return render(
        request,
        "projectcall/staff/eligibility.html",
        {
            "application": application,
            "form": form,
            "call": application.call,
            "budget_lines": application.budget_lines.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def coach(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    _require(permissions.can_manage_calls(request.user))
    form = forms.CoachAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.coach_assign(application=application, coach=form.cleaned_data["coach"], actor=request.user)
        messages.success(request, _("The coach is assigned."))
        return redirect(application)
    return render(request, "projectcall/staff/coach.html", {"application": application, "form": form})


@login_required
def decision(request: HttpRequest, year: int) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    _require(permissions.can_manage_calls(request.user))
    criteria, ranked = ranking(call)
    rows = [r for r in ranked if r.application.status == S.ELIGIBLE] if call.decided_at is None else ranked
    errors: list[str] = []
    values: dict[int, dict] = {}
    if request.method == "POST":
        _require(permissions.can_decide(request.user, call))
        proposals = []
        for r in rows:
            pk = r.application.pk
            funded = request.POST.get(f"funded_{pk}") == "yes"
            raw = request.POST.get(f"amount_{pk}", "").strip().replace(",", ".") or "0"
            motivation = request.POST.get(f"motivation_{pk}", "")
            values[pk] = {"funded": funded, "amount": raw, "motivation": motivation}
            try:
                amount = Decimal(raw)
            except InvalidOperation:
                errors.append(_("%(ref)s: the amount is not a number.") % {"ref": r.application.reference})
                continue
            proposals.append(services.Proposal(r.application, funded, amount, motivation))
        if not errors:
            try:
                services.decision_take(call=call, proposals=proposals, actor=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("The decision is recorded. Every applicant will be informed."))
                return redirect("projectcall:manage_call", year)
    proposed_total = sum(
        (Decimal(v["amount"]) for v in values.values() if v["funded"] and _is_number(v["amount"])),
        Decimal("0"),
    )
    for r in rows:
        r.form_values = values.get(
            r.application.pk,
            {"funded": False, "amount": str(r.application.requested_total), "motivation": ""},
        )
    return render(
        request,
        "projectcall/staff/decision.html",
        {
            "call": call,
            "criteria": criteria,
            "rows": rows,
            "errors": errors,
            "proposed_total": proposed_total,
            "can_decide": permissions.can_decide(request.user, call),
            "requested_total": sum((r.application.requested_total for r in rows), Decimal("0")),
        },
        status=400 if errors else 200,
    )


def _is_number(raw: str) -> bool:
    try:
        Decimal(raw)
    except InvalidOperation:
        return False
    return True


@login_required
def export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    _require(permissions.can_manage_calls(request.user))
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(call), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(call),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="project-call-{call.year}.{fmt}"'
    return response


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("application__call"), pk=pk)
    _require(permissions.can_manage_calls(request.user))
    form = forms.ReportReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(
                report=report,
                accept=form.cleaned_data["accept"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("comment", error.messages)
        else:
            messages.success(request, _("Your review of the report is saved."))
            return redirect(report.application)
    status_form = forms.ProjectStatusForm(initial={"project_status": report.application.project_status})
    return render(
        request,
        "projectcall/staff/report_review.html",
        {"report": report, "form": form, "status_form": status_form},
    )


@login_required
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    _require(permissions.can_manage_calls(request.user))
    form = forms.ProjectStatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_status_set(
                application=application, status=form.cleaned_data["project_status"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project status is updated."))
    return redirect(application)


@login_required
def ideas(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_manage_calls(request.user))
    return render(
        request,
        "projectcall/staff/ideas.html",
        {"ideas": Idea.objects.select_related("neighbourhood", "application")[:200]},
    )


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(permissions.can_manage_calls(request.user))
    idea = get_object_or_404(Idea, pk=pk)
    form = forms.IdeaAnswerForm(request.POST or None, initial={"answer": idea.answer})
    open_call = Call.objects.open_now().first()
    if request.method == "POST" and request.POST.get("action") == "convert":
        if open_call is None:
            messages.error(request, _("No call is open: the idea cannot become an application now."))
            return redirect("projectcall:idea_detail", pk)
        try:
            application = services.idea_convert(idea=idea, call=open_call, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("projectcall:idea_detail", pk)
        messages.success(request, _("The idea is now a draft application that you coach."))
        return redirect(application)
    if request.method == "POST" and form.is_valid():
        services.idea_answer(idea=idea, answer=form.cleaned_data["answer"], actor=request.user)
        messages.success(request, _("Your answer is saved."))
        return redirect("projectcall:ideas")
    return render(
        request, "projectcall/staff/idea_detail.html", {"idea": idea, "form": form, "open_call": open_call}
    )


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    _require(is_reviewer(request.user))
    calls = Call.objects.filter(decided_at__isnull=True)
    applications = with_totals(
        Application.objects.filter(call__in=[c for c in calls if c.phase == Phase.REVIEW], status=S.ELIGIBLE)
        .select_related("call", "neighbourhood")
        .prefetch_related("reviews", "conflicts")
    ).order_by("reference")
    rows = []
    for application in applications:
        mine = next((r for r in application.reviews.all() if r.reviewer_id == request.user.pk), None)
        conflict = next((c for c in application.conflicts.all() if c.reviewer_id == request.user.pk), None)
        rows.append({"application": application, "review": mine, "conflict": conflict})
    return render(request, "projectcall/staff/review_index.html", {"rows": rows})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("call", "neighbourhood"), pk=pk)
    user = request.user
    _require(
        is_reviewer(user)
        and permissions.can_see_as_reviewer(user, application)
        or permissions.can_review(user, application)
    )
    declaration = application.conflicts.filter(reviewer=user).first()
    criteria = list(application.call.criteria.all())
    my_review = application.reviews.filter(reviewer=user).prefetch_related("scores").first()
    conflict_form = forms.ConflictForm(request.POST if request.POST.get("action") == "conflict" else None)
    initial_scores = (
        {s.criterion_id: (s.value, s.comment) for s in my_review.scores.all()} if my_review else {}
    )
    review_form = forms.ReviewForm(
        request.POST if request.POST.get("action") in ("save", "submit") else None,
        criteria=criteria,
        initial_scores=initial_scores,
        initial={"comment": my_review.comment if my_review else ""},
    )
    errors: list[str] = []
    if request.method == "POST":
        _require(permissions.can_review(user, application))
        action = request.POST.get("action")
        try:
            if action == "conflict" and conflict_form.is_valid():
                services.conflict_declare(
                    application=application, reviewer=user, **conflict_form.cleaned_data
                )
                if conflict_form.cleaned_data["has_conflict"]:
                    messages.info(request, _("Thank you. You will not score this application."))
                    return redirect("projectcall:review_index")
                return redirect("projectcall:review", pk)
            if action in ("save", "submit") and review_form.is_valid():
                services.review_submit(
                    application=application,
                    reviewer=user,
                    scores=review_form.scores(),
                    comment=review_form.cleaned_data["comment"],
                    final=action == "submit",
                )
                messages.success(
                    request,
                    _("Your scores are submitted.")
                    if action == "submit"
                    else _("Your scores are saved; you can still change them."),
                )
                return redirect("projectcall:review", pk)
        except ValidationError as error:
            errors = error.messages
    others = None
    if permissions.can_see_all_scores(user, application):
        others = (
            application.reviews.filter(submitted_at__isnull=False)
            .exclude(reviewer=user)
            .select_related("reviewer")
            .prefetch_related("scores__criterion")
        )
    return render(
        request,
        "projectcall/staff/review.html",
        {
            "application": application,
            "declaration": declaration,
            "review": my_review,
            "conflict_form": conflict_form,
            "review_form": review_form,
            "errors": errors,
            "others": others,
            "budget_lines": application.budget_lines.all(),
            "attachments": application.attachments.all(),
            "can_review": permissions.can_review(user, application),
        },
        status=400 if errors else 200,
    )
