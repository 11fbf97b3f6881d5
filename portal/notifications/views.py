"""The collective workers' office for notifications, inside the Wagtail admin ("Mailings > Notifications")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import BatchStatus, Channel, DeliveryStatus, NotificationBatch
from .permissions import can_download_letters, can_manage_notifications, can_resume_notifications


def _check(request: HttpRequest) -> None:
    if not can_manage_notifications(request.user):
        raise PermissionDenied


def batch_index(request: HttpRequest) -> HttpResponse:
    _check(request)
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in BatchStatus.values else ""
    page = Paginator(selectors.batch_list(search=search, status=status), 30).get_page(request.GET.get("p"))
    for batch in page.object_list:
        batch.interrupted = selectors.batch_is_interrupted(batch)
    context = {"page": page, "search": search, "status": status, "statuses": BatchStatus.choices}
    return TemplateResponse(request, "notifications/admin/batch_index.html", context)


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    batch = get_object_or_404(NotificationBatch.objects.with_counts().select_related("actor"), pk=pk)
    status = request.GET.get("status", "")
    status = status if status in DeliveryStatus.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    deliveries = selectors.batch_deliveries(batch=batch, status=status, channel=channel)
    batch.interrupted = selectors.batch_is_interrupted(batch)
    context = {
        "batch": batch,
        "can_resume": can_resume_notifications(request.user),
        "page": Paginator(deliveries, 100).get_page(request.GET.get("p")),
        "status": status,
        "channel": channel,
        "statuses": DeliveryStatus.choices,
        "channels": Channel.choices,
    }
    return TemplateResponse(request, "notifications/admin/batch_detail.html", context)


def batch_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """Stream the letters or hall-notices PDF from private storage (never a public URL)."""
    if not can_download_letters(request.user):
        raise PermissionDenied
    batch = get_object_or_404(NotificationBatch, pk=pk)
    field = {"letters": batch.letters_pdf, "notices": batch.notices_pdf}.get(kind)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=f"{kind}-{batch.pk}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _batch_action(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    """Run one service on a batch (POST only), report its outcome as a message, back to the batch."""
    batch = get_object_or_404(NotificationBatch, pk=pk)
    try:
        result = service(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % (result if isinstance(result, dict) else {"count": result}))
    return redirect("portal_notifications:detail", pk=batch.pk)


@require_POST
def batch_mark_printed(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    return _batch_action(
        request, pk, services.notification_letters_mark_printed, _("%(count)s letters marked as printed.")
    )


@require_POST
def batch_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    return _batch_action(
        request, pk, services.notification_retry_failed, _("%(count)s e-mails will be sent again.")
    )


@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_resume_notifications(request.user):
        raise PermissionDenied
    return _batch_action(
        request,
        pk,
        services.notification_resume,
        _(
            "The notification is resumed: %(emails)s e-mails and %(letters)s letters queued again; "
            "%(uncertain)s e-mails became uncertain and are not sent again."
        ),
    )


@require_POST
def batch_resend_uncertain(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_resume_notifications(request.user):
        raise PermissionDenied
    return _batch_action(
        request,
        pk,
        services.notification_resend_uncertain,
        _("%(count)s uncertain e-mails will be sent again."),
    )
