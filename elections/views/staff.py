"""The election desk of the committee and the workers: phases, invitations, re-run, roll and candidacies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, guards, permissions, selectors, services
from ..models import BallotBox, Candidacy, Election, ElectionEvent, RollEntry
from ._helpers import add_service_errors, errors, staff_election


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    if not permissions.can_handle_candidacies(request.user):
        raise PermissionDenied
    elections = Election.objects.annotate(n_candidacies=Count("candidacies", distinct=True)).order_by("-id")
    return render(request, "elections/manage/index.html", {"elections": elections})


@login_required
def manage_election(request: HttpRequest, slug: str) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_handle_candidacies)
    return render(
        request,
        "elections/manage/election.html",
        {
            "election": election,
            "issues": guards.election_issues_before_advance(election),
            "next_status": guards.NEXT_STATUS.get(election.status),
            "next_label": Election.Status(guards.NEXT_STATUS[election.status]).label
            if election.status in guards.NEXT_STATUS
            else "",
            "counts": selectors.participation_counts(election),
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
            **_ballot_box_flags(election),
        },
    )


def _ballot_box_flags(election: Election) -> dict:
    """What the desk offers for the online ballot box in this phase."""
    if not election.online_voting:
        return {}
    box = BallotBox.objects.filter(election=election).first()
    closed_box = box is not None and box.opened_at is None
    return {
        "box": box,
        "key_ceremony_possible": election.status == Election.Status.CANDIDATES_PUBLISHED,
        "key_check_possible": closed_box,
        "box_open_possible": closed_box and election.status == Election.Status.COUNTING,
        "key_warning": guards.key_loss_warning(election)
        if election.status == Election.Status.CANDIDATES_PUBLISHED
        else "",
    }


@login_required
@require_POST
def manage_advance(request: HttpRequest, slug: str) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_manage_election)
    try:
        services.election_advance(election=election, actor=request.user)
    except ValidationError as error:
        for message in errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Phase: %(phase)s.") % {"phase": election.get_status_display()})
    return redirect("elections:manage", slug=slug)


@login_required
@require_POST
def manage_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_manage_election)
    try:
        services.election_invitations_send(election=election, actor=request.user)
    except ValidationError as error:
        for message in errors(error):
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
    election = staff_election(request, slug, permissions.can_manage_election)
    try:
        rerun = services.election_rerun(election=election, actor=request.user)
    except ValidationError as error:
        for message in errors(error):
            messages.error(request, message)
        return redirect("elections:manage", slug=slug)
    messages.success(request, _("The re-run is created. Set its dates in the admin, then open candidacies."))
    return redirect("elections:manage", slug=rerun.slug)


@login_required
def manage_roll(request: HttpRequest, slug: str) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_manage_election)
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
            add_service_errors(add_form, error)
            if not add_form.is_bound:
                for message in errors(error):
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
    election = staff_election(request, slug, permissions.can_manage_election)
    entry = get_object_or_404(RollEntry, election=election, pk=entry_id)
    form = forms.RollRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for this correction."))
    else:
        try:
            services.roll_entry_remove(entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("The roll is corrected."))
        except ValidationError as error:
            for message in errors(error):
                messages.error(request, message)
    return redirect("elections:manage_roll", slug=slug)


@login_required
def manage_candidacies(request: HttpRequest, slug: str) -> HttpResponse:
    election = staff_election(request, slug, permissions.can_handle_candidacies)
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
            add_service_errors(form, error)
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
    election = staff_election(request, slug, permissions.can_handle_candidacies)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and the candidate is told."))
            return redirect("elections:manage_candidacies", slug=slug)
    problems = guards.candidacy_eligibility_problems(election=election, person=candidacy.person)
    return render(
        request,
        "elections/manage/candidacy.html",
        {"election": election, "candidacy": candidacy, "form": form, "problems": problems},
    )


@login_required
def manage_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The frozen rules of an election, and the corrections still allowed (with a reason, logged)."""
    election = staff_election(request, slug, permissions.can_manage_election)
    fields = ["voting_closes_at", "complaints_end_on", "how_to_vote"]
    form = forms.RulesCorrectionForm(
        request.POST or None, initial={name: getattr(election, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.election_rules_correct(
                election=election,
                changes={name: form.cleaned_data[name] for name in fields},
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The correction is recorded in the election log."))
            return redirect("elections:manage_rules", slug=slug)
    return render(
        request,
        "elections/manage/rules.html",
        {
            "election": election,
            "form": form,
            "rules": [
                (election._meta.get_field(name).verbose_name, value) for name, value in _rules(election)
            ],
            "corrections": election.events.filter(kind=ElectionEvent.Kind.RULES_CORRECTED)
            .select_related("actor")
            .order_by("-created_at", "-id"),
        },
    )


def _rules(election: Election) -> list[tuple[str, object]]:
    names = [
        "seats",
        "max_choices",
        "quorum_percent",
        "voter_min_age",
        "roll_reference_date",
        "online_voting",
    ]
    names += ["proxies_allowed", "proxies_per_holder", "tie_rule", "voting_opens_at", "voting_closes_at"]
    names += ["complaints_end_on"]
    return [(name, _display(election, name)) for name in names]


def _display(election: Election, name: str) -> object:
    field = election._meta.get_field(name)
    if field.choices:
        return getattr(election, f"get_{name}_display")()
    return getattr(election, name)
