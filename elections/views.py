"""Views of elections: public pages, the tenant's candidacy, online voting, and the committee's desk.

Thin adapters: a named permission (elections.permissions), a form, one service call, a redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from portal.permissions import person_for

from . import forms, permissions, selectors, services
from .models import Ballot, Candidacy, Election, PollingStation, RollEntry

VOTER_SESSION_KEY = "elections_voter"


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _public_election(slug: str, user) -> Election:
    election = get_object_or_404(Election, slug=slug)
    if election.status == Election.Status.DRAFT and not permissions.can_handle_candidacies(user):
        raise Http404
    return election


# --- Public pages -------------------------------------------------------------------------------------------


def election_index(request: HttpRequest) -> HttpResponse:
    """Every announced election, the current ones first (a single query)."""
    elections = Election.objects.exclude(status=Election.Status.DRAFT).order_by("-voting_opens_at", "-id")
    return render(request, "elections/election_index.html", {"elections": elections})


def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    election = _public_election(slug, request.user)
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
    election = _public_election(slug, request.user)
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
    election = _public_election(slug, request.user)
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
    election = _public_election(slug, request.user)
    if not election.results_published:
        return render(request, "elections/results_not_yet.html", {"election": election}, status=403)
    form = forms.ReceiptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        receipt = services.codes.format_code(services.codes.normalise(form.cleaned_data["receipt"]))
        found = Ballot.objects.filter(election=election, receipt=receipt).exists()
    return render(
        request, "elections/receipt_check.html", {"election": election, "form": form, "found": found}
    )


# --- Candidacy by the tenant --------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    election = _public_election(slug, request.user)
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
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your candidacy is received. The collective workers will check it."))
            return redirect(election)
    problems = services.candidacy_eligibility_problems(election=election, person=person)
    return render(request, "elections/apply.html", {"election": election, "form": form, "problems": problems})


@login_required
def my_candidacy(request: HttpRequest, slug: str) -> HttpResponse:
    election = _public_election(slug, request.user)
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
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("elections:my_candidacy", slug=slug)
    return render(
        request, "elections/my_candidacy.html", {"election": election, "candidacy": candidacy, "form": form}
    )


# --- Online voting ------------------------------------------------------------------------------------------


@never_cache
@ratelimit(key="ip", rate="10/m", method="POST", block=True)
def vote_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: the personal code and date of birth (or a linked account and date of birth)."""
    election = _public_election(slug, request.user)
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
            _add_service_errors(form, error)
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
    election = _public_election(slug, request.user)
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
                request, "elections/vote_refused.html", {"election": election, "errors": _errors(error)}
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


# --- Committee and workers ----------------------------------------------------------------------------------


def _staff_election(request: HttpRequest, slug: str, check) -> Election:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not check(request.user):
        raise PermissionDenied
    return get_object_or_404(Election, slug=slug)


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    if not permissions.can_handle_candidacies(request.user):
        raise PermissionDenied
    elections = Election.objects.annotate(n_candidacies=Count("candidacies", distinct=True)).order_by("-id")
    return render(request, "elections/manage/index.html", {"elections": elections})


@login_required
def manage_election(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_handle_candidacies)
    return render(
        request,
        "elections/manage/election.html",
        {
            "election": election,
            "issues": services.election_issues_before_advance(election),
            "next_status": services.NEXT_STATUS.get(election.status),
            "next_label": Election.Status(services.NEXT_STATUS[election.status]).label
            if election.status in services.NEXT_STATUS
            else "",
            "counts": services.participation_counts(election),
            "stations": election.stations.select_related("count"),
            "events": election.events.select_related("actor").order_by("-created_at", "-id")[:50],
            "can_manage": permissions.can_manage_election(request.user),
            "result": getattr(election, "result", None) if election.results_published else None,
            "rerun": Election.objects.filter(previous=election).first(),
            "invitations_possible": election.status
            in {Election.Status.CANDIDATES_PUBLISHED, Election.Status.VOTING}
            and not election.voting_has_closed(),
            "invitations_sent": election.events.filter(kind="invitations_sent")
            .order_by("-created_at")
            .first(),
        },
    )


