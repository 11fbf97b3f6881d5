"""A tenant's own candidacy: applying online, then the label, statement and photo shown on the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.permissions import person_for

from .. import forms, guards, permissions, services
from ..models import Candidacy
from ._helpers import add_service_errors, public_election


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    person = person_for(request.user)
    if not permissions.can_apply(request.user, election):
        raise PermissionDenied
    form = forms.ApplyForm(
        request.POST or None, request.FILES or None, initial={"label": Candidacy.Label.NOTHING}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_submit(
                election=election,
                person=person,
                channel=Candidacy.Channel.ONLINE,
                label=form.cleaned_data["label"],
                association=form.cleaned_data["association"],
                statement=form.cleaned_data["statement"],
                photo=form.cleaned_data["photo"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your candidacy is received. The collective workers will check it."))
            return redirect(election)
    problems = guards.candidacy_eligibility_problems(election=election, person=person)
    return render(request, "elections/apply.html", {"election": election, "form": form, "problems": problems})


@login_required
def my_candidacy(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    person = person_for(request.user)
    candidacy = get_object_or_404(Candidacy, election=election, person=person) if person else None
    if candidacy is None:
        raise Http404
    initial = {
        "label": candidacy.label,
        "association": candidacy.association,
        "statement": candidacy.statement,
    }
    form = forms.CandidacyDetailsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_update(candidacy=candidacy, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("elections:my_candidacy", slug=slug)
    return render(
        request, "elections/my_candidacy.html", {"election": election, "candidacy": candidacy, "form": form}
    )
