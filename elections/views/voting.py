"""Online voting: identification (code letter or linked account, with the date of birth), then the ballot, its
review and the cast, which shows the receipt once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from portal.permissions import person_for

from .. import forms, permissions, selectors, services
from ._helpers import add_service_errors, errors, public_election

VOTER_SESSION_KEY = "elections_voter"


@never_cache
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def vote_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: the personal code and date of birth (or a linked account and date of birth)."""
    election = public_election(slug, request.user)
    if not permissions.can_vote_online(election):
        return render(request, "elections/vote_closed.html", {"election": election}, status=403)
    with_account = person_for(request.user) is not None and request.GET.get("with") != "code"
    form_class = forms.AccountVoterForm if with_account else forms.CodeForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if with_account:
                entry = services.voter_for_account(
                    election=election,
                    person=person_for(request.user),
                    birth_date=form.cleaned_data["birth_date"],
                )
            else:
                entry = services.voter_identify(
                    election=election,
                    code=form.cleaned_data["code"],
                    birth_date=form.cleaned_data["birth_date"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.cycle_key()
            request.session[VOTER_SESSION_KEY] = {"election": election.pk, "entry": entry.pk}
            return redirect("elections:vote_ballot", slug=slug)
    return render(
        request,
        "elections/vote_start.html",
        {"election": election, "form": form, "with_account": with_account},
    )


@never_cache
def vote_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 2 (choose), 3 (review, choices carried in the form, never stored) and 4 (cast, receipt shown once)."""
    election = public_election(slug, request.user)
    voter = request.session.get(VOTER_SESSION_KEY)
    if not voter or voter["election"] != election.pk or not permissions.can_vote_online(election):
        return redirect("elections:vote_start", slug=slug)
    candidacies = list(selectors.public_candidates(election))
    form = forms.BallotForm(
        request.POST or None, candidacies=candidacies, max_choices=election.choices_allowed
    )
    context = {"election": election, "form": form, "candidacies": candidacies}
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["candidates"]
        if request.POST.get("step") == "change":
            return render(request, "elections/vote_ballot.html", context)
        if request.POST.get("step") != "cast":
            context["chosen"] = [c for c in candidacies if c.pk in chosen]
            return render(request, "elections/vote_review.html", context)
        try:
            receipt = services.ballot_cast(election=election, roll_entry_id=voter["entry"], choices=chosen)
        except ValidationError as error:
            _forget_voter(request, cycle=False)
            return render(
                request, "elections/vote_refused.html", {"election": election, "errors": errors(error)}
            )
        _forget_voter(request, cycle=True)
        return render(request, "elections/vote_done.html", {"election": election, "receipt": receipt})
    return render(request, "elections/vote_ballot.html", context)


def _forget_voter(request: HttpRequest, *, cycle: bool) -> None:
    """End the voter's identification after a cast. An anonymous session served only this vote: it is deleted
    (one DELETE, no new session row), and a second cast sent at the same time from the same session (a double
    click) then gets its refusal page instead of a 400 for saving a session the first cast had ended."""
    if not request.user.is_authenticated:
        request.session.flush()
        return
    request.session.pop(VOTER_SESSION_KEY, None)
    if cycle:
        request.session.cycle_key()
