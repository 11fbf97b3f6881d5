"""Account pages: "My account", linking to a tenant, "My data" (with its download), account removal, the privacy
page and the organisation profile. Thin views: permission, form, one service, redirect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from .. import gdpr, roles
from ..client import client_ip
from ..forms import (
    AccountDeleteForm,
    LinkAccountForm,
    OnBehalfExportForm,
    OrganisationInviteForm,
    OrganisationProfileForm,
)
from ..models import Organisation, Person
from ..permissions import is_linked_tenant, person_for
from ..services import audit_record
from . import rules, two_factor
from .linking import account_link_with_code


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    person = person_for(request.user)
    if person is not None:
        person = Person.objects.select_related("household__dwelling__building__site__neighbourhood").get(
            pk=person.pk
        )
    groups = request.user.groups.values_list("name", flat=True)
    return render(
        request,
        "portal/account/my_account.html",
        {
            "person": person,
            "is_current_tenant": is_linked_tenant(request.user),
            "role_labels": [roles.ROLE_LABELS.get(name, name) for name in groups],
            "organisations": request.user.organisations.all(),
            "can_link": rules.can_link_account(request.user),
            "can_delete": rules.can_delete_account(request.user),
            "needs_mfa": two_factor.staff_needs_mfa_setup(request.user),
        },
    )


@login_required
@ratelimit(key="ip", rate="20/m", method="POST", block=True)
def link_account(request: HttpRequest) -> HttpResponse:
    if not rules.can_link_account(request.user):
        messages.info(request, _("Your account is already linked to a tenant."))
        return redirect("my_account")
    form = LinkAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_link_with_code(
                user=request.user,
                code=form.cleaned_data["code"],
                birth_date=form.cleaned_data["birth_date"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            field = None if error.code == "rate_limited" else "code"
            form.add_error(field, error)
        else:
            messages.success(request, _("Thank you: your account is now linked to your tenant file."))
            return redirect("my_account")
    return render(request, "portal/account/link_account.html", {"form": form}, status=200)


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    context = {"sections": gdpr.display_sections(gdpr.personal_data(user=request.user))}
    if rules.can_act_on_behalf_of(request.user):
        context["on_behalf_form"] = OnBehalfExportForm(user=request.user)
    return render(request, "portal/account/my_data.html", context)


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """GET: your own data. POST (workers): the data of the tenant chosen in the on-behalf form, audited.

    A ZIP archive: `my-data.json` and the person's own files (attachments, photos)."""
    if request.method == "POST":
        form = OnBehalfExportForm(request.POST, user=request.user)
        if not rules.can_act_on_behalf_of(request.user):
            raise PermissionDenied
        if not form.is_valid():
            return render(
                request,
                "portal/account/my_data.html",
                {
                    "sections": gdpr.display_sections(gdpr.personal_data(user=request.user)),
                    "on_behalf_form": form,
                },
                status=400,
            )
        person = form.on_behalf_of_person()
        audit_record(
            action="personal_data.exported",
            actor=request.user,
            obj=person,
            on_behalf_of=person,
            summary=f"Personal data of {person} handed over at the tenant's request",
        )
        archive = gdpr.personal_data_archive(user=person.user, person=person)
        filename = f"personal-data-{person.external_ref}.zip"
    else:
        archive = gdpr.personal_data_archive(user=request.user)
        filename = f"my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    if not rules.can_delete_account(request.user):
        raise PermissionDenied
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        gdpr.account_delete(user=user)
        messages.success(request, _("Your account has been removed. Thank you for having used the portal."))
        return redirect("/")
    return render(request, "portal/account/delete.html", {"form": form})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/account/privacy.html",
        {
            "company_address": settings.PORTAL_COMPANY_ADDRESS,
            "privacy_email": settings.PORTAL_PRIVACY_EMAIL or settings.DEFAULT_FROM_EMAIL,
            "delivery_months": settings.PORTAL_RETENTION_DELIVERY_MONTHS,
            "draft_days": settings.PORTAL_RETENTION_DRAFT_DAYS,
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(
            action="organisation.updated", actor=request.user, obj=organisation, summary=str(organisation)
        )
        messages.success(request, _("The profile has been saved."))
        return redirect("organisation_edit", pk=organisation.pk)
    return render(
        request,
        "portal/account/organisation_edit.html",
        {
            "organisation": organisation,
            "form": form,
            "invite_form": OrganisationInviteForm(),
            "members": organisation.members.order_by("email"),
        },
    )


@login_required
@require_POST
def organisation_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationInviteForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "portal/account/organisation_edit.html",
            {
                "organisation": organisation,
                "form": OrganisationProfileForm(instance=organisation),
                "invite_form": form,
                "members": organisation.members.order_by("email"),
            },
            status=400,
        )
    email = form.cleaned_data["email"]
    member = get_user_model().objects.filter(emailaddress__email__iexact=email).first()
    organisation.members.add(member)
    audit_record(
        action="organisation.member_added", actor=request.user, obj=organisation, data={"user_id": member.pk}
    )
    send_mail(
        _("You are now a member of %(name)s") % {"name": organisation.name},
        _("%(who)s added you as a member of %(name)s on %(site)s. You can now edit its profile.")
        % {"who": request.user.email, "name": organisation.name, "site": settings.WAGTAIL_SITE_NAME},
        None,
        [email],
    )
    messages.success(request, _("%(email)s is now a member.") % {"email": email})
    return redirect("organisation_edit", pk=organisation.pk)
