"""The committee at the polling stations: the check-in desk, the paper count, and the official results record."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import forms, permissions, selectors, services
from ..models import Election, PollingStation
from ._helpers import add_service_errors, errors, staff_election


@login_required
def station_desk(request: HttpRequest, slug: str, station_id: int) -> HttpResponse:
    """The committee's tablet page: find a voter, check them in (or their proxy holder)."""
    election = staff_election(request, slug, permissions.can_manage_election)
    station = get_object_or_404(PollingStation, election=election, pk=station_id)
    if request.method == "POST":
        holder = request.POST.get("holder") or None
        try:
            participation = services.voter_check_in(
                election=election,
                station=station,
                roll_entry_id=int(request.POST.get("entry", 0)),
                proxy_holder_id=int(holder) if holder else None,
                actor=request.user,
            )
        except (ValidationError, ValueError) as error:
            for message in errors(error) if isinstance(error, ValidationError) else [_("Unknown voter.")]:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is checked in: give the ballot paper.") % {"name": participation.roll_entry},
            )
        return redirect(f"{request.path}?{urlencode({'q': request.POST.get('q', '')})}")
    form = forms.VoterSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    entries = selectors.roll_search(election, query) if query else []
    proxy_for = None
    if request.GET.get("proxy_for"):
        proxy_for = election.roll.filter(pk=request.GET["proxy_for"]).select_related("person").first()
    return render(
        request,
        "elections/manage/station_desk.html",
        {
            "election": election,
            "station": station,
            "form": form,
            "query": query,
            "entries": entries,
            "proxy_for": proxy_for,
            "counts": selectors.participation_counts(election),
            "voting_open": election.status == Election.Status.VOTING,
        },
    )


@login_required
def station_count(request: HttpRequest, slug: str, station_id: int) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_manage_election)
    station = get_object_or_404(PollingStation, election=election, pk=station_id)
    candidacies = list(selectors.accepted_candidacies(election).order_by("position", "display_name"))
    existing = getattr(station, "count", None)
    initial = {}
    if existing is not None:
        initial = {
            "ballots": existing.ballots,
            "blank": existing.blank,
            "void": existing.void,
            "explanation": existing.mismatch_explanation,
        } | {f"votes_{line.candidacy_id}": line.votes for line in existing.lines.all()}
    form = forms.StationCountForm(request.POST or None, candidacies=candidacies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_count_enter(
                station=station,
                ballots=form.cleaned_data["ballots"],
                blank=form.cleaned_data["blank"],
                void=form.cleaned_data["void"],
                votes=form.votes(),
                explanation=form.cleaned_data["explanation"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The paper count is recorded."))
            return redirect("elections:manage", slug=slug)
    return render(
        request,
        "elections/manage/station_count.html",
        {
            "election": election,
            "station": station,
            "form": form,
            "checkins": station.participations.count(),
            "candidate_fields": [form[f"votes_{c.pk}"] for c in candidacies],
        },
    )


@login_required
def results_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The official results record in French and Dutch, to be signed by the committee."""
    election = staff_election(request, slug, permissions.can_handle_candidacies)
    from ..pdf import results_record_pdf

    result = selectors.election_results(election)
    response = HttpResponse(results_record_pdf(election, result), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="results-{election.slug}.pdf"'
    return response
