"""The named permissions of elections (elections/permissions.py) as a matrix of role x phase."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from elections import permissions
from elections.models import Candidacy, Election
from portal import roles

from . import factories as f

pytestmark = pytest.mark.django_db
S = Election.Status
ROLES = ["anonymous", "tenant", "other_tenant", "worker", "committee", "administrator"]


@pytest.fixture
def people():
    candidate_person = f.make_person()
    administrator = f.make_user(roles.ADMINISTRATORS)
    return {
        "anonymous": AnonymousUser(),
        "tenant": f.make_user(person=candidate_person),
        "other_tenant": f.make_user(person=f.make_person()),
        "worker": f.worker(),
        "committee": f.committee_member(),
        "administrator": administrator,
    }


def _candidacy(people, status=S.CANDIDACY, candidacy_status=Candidacy.Status.SUBMITTED):
    election = f.make_election()
    Election.objects.filter(pk=election.pk).update(status=status)
    election.refresh_from_db()
    return Candidacy.objects.create(
        election=election,
        person=people["tenant"].person,
        display_name="Candidate",
        channel=Candidacy.Channel.ONLINE,
        received_on=election.candidacies_open_on,
        status=candidacy_status,
    )


@pytest.mark.parametrize("role", ROLES)
def test_managing_an_election_is_for_the_committee_and_administrators(people, role):
    assert permissions.can_manage_election(people[role]) is (role in {"committee", "administrator"})


@pytest.mark.parametrize("role", ROLES)
def test_handling_candidacies_is_for_workers_the_committee_and_administrators(people, role):
    expected = role in {"worker", "committee", "administrator"}
    assert permissions.can_handle_candidacies(people[role]) is expected


@pytest.mark.parametrize("phase", list(S))
@pytest.mark.parametrize("role", ROLES)
def test_applying_online_is_for_linked_tenants_while_candidacies_are_open(people, role, phase):
    election = f.make_election()
    election.status = phase
    expected = phase == S.CANDIDACY and role in {"tenant", "other_tenant"}
    assert permissions.can_apply(people[role], election) is expected


@pytest.mark.parametrize("online", [True, False])
@pytest.mark.parametrize("phase", list(S))
def test_online_voting_is_possible_only_during_voting_and_where_the_election_allows_it(phase, online):
    election = Election(status=phase, online_voting=online)
    assert permissions.can_vote_online(election) is (online and phase == S.VOTING)


@pytest.mark.parametrize("phase", list(S))
def test_the_candidate_list_is_public_from_its_publication(phase):
    expected = phase not in {S.DRAFT, S.CANDIDACY}
    assert permissions.can_see_candidates(Election(status=phase)) is expected


@pytest.mark.parametrize("phase", list(S))
@pytest.mark.parametrize("role", ROLES)
def test_results_are_seen_by_nobody_before_publication_then_by_everyone(people, role, phase):
    expected = phase in {S.COMPLAINTS, S.CLOSED}
    assert permissions.can_see_results(people[role], Election(status=phase)) is expected


@pytest.mark.parametrize("role", ROLES)
def test_a_photo_before_the_list_is_published_is_seen_by_the_candidate_and_who_handles_candidacies(
    people, role
):
    candidacy = _candidacy(people, status=S.CANDIDACY, candidacy_status=Candidacy.Status.ACCEPTED)
    expected = role in {"tenant", "worker", "committee", "administrator"}
    assert permissions.can_see_candidate_photo(people[role], candidacy) is expected


@pytest.mark.parametrize("role", ROLES)
def test_the_photo_of_an_accepted_candidate_on_the_published_list_is_public(people, role):
    candidacy = _candidacy(people, status=S.VOTING, candidacy_status=Candidacy.Status.ACCEPTED)
    assert permissions.can_see_candidate_photo(people[role], candidacy) is True


@pytest.mark.parametrize("role", ROLES)
def test_the_photo_of_a_refused_candidate_stays_private_after_publication(people, role):
    candidacy = _candidacy(people, status=S.VOTING, candidacy_status=Candidacy.Status.REFUSED)
    expected = role in {"tenant", "worker", "committee", "administrator"}
    assert permissions.can_see_candidate_photo(people[role], candidacy) is expected


def test_a_superuser_counts_as_an_administrator():
    superuser = User.objects.create_superuser(username="root", password="a-long-password-1")
    assert permissions.can_manage_election(superuser) and permissions.can_handle_candidacies(superuser)
