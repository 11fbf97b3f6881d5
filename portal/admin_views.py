"""Wagtail admin pages to import the rental system's export: upload -> report (dry run) -> confirm -> result.

Wired in `portal/wagtail_hooks.py` (`register_admin_urls`, under /admin/register/import/). The file waits
server-side between the report and the confirmation (`register_import.pending`), so it is not uploaded twice.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .permissions import can_manage_register
from .register_import import pending, register_import
from .register_import.columns import COLUMN_NAMES

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ROW_DISPLAY_LIMIT = 500


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (CSV)"),
        help_text=_("One row per person, columns as described in the import guide. Semicolons or commas."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    export_date = forms.DateField(
        label=_("Date of the export"),
        initial=timezone.localdate,
        widget=AdminDateInput,
        help_text=_("People who are no longer in a full export are recorded as having left on this date."),
    )
    full_export = forms.BooleanField(
        label=_("This file lists every tenant of the company (full export)"),
        required=False,
        initial=True,
        help_text=_("Untick for a partial file: then nobody is recorded as having left."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (50 MB at most)."))
        return upload


class RegisterAdminMixin(WagtailAdminTemplateMixin):
    """Only collective workers and administrators; others get a 403 (not Wagtail's redirect to the dashboard)."""

    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_register(request.user):
            return HttpResponseForbidden(render_to_string("403.html", request=request))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("portal_register_import"), "label": _("Import from the rental system")},
        ]

    def get_pending(self) -> pending.PendingImport:
        found = pending.load(self.kwargs["token"], user_id=self.request.user.pk)
        if found is None:
            raise Http404
        return found


class ImportUploadView(RegisterAdminMixin, FormView):
    template_name = "portal/register/import_upload.html"
    form_class = ImportUploadForm
    page_title = _("Import from the rental system")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, columns=COLUMN_NAMES)

    def form_valid(self, form) -> HttpResponse:
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = register_import(
            content=content,
            export_date=form.cleaned_data["export_date"],
            full_export=form.cleaned_data["full_export"],
            dry_run=True,
            file_name=upload.name,
        )
        if report.file_errors:
            for error in report.file_errors:
                form.add_error("file", error)
            return self.form_invalid(form)
        entry = pending.create(
            content=content,
            user_id=self.request.user.pk,
            file_name=upload.name,
            export_date=form.cleaned_data["export_date"],
            full_export=form.cleaned_data["full_export"],
            report=report,
        )
        return redirect("portal_register_import_report", token=entry.token)


class ImportReportView(RegisterAdminMixin, TemplateView):
    """The dry-run report; POST confirms (imports the valid rows) or cancels."""

    template_name = "portal/register/import_report.html"
    page_title = _("Check the import")

    def get_context_data(self, **kwargs):
        entry = self.get_pending()
        if entry.result is not None:
            raise Http404
        return super().get_context_data(**kwargs, entry=entry, **report_context(entry.report))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        entry = self.get_pending()
        if entry.result is not None:
            return redirect("portal_register_import_result", token=entry.token)
        if "cancel" in request.POST:
            entry.discard()
            messages.success(request, _("The import was cancelled: nothing was changed."))
            return redirect("portal_register_import")
        result = register_import(
            content=entry.content(),
            export_date=entry.export_date,
            full_export=entry.full_export,
            accept_valid_rows=True,
            actor=request.user,
            file_name=entry.file_name,
        )
        entry.finish(result)
        if result.applied:
            messages.success(request, _("The register was updated."))
        return redirect("portal_register_import_result", token=entry.token)


class ImportResultView(RegisterAdminMixin, TemplateView):
    template_name = "portal/register/import_report.html"
    page_title = _("Import done")

    def get_context_data(self, **kwargs):
        entry = self.get_pending()
        if entry.result is None:
            raise Http404
        return super().get_context_data(**kwargs, entry=entry, done=True, **report_context(entry.result))


def report_context(report) -> dict:
    """Rejected rows are all listed; changes are capped so a 50,000-row report stays a readable page."""
    changes = [row for row in report.rows if row.status in ("created", "updated")]
    return {
        "report": report,
        "rejected": report.rejected_rows,
        "changes": changes[:ROW_DISPLAY_LIMIT],
        "changes_hidden": max(0, len(changes) - ROW_DISPLAY_LIMIT),
        "closed": report.closed[:ROW_DISPLAY_LIMIT],
        "closed_hidden": max(0, len(report.closed) - ROW_DISPLAY_LIMIT),
        "entities": [(entity, labels, report.counts[entity]) for entity, labels in ENTITY_LABELS.items()],
        "upload_url": reverse_lazy("portal_register_import"),
    }


ENTITY_LABELS = {
    "neighbourhood": _("Neighbourhoods"),
    "site": _("Sites"),
    "building": _("Buildings"),
    "dwelling": _("Dwellings"),
    "household": _("Households"),
    "person": _("Persons"),
}
