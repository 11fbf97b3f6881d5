"""Public pages of elections: the list, an election, its candidates, the results and the receipt check."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from portal.permissions import person_for

from .. import codes, forms, permissions, selectors
from ..models import Candidacy, Election
from ._helpers import public_election


def election_index(request: HttpRequest) -> HttpResponse:
    """Every announced election, the current ones first (a single query)."""
    elections = Election.objects.exclude(status=Election.Status.DRAFT).order_by("-voting_opens_at", "-id")
    return render(request, "elections/election_index.html", {"elections": elections})


def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    person = person_for(request.user)
    candidacy = election.candidacies.filter(person=person).first() if person else None
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "stations": election.stations.all(),
            "can_apply": permissions.can_apply(request.user, election) and candidacy is None,
            "candidacy": candidacy,
            "can_vote_online": permissions.can_vote_online(election),
            "can_see_candidates": permissions.can_see_candidates(election),
            "can_see_results": permissions.can_see_results(request.user, election),
        },
    )


def candidate_list(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    if not permissions.can_see_candidates(election):
        raise Http404
    return render(
        request,
        "elections/candidate_list.html",
        {"election": election, "candidates": selectors.public_candidates(election)},
    )


def candidate_photo(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A candidate's photo, streamed from private storage when `can_see_candidate_photo` allows it."""
    candidacy = get_object_or_404(Candidacy.objects.select_related("election"), pk=pk, election__slug=slug)
    if not candidacy.photo or not permissions.can_see_candidate_photo(request.user, candidacy):
        raise Http404
    return FileResponse(candidacy.photo.open("rb"))  # content type guessed from the file name


def results(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    if not permissions.can_see_results(request.user, election):
        return render(request, "elections/results_not_yet.html", {"election": election}, status=403)
    return render(
        request,
        "elections/results.html",
        {"election": election, "result": selectors.election_results(election)},
    )


@never_cache
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def receipt_check(request: HttpRequest, slug: str) -> HttpResponse:
    election = public_election(slug, request.user)
    if not election.results_published:
        return render(request, "elections/results_not_yet.html", {"election": election}, status=403)
    form = forms.ReceiptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        receipt = codes.format_code(codes.normalise(form.cleaned_data["receipt"]))
        found = election.published_receipts.filter(receipt=receipt).exists()
    return render(
        request, "elections/receipt_check.html", {"election": election, "form": form, "found": found}
    )


def ballot_box(request: HttpRequest, slug: str) -> HttpResponse:
    """The published online ballot box: every receipt that went into the count (sorted), and their number beside
    the number of online voters, which must be the same. Paginated: the same queries whatever the box's size."""
    election = public_election(slug, request.user)
    if not election.results_published:
        return render(request, "elections/results_not_yet.html", {"election": election}, status=403)
    result = selectors.election_results(election)
    page = Paginator(election.published_receipts.values_list("receipt", flat=True), 500).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "elections/ballot_box.html",
        {"election": election, "result": result, "page": page, "count": page.paginator.count},
    )


def ballot_box_file(request: HttpRequest, slug: str) -> HttpResponse:
    """The same list as a text file anyone can download, count and search."""
    election = public_election(slug, request.user)
    if not election.results_published:
        raise Http404
    result = selectors.election_results(election)
    receipts = list(election.published_receipts.values_list("receipt", flat=True))
    lines = [
        f"# {election.council_name} ({election.slug})",
        f"# Online ballot box: {len(receipts)} receipts; online voters: {result.online_voters}.",
        "# Each line is the receipt shown to one online voter: the first 80 bits of SHA-256 of their sealed ballot.",
        *receipts,
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-box-{election.slug}.txt"'
    return response
