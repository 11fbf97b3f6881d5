"""Invitation letters and e-mails through the notification service, with the personal code computed at render."""

import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError

from elections import codes, services
from elections.models import ElectionEvent
from portal.notifications.models import Delivery, NotificationBatch

from .factories import AFTER_CANDIDACIES, DURING_CANDIDACIES, DURING_VOTING, election_in_voting

pytestmark = pytest.mark.django_db


def pdf_text(field) -> str:
    with field.open("rb") as handle:
        data = handle.read()
    return " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )


def test_every_voter_gets_an_invitation_with_their_own_code_and_no_plain_code_is_stored(
    run_tasks, mailoutbox
):
    election, persons, accepted, committee = election_in_voting(voters=6, candidates=5, min_candidates=5)
    entries = list(election.roll.select_related("person"))
    with_email = entries[0].person
    with_email.email = "voter@example.org"
    with_email.language = "fr"
    with_email.save()
    with run_tasks(), time_machine.travel(DURING_VOTING, tick=False):
        services.election_invitations_send(election=election, actor=committee)
    batch = NotificationBatch.objects.get(message="elections/invitation")
    assert Delivery.objects.filter(batch=batch).count() == len(entries)
    code = codes.format_code(codes.code_from_seed(entries[0].code_seed))
    assert len(mailoutbox) == 1 and code in mailoutbox[0].body
    assert "Salle communautaire" in mailoutbox[0].body
    pdf = pdf_text(batch.letters_pdf)
    for entry in entries[1:]:
        assert codes.format_code(codes.code_from_seed(entry.code_seed)) in pdf
    # The code itself is in no database row: only its seed and HMAC on the roll entry.
    assert code not in str(batch.context) and code not in str(list(Delivery.objects.values()))
    assert code.replace("-", "") not in str(list(election.roll.values()))
    assert election.events.filter(kind=ElectionEvent.Kind.INVITATIONS_SENT).exists()


def test_invitations_without_online_voting_carry_no_code(run_tasks):
    election, persons, accepted, committee = election_in_voting(voters=6, candidates=5, online_voting=False)
    with run_tasks(), time_machine.travel(DURING_VOTING, tick=False):
        services.election_invitations_send(election=election, actor=committee)
    pdf = pdf_text(NotificationBatch.objects.get(message="elections/invitation").letters_pdf)
    assert "Salle communautaire" in pdf
    assert "code" not in pdf.lower()


def test_invitations_cannot_be_sent_before_the_candidate_list_is_published():
    from .factories import committee_member, make_election

    committee = committee_member()
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        with pytest.raises(ValidationError, match="candidate list is published"):
            services.election_invitations_send(election=election, actor=committee)
    assert not NotificationBatch.objects.exists()
    assert AFTER_CANDIDACIES  # the calendar used by the other tests


def test_candidate_is_told_the_decision_by_e_mail(run_tasks, mailoutbox):
    from elections.models import Candidacy

    from .factories import committee_member, make_company, make_election

    committee = committee_member()
    person = make_company(households=1, members=1)[0]
    person.email = "candidate@example.org"
    person.language = "en"
    person.save()
    with run_tasks(), time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        candidacy = services.candidacy_submit(
            election=election, person=person, channel=Candidacy.Channel.ONLINE
        )
        services.candidacy_decide(
            candidacy=candidacy,
            accept=False,
            reason="The charter is not signed.",
            charter_signed=False,
            court_check_done=True,
            actor=committee,
        )
    assert len(mailoutbox) == 1
    assert "The charter is not signed." in mailoutbox[0].body
    assert "could not accept your candidacy" in mailoutbox[0].body


def test_printed_invitations_with_the_codes_are_deleted_when_the_result_becomes_final(
    run_tasks, django_capture_on_commit_callbacks
):
    from .factories import AFTER_COMPLAINTS, AFTER_VOTING

    election, persons, accepted, committee = election_in_voting(voters=6, candidates=5)
    with run_tasks(), time_machine.travel(DURING_VOTING, tick=False):
        services.election_invitations_send(election=election, actor=committee)
    batch = NotificationBatch.objects.get(message="elections/invitation")
    assert batch.letters_pdf
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        services.station_count_enter(
            station=election.stations.get(),
            ballots=0,
            blank=0,
            void=0,
            votes={c.pk: 0 for c in accepted},
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
    with time_machine.travel(AFTER_COMPLAINTS, tick=False), django_capture_on_commit_callbacks() as callbacks:
        services.election_advance(election=election, actor=committee)
    batch.refresh_from_db()
    assert batch.letters_pdf  # deleted only once the purge is committed
    for callback in callbacks:
        callback()
    batch.refresh_from_db()
    assert not batch.letters_pdf
    assert not election.roll.exists()
