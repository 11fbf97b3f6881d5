"""Permission matrix per role and phase: who may open which screen before, during and after the call."""

import pytest
from django.urls import reverse

from projectcall import services
from projectcall.models import Application

from . import factories as f

pytestmark = pytest.mark.django_db
S = Application.Status
ROLES = ["applicant", "other_tenant", "worker", "reviewer", "conflicted_reviewer", "anonymous"]
STATUS_IN_PHASE = {"open": S.SUBMITTED, "review": S.ELIGIBLE, "decided": S.FUNDED}


@pytest.fixture
def world():
    """One application per phase, and one account per role."""
    people = {
        "applicant": f.tenant("applicant").user,
        "other_tenant": f.tenant("other").user,
        "worker": f.worker("cma"),
        "reviewer": f.reviewer("jury"),
        "conflicted_reviewer": f.reviewer("jury2"),
    }
    apps = {}
    for phase, status in STATUS_IN_PHASE.items():
        app = f.submitted(f.call(phase=phase), people["applicant"])
        app.status = status
        app.save()
        services.conflict_declare(application=app, reviewer=people["conflicted_reviewer"], has_conflict=True)
        apps[phase] = app
    return people, apps


def _get(client, people, role, url):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(url)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", ["upcoming", "open", "review"])
def test_starting_an_application_is_for_tenants_organisations_and_workers_while_open(client, role, phase):
    people = {
        "applicant": f.tenant().user,
        "other_tenant": f.tenant().user,
        "worker": f.worker(),
        "reviewer": f.reviewer(),
        "conflicted_reviewer": f.reviewer(),
    }
    the_call = f.call(phase=phase)
    expected = (
        302
        if role == "anonymous"
        else (200 if phase == "open" and role in ("applicant", "other_tenant", "worker") else 403)
    )
    assert (
        _get(client, people, role, reverse("projectcall:application_start", args=[the_call.year])) == expected
    )


def test_member_of_a_partner_organisation_may_apply(client):
    member = f.user("asbl-member")
    f.organisation(members=[member])
    the_call = f.call(phase="open")
    client.force_login(member)
    assert client.get(reverse("projectcall:application_start", args=[the_call.year])).status_code == 200


DETAIL = {  # role -> phases where the application page opens
    "applicant": {"open", "review", "decided"},
    "other_tenant": set(),
    "worker": {"open", "review", "decided"},
    "reviewer": {"review", "decided"},
    "conflicted_reviewer": set(),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", ["open", "review", "decided"])
def test_application_page_matrix(client, world, role, phase):
    people, apps = world
    expected = 302 if role == "anonymous" else (200 if phase in DETAIL[role] else 403)
    assert _get(client, people, role, apps[phase].get_absolute_url()) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", ["open", "review", "decided"])
def test_only_the_applicant_edits_and_only_until_the_deadline(client, world, role, phase):
    people, apps = world
    url = reverse("projectcall:application_step", args=[apps[phase].pk, "project"])
    expected = 302 if role == "anonymous" else (200 if role == "applicant" and phase == "open" else 403)
    assert _get(client, people, role, url) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", ["open", "review", "decided"])
def test_eligibility_is_checked_by_a_worker_after_the_deadline_only(client, world, role, phase):
    people, apps = world
    url = reverse("projectcall:eligibility", args=[apps[phase].pk])
    expected = 302 if role == "anonymous" else (200 if role == "worker" and phase == "review" else 403)
    assert _get(client, people, role, url) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", ["open", "review"])
def test_scoring_is_for_reviewers_without_conflict_during_review(client, world, role, phase):
    people, apps = world
    url = reverse("projectcall:review", args=[apps[phase].pk])
    expected = 302 if role == "anonymous" else (200 if role == "reviewer" and phase == "review" else 403)
    assert _get(client, people, role, url) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["decision", "export_csv", "export_xlsx", "manage_call"])
def test_decision_exports_and_the_office_are_for_workers(client, world, role, view):
    people, apps = world
    year = apps["review"].call.year
    url = {
        "decision": reverse("projectcall:decision", args=[year]),
        "export_csv": reverse("projectcall:export", args=[year, "csv"]),
        "export_xlsx": reverse("projectcall:export", args=[year, "xlsx"]),
        "manage_call": reverse("projectcall:manage_call", args=[year]),
    }[view]
    expected = 302 if role == "anonymous" else (200 if role == "worker" else 403)
    assert _get(client, people, role, url) == expected


@pytest.mark.parametrize("role", ROLES)
def test_gallery_and_idea_box_are_public(client, world, role):
    people, _apps = world
    assert _get(client, people, role, reverse("projectcall:gallery")) == 200
    assert _get(client, people, role, reverse("projectcall:idea_create")) == 200


def test_decision_cannot_be_posted_once_the_call_is_decided(client, world):
    people, apps = world
    client.force_login(people["worker"])
    assert client.post(reverse("projectcall:decision", args=[apps["decided"].call.year])).status_code == 403


def test_reviewer_does_not_see_other_scores_before_submitting_their_own(client, world):
    people, apps = world
    app = apps["review"]
    other = f.reviewer("jury3")
    services.conflict_declare(application=app, reviewer=other, has_conflict=False)
    services.review_submit(
        application=app,
        reviewer=other,
        scores={c.pk: (5, "Très bien fait") for c in app.call.criteria.all()},
        comment="",
    )
    client.force_login(people["reviewer"])
    url = reverse("projectcall:review", args=[app.pk])
    assert "Très bien fait" not in client.get(url).content.decode()
    client.post(url, {"action": "conflict", "has_conflict": "no"})
    data = {"action": "submit", "comment": ""}
    for c in app.call.criteria.all():
        data[f"score_{c.pk}"], data[f"comment_{c.pk}"] = "3", ""
    client.post(url, data)
    assert "Très bien fait" in client.get(url).content.decode()
