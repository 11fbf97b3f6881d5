"""Admin (Wagtail) views of accounts for collective workers: link a tenant's account after an identity check, and
print letters with personal linking codes (PDF, one page per person, address placed for window envelopes).

Wired from `PortalConfig.ready()` so that this module's hooks load with the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .. import documents
from ..forms import LinkingLettersForm, WorkerLinkForm, WorkerUnlinkForm
from ..models import Person
from . import rules
from .linking import IssuedCode, account_link_by_worker, account_unlink, linking_codes_issue


def link_account_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_link_for_tenant(request.user):
        raise PermissionDenied
    if request.method == "POST" and "linked_person" in request.POST:
        return _unlink(request)
    form = WorkerLinkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if not rules.can_link_for_tenant(request.user, person):
            raise PermissionDenied
        try:
            account_link_by_worker(person=person, user=form.cleaned_data["email"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account is now linked to %(person)s.") % {"person": person})
            return redirect("portal_admin_link_account")
    return TemplateResponse(
        request,
        "portal/account/admin_link_account.html",
        {"form": form, "unlink_form": WorkerUnlinkForm(user=request.user)},
    )


def _unlink(request: HttpRequest) -> HttpResponse:
    unlink_form = WorkerUnlinkForm(request.POST, user=request.user)
    if unlink_form.is_valid():
        person = unlink_form.cleaned_data["linked_person"]
        account_unlink(person=person, actor=request.user)
        messages.success(request, _("%(person)s is no longer linked to an account.") % {"person": person})
        return redirect("portal_admin_link_account")
    return TemplateResponse(
        request,
        "portal/account/admin_link_account.html",
        {"form": WorkerLinkForm(user=request.user), "unlink_form": unlink_form},
    )


def letter_language(person: Person) -> list[str]:
    """The languages a letter is printed in: the person's, else the household's, else French and Dutch."""
    language = person.language or person.household.language
    return [language] if language else ["fr", "nl"]


def render_letters_pdf(issued: list[IssuedCode]) -> bytes:
    """One letter per person with their code, in their language (French and Dutch side by side when unknown)."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    today = timezone.localdate()
    letters = [
        {
            "item": item,
            "parts": documents.render_parts(
                "portal/account/includes/linking_letter_text.html",
                {"item": item, "today": today},
                letter_language(item.person),
                per_language=lambda language: {"link_url": f"{base_url}/{language}/my/link/"},
            ),
        }
        for item in issued
    ]
    return documents.render_pdf("portal/account/linking_letters.html", {"letters": letters, "today": today})


def linking_letters_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_issue_linking_codes(request.user):
        raise PermissionDenied
    form = LinkingLettersForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        neighbourhood = form.cleaned_data["neighbourhood"]
        if not rules.can_issue_linking_codes(request.user, neighbourhood):
            raise PermissionDenied
        today = timezone.localdate()
        persons = (
            rules.persons_covered_by(request.user)
            .filter(household__dwelling__building__site__neighbourhood=neighbourhood)
            .order_by(
                "household__dwelling__building__street", "household__dwelling__building__number", "last_name"
            )
        )
        if form.cleaned_data["only_unlinked"]:
            persons = persons.filter(user__isnull=True)
        minimum_age = form.cleaned_data["minimum_age"]
        persons = [p for p in persons if p.age_on(today) >= minimum_age]
        if not persons:
            form.add_error(None, _("Nobody matches these choices: no letter to print."))
        else:
            issued = linking_codes_issue(persons=persons, actor=request.user)
            return documents.pdf_response(
                render_letters_pdf(issued), f"linking-letters-{neighbourhood.slug}.pdf"
            )
    return TemplateResponse(request, "portal/account/admin_linking_letters.html", {"form": form})


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    return [
        path("accounts/link/", link_account_view, name="portal_admin_link_account"),
        path("accounts/letters/", linking_letters_view, name="portal_admin_linking_letters"),
    ]


class WorkerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return rules.can_link_for_tenant(request.user)


@hooks.register("register_admin_menu_item")
def register_link_account_menu_item():
    return WorkerMenuItem(
        gettext_lazy("Link a tenant's account"),
        reverse("portal_admin_link_account"),
        icon_name="user",
        order=900,
    )


@hooks.register("register_admin_menu_item")
def register_linking_letters_menu_item():
    return WorkerMenuItem(
        gettext_lazy("Letters with personal codes"),
        reverse("portal_admin_linking_letters"),
        icon_name="mail",
        order=901,
    )
