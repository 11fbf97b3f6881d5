"""Applicant and public views of the project call: application steps, thread, reports, gallery, idea box.

Staff screens (eligibility, coaching, jury, decision, exports) are in `staff_views.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from portal import page_cache
from portal.models import Neighbourhood

from . import forms, permissions, services
from .models import Application, Attachment, Call, Idea, ProgressReport
from .selectors import gallery, with_totals

#: The steps of the application form, in order: (slug, label, form class).
STEPS = [
    ("project", gettext_lazy("The project"), forms.ProjectStepForm),
    ("place", gettext_lazy("Where and for whom"), forms.PlaceStepForm),
    ("activities", gettext_lazy("Activities"), forms.ActivitiesStepForm),
    ("budget", gettext_lazy("Budget"), None),
    ("documents", gettext_lazy("Documents"), None),
    ("contact", gettext_lazy("Contact"), forms.ContactStepForm),
]
STEP_SLUGS = [slug for slug, _label, _form in STEPS]


def _steps_nav(current: str) -> list[dict]:
    return [
        {"slug": slug, "label": label, "current": slug == current, "number": index + 1}
        for index, (slug, label, _f) in enumerate(STEPS)
    ]


def _next_url(application: Application, step: str, request: HttpRequest) -> str:
    if "stay" in request.POST:
        return request.path
    index = STEP_SLUGS.index(step)
    if index + 1 < len(STEP_SLUGS):
        return redirect("projectcall:application_step", application.pk, STEP_SLUGS[index + 1]).url
    return redirect("projectcall:application_submit", application.pk).url


def _get_application(request: HttpRequest, pk: int, check) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation", "neighbourhood", "on_behalf_of"), pk=pk
    )
    if not check(request.user, application):
        raise PermissionDenied
    return application


def projects_home(request: HttpRequest) -> HttpResponse:
    """/projects/: the open call (else the latest one), or the gallery when there is no call yet."""
    call = Call.objects.open_now().first() or Call.objects.first()
    if call is None:
        return redirect("projectcall:gallery")
    return call_detail(request, call.year)


def call_detail(request: HttpRequest, year: int) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    page = call.pages.live().filter(locale__language_code=get_language()).first() or call.pages.live().first()
    if page is not None and page.url:
        return redirect(page.url)
    return render(
        request,
        "projectcall/call_detail.html",
        {"call": call, "can_apply": permissions.can_start_application(request.user, call)},
    )


@login_required
def application_start(request: HttpRequest, year: int) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    if not permissions.can_start_application(request.user, call):
        raise PermissionDenied
    if request.method == "POST":
        application = services.application_create(call=call, actor=request.user, language=get_language())
        return redirect("projectcall:application_step", application.pk, "project")
    drafts = Application.objects.visible_to_applicant(request.user).filter(call=call, status="draft")
    return render(request, "projectcall/application_start.html", {"call": call, "drafts": drafts})


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = with_totals(
        Application.objects.visible_to_applicant(request.user).select_related("call", "neighbourhood")
    ).order_by("-call__year", "-created_at")
    open_calls = Call.objects.open_now()
    ideas = Idea.objects.filter(user=request.user)
    return render(
        request,
        "projectcall/my_applications.html",
        {"applications": applications, "open_calls": open_calls, "ideas": ideas},
    )


@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_SLUGS:
        raise Http404
    application = _get_application(request, pk, permissions.can_view_application)
    if not permissions.can_edit_application(request.user, application):
        return _closed_step(request, application, step)
    if step == "budget":
        return _budget_step(request, application)
    if step == "documents":
        return _documents_step(request, application)
    form_class = {s: f for s, _label, f in STEPS}[step]
    kwargs = {"instance": application}
    if form_class is forms.ProjectStepForm:
        kwargs.update(user=application.owner, call=application.call)
    if form_class is forms.PlaceStepForm:
        kwargs["call"] = application.call
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        services.application_save_draft(application=application, data=data, actor=request.user)
        messages.success(request, _("Your draft is saved."))
        return redirect(_next_url(application, step, request))
    return _render_step(request, application, step, {"form": form})


def _closed_step(request: HttpRequest, application: Application, step: str) -> HttpResponse:
    """The deadline passed while an applicant was typing: show what they typed, save nothing (never a bare 403)."""
    editable_before = application.status in (Application.Status.DRAFT, Application.Status.SUBMITTED)
    if not (
        request.method == "POST" and permissions.is_applicant(request.user, application) and editable_before
    ):
        raise PermissionDenied
    typed = [
        (key, value) for key, value in request.POST.items() if key != "csrfmiddlewaretoken" and value.strip()
    ]
    return render(
        request,
        "projectcall/application_closed.html",
        {"application": application, "call": application.call, "typed": typed},
        status=409,
    )


def _render_step(request, application, step, context, status=200):
    index = STEP_SLUGS.index(step)
    return render(
        request,
        "projectcall/application_step.html",
        {
            "application": application,
            "call": application.call,
            "step": step,
            "steps": _steps_nav(step),
            "step_number": index + 1,
            "step_count": len(STEPS),
            "step_label": STEPS[index][1],
            "previous_step": STEP_SLUGS[index - 1] if index else None,
            **context,
        },
        status=status,
    )


def _budget_step(request: HttpRequest, application: Application) -> HttpResponse:
    initial = [{"item": line.item, "amount": line.amount} for line in application.budget_lines.all()]
    formset = forms.BudgetLineFormSet(request.POST or None, initial=initial, prefix="lines")
    extra = forms.BudgetExtraForm(
        request.POST or None,
        initial={"co_funding": application.co_funding, "co_funding_source": application.co_funding_source},
    )
    budget_error = ""
    if request.method == "POST" and formset.is_valid() and extra.is_valid():
        lines = [
            (f.cleaned_data["item"].strip(), f.cleaned_data["amount"])
            for f in formset.forms
            if f.cleaned_data.get("item") and f.cleaned_data.get("amount") is not None
        ]
        total = sum((amount for _i, amount in lines), Decimal("0"))
        declared = extra.cleaned_data.get("declared_total")
        if declared is not None and declared != total:
            extra.add_error(
                "declared_total",
                _("The lines add up to %(total)s EUR, not %(declared)s EUR. Check the amounts.")
                % {"total": total.quantize(Decimal("0.01")), "declared": declared.quantize(Decimal("0.01"))},
            )
        else:
            try:
                services.application_save_budget(
                    application=application,
                    lines=lines,
                    co_funding=extra.cleaned_data.get("co_funding") or Decimal("0"),
                    co_funding_source=extra.cleaned_data.get("co_funding_source", ""),
                    actor=request.user,
                )
            except ValidationError as error:
                budget_error = " ".join(error.messages)
            else:
                messages.success(request, _("Your draft is saved."))
                return redirect(_next_url(application, "budget", request))
    return _render_step(
        request,
        application,
        "budget",
        {"formset": formset, "extra": extra, "budget_error": budget_error},
        status=400 if request.method == "POST" else 200,
    )


def _documents_step(request: HttpRequest, application: Application) -> HttpResponse:
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "continue" in request.POST and not request.FILES:
        return redirect(_next_url(application, "documents", request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                application=application,
                uploaded=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("projectcall:application_step", application.pk, "documents")
    return _render_step(
        request,
        application,
        "documents",
        {"form": form, "attachments": application.attachments.all()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("application__call"), pk=pk)
    if not permissions.can_edit_application(request.user, attachment.application):
        raise PermissionDenied
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("The document is removed."))
    return redirect("projectcall:application_step", attachment.application_id, "documents")


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("application__call"), pk=pk)
    if not permissions.can_download_attachment(request.user, attachment):
        raise PermissionDenied
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    already = request.method == "POST" and application.status == Application.Status.SUBMITTED
    if already and permissions.can_view_application(request.user, application):
        messages.info(request, _("This application was already submitted."))
        return redirect(application)
    if not permissions.can_edit_application(request.user, application):
        if permissions.can_view_application(request.user, application) and request.method == "POST":
            messages.error(request, _("The deadline has passed: the call is closed."))
            return redirect(application)
        raise PermissionDenied
    issues = services.application_issues_before_submit(application)
    if request.method == "POST" and application.status == Application.Status.DRAFT:
        try:
            services.application_submit(application=application, actor=request.user)
        except ValidationError as error:
            if getattr(error, "code", None) == "already_submitted":
                messages.info(request, _("This application was already submitted."))
                return redirect(application)
            issues = error.messages
        else:
            messages.success(
                request, _("Thank you: your application is submitted. We sent you a confirmation.")
            )
            return redirect(application)
    return render(
        request,
        "projectcall/application_submit.html",
        {
            "application": application,
            "call": application.call,
            "issues": issues,
            "steps": _steps_nav(""),
            "budget_lines": application.budget_lines.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk, permissions.can_withdraw_application)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you withdraw the application."))
        return redirect(application)
    services.application_withdraw(application=application, actor=request.user)
    messages.success(request, _("Your application is withdrawn."))
    return redirect(application)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk, permissions.can_view_application)
    user = request.user
    can_message = permissions.can_message(user, application)
    message_form = forms.MessageForm(request.POST or None) if can_message else None
    if request.method == "POST":
        if not can_message:
            raise PermissionDenied
        if message_form.is_valid():
            services.message_post(
                application=application,
                author=user,
                body=message_form.cleaned_data["body"],
                from_staff=permissions.can_manage_calls(user)
                and not permissions.is_applicant(user, application),
            )
            messages.success(request, _("Your message is sent."))
            return redirect(f"{application.get_absolute_url()}#thread")
    coaching = getattr(application, "coaching", None)
    return render(
        request,
        "projectcall/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "budget_lines": application.budget_lines.all(),
            "attachments": application.attachments.all(),
            "coaching": coaching,
            "thread": application.messages.select_related("author") if can_message else None,
            "message_form": message_form,
            "reports": application.reports.all(),
            "can_edit": permissions.can_edit_application(user, application),
            "can_submit": permissions.can_submit_application(user, application),
            "can_withdraw": permissions.can_withdraw_application(user, application),
            "can_report": permissions.can_report(user, application),
            "is_applicant": permissions.is_applicant(user, application),
            "is_staff_view": permissions.can_manage_calls(user),
            "decision": getattr(application, "decision", None) if application.call.decided_at else None,
            "eligibility": getattr(application, "eligibility", None),
        },
    )


@login_required
def coaching_request(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk, permissions.can_message)
    if not permissions.is_applicant(request.user, application):
        raise PermissionDenied
    form = forms.CoachingForm(request.POST or None, instance=getattr(application, "coaching", None))
    if request.method == "POST" and form.is_valid():
        services.coaching_request(
            application=application,
            help_kind=form.cleaned_data["help_kind"],
            details=form.cleaned_data["details"],
            actor=request.user,
        )
        messages.success(request, _("Your request is sent: a collective worker will contact you."))
        return redirect(application)
    return render(request, "projectcall/coaching_request.html", {"application": application, "form": form})


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk, permissions.can_report)
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                application=application,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                amount_spent=form.cleaned_data["amount_spent"],
                photo=form.cleaned_data.get("photo") or None,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your report is sent to the collective worker."))
            return redirect(application)
    return render(request, "projectcall/report_form.html", {"application": application, "form": form})


@login_required
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("application__call"), pk=pk)
    if not report.photo or not permissions.can_view_application(request.user, report.application):
        raise PermissionDenied
    response = FileResponse(report.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


def gallery_view(request: HttpRequest) -> HttpResponse:
    """Funded projects per call and neighbourhood: title, summary, amount, area, status. No contact data."""
    calls = Call.objects.filter(decided_at__isnull=False)
    call = None
    if request.GET.get("year", "").isdigit():
        call = calls.filter(year=int(request.GET["year"])).first()
    hood_id = int(request.GET["neighbourhood"]) if request.GET.get("neighbourhood", "").isdigit() else None
    paginator = Paginator(gallery(call=call, neighbourhood_id=hood_id), 24)
    page_obj = paginator.get_page(request.GET.get("page"))
    neighbourhoods = list(Neighbourhood.objects.all())
    page_cache.cacheable_query(
        request,
        page=page_obj.number,
        year=call.year if call else "",
        neighbourhood=hood_id if hood_id in {hood.pk for hood in neighbourhoods} else "",
    )
    return render(
        request,
        "projectcall/gallery.html",
        {
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
            "calls": calls,
            "neighbourhoods": neighbourhoods,
            "selected_call": call,
            "selected_hood": hood_id,
        },
    )


@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def idea_create(request: HttpRequest) -> HttpResponse:
    anonymous = not request.user.is_authenticated
    form = forms.IdeaForm(request.POST or None, anonymous=anonymous)
    if request.method == "POST" and form.is_valid():
        services.idea_submit(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            neighbourhood=form.cleaned_data["neighbourhood"],
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            user=request.user,
            language=get_language(),
        )
        return render(request, "projectcall/idea_thanks.html")
    open_call = Call.objects.open_now().first()
    return render(request, "projectcall/idea_form.html", {"form": form, "open_call": open_call})