@login_required
@require_POST
def manage_advance(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    try:
        services.election_advance(election=election, actor=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Phase: %(phase)s.") % {"phase": election.get_status_display()})
    return redirect("elections:manage", slug=slug)


@login_required
@require_POST
def manage_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    try:
        services.election_invitations_send(election=election, actor=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "The invitations are being prepared: e-mails leave shortly; the letters to print will be in the admin."
            ),
        )
    return redirect("elections:manage", slug=slug)


@login_required
@require_POST
def manage_rerun(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    try:
        rerun = services.election_rerun(election=election, actor=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect("elections:manage", slug=slug)
    messages.success(request, _("The re-run is created. Set its dates in the admin, then open candidacies."))
    return redirect("elections:manage", slug=rerun.slug)


@login_required
def manage_roll(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    add_form = forms.RollAddForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "generate":
                added = services.roll_generate(election=election, actor=request.user)
                messages.success(request, _("%(count)d voters added to the roll.") % {"count": added})
                return redirect("elections:manage_roll", slug=slug)
            if add_form.is_valid():
                services.roll_entry_add(
                    election=election,
                    person=add_form.cleaned_data["person_ref"],
                    reason=add_form.cleaned_data["reason"],
                    actor=request.user,
                )
                messages.success(request, _("The roll is corrected."))
                return redirect("elections:manage_roll", slug=slug)
        except ValidationError as error:
            _add_service_errors(add_form, error)
            if not add_form.is_bound:
                for message in _errors(error):
                    messages.error(request, message)
    query = request.GET.get("q", "").strip()
    entries = election.roll.select_related("person__household__dwelling__building")
    if query:
        entries = entries.filter(
            Q(person__last_name__icontains=query) | Q(person__first_name__icontains=query)
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "elections/manage/roll.html",
        {
            "election": election,
            "page": page,
            "add_form": add_form,
            "query": query,
            "remove_form": forms.RollRemoveForm(),
        },
    )


@login_required
@require_POST
def manage_roll_remove(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    entry = get_object_or_404(RollEntry, election=election, pk=entry_id)
    form = forms.RollRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for this correction."))
    else:
        try:
            services.roll_entry_remove(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("The roll is corrected."))
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
    return redirect("elections:manage_roll", slug=slug)


@login_required
def manage_candidacies(request: HttpRequest, slug: str) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_handle_candidacies)
    form = forms.PaperCandidacyForm(request.POST or None, request.FILES or None, initial={"label": "nothing"})
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_submit(
                election=election,
                person=form.cleaned_data["person_ref"],
                channel=Candidacy.Channel.PAPER,
                received_on=form.cleaned_data["received_on"],
                label=form.cleaned_data["label"],
                association=form.cleaned_data["association"],
                statement=form.cleaned_data["statement"],
                photo=form.cleaned_data["photo"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The paper candidacy is recorded."))
            return redirect("elections:manage_candidacies", slug=slug)
    candidacies = election.candidacies.select_related("person__household__dwelling__building").order_by(
        "status", "display_name"
    )
    return render(
        request,
        "elections/manage/candidacies.html",
        {"election": election, "form": form, "candidacies": candidacies},
    )


@login_required
def manage_candidacy(request: HttpRequest, slug: str, candidacy_id: int) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_handle_candidacies)
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("person"), election=election, pk=candidacy_id
    )
    initial = {"charter_signed": candidacy.charter_signed, "court_check_done": candidacy.court_check_done}
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidacy_decide(
                candidacy=candidacy,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
                charter_signed=form.cleaned_data["charter_signed"],
                court_check_done=form.cleaned_data["court_check_done"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and the candidate is told."))
            return redirect("elections:manage_candidacies", slug=slug)
    problems = services.candidacy_eligibility_problems(election=election, person=candidacy.person)
    return render(
        request,
        "elections/manage/candidacy.html",
        {"election": election, "candidacy": candidacy, "form": form, "problems": problems},
    )


@login_required
def station_desk(request: HttpRequest, slug: str, station_id: int) -> HttpResponse:
    """The committee's tablet page: find a voter, check them in (or their proxy holder)."""
    election = _staff_election(request, slug, permissions.can_manage_election)
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
            for message in _errors(error) if isinstance(error, ValidationError) else [_("Unknown voter.")]:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is checked in: give the ballot paper.") % {"name": participation.roll_entry},
            )
        return redirect(f"{request.path}?{urlencode({'q': request.POST.get('q', '')})}")
    form = forms.VoterSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    entries = services.roll_search(election, query) if query else []
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
            "counts": services.participation_counts(election),
            "voting_open": election.status == Election.Status.VOTING,
        },
    )


@login_required
def station_count(request: HttpRequest, slug: str, station_id: int) -> HttpResponse:
    election = _staff_election(request, slug, permissions.can_manage_election)
    station = get_object_or_404(PollingStation, election=election, pk=station_id)
    candidacies = list(services.accepted_candidacies(election).order_by("position", "display_name"))
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
            _add_service_errors(form, error)
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
    election = _staff_election(request, slug, permissions.can_handle_candidacies)
    from .pdf import results_record_pdf

    result = selectors.election_results(election)
    response = HttpResponse(results_record_pdf(election, result), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="results-{election.slug}.pdf"'
    return response
