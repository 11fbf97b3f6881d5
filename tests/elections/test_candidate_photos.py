"""Candidates' photos are private until the list of accepted candidates is published."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from elections import services
from elections.models import Candidacy
from portal import roles

from .factories import DURING_CANDIDACIES, committee_member, make_company, make_election, make_user

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def candidacy_with_photo():
    persons = make_company(households=3, members=1)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee_member())
        candidacy = services.candidacy_submit(
            election=election, person=persons[0], channel=Candidacy.Channel.PAPER, photo=_png()
        )
    return candidacy


def test_photo_is_not_under_the_public_media_address(candidacy_with_photo, settings):
    path = candidacy_with_photo.photo.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_photo_of_an_undecided_candidacy_is_hidden_from_visitors_but_shown_to_the_candidate_and_workers(
    client, candidacy_with_photo
):
    url = reverse(
        "elections:candidate_photo", args=[candidacy_with_photo.election.slug, candidacy_with_photo.pk]
    )
    assert client.get(url).status_code == 404
    client.force_login(make_user(person=candidacy_with_photo.person))
    assert client.get(url).status_code == 200
    client.force_login(make_user(roles.COLLECTIVE_WORKERS))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_photo_of_an_accepted_candidate_is_public_once_the_list_is_published(client, candidacy_with_photo):
    candidacy = candidacy_with_photo
    url = reverse("elections:candidate_photo", args=[candidacy.election.slug, candidacy.pk])
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        services.candidacy_decide(
            candidacy=candidacy,
            accept=True,
            reason="",
            charter_signed=True,
            court_check_done=True,
            actor=committee_member(),
        )
    assert client.get(url).status_code == 404  # accepted, but the list is not published yet
    candidacy.election.status = candidacy.election.Status.CANDIDATES_PUBLISHED
    candidacy.election.save(update_fields=["status"])
    assert client.get(url).status_code == 200


def test_a_replaced_photo_is_deleted_from_private_storage_once_the_change_is_committed(
    candidacy_with_photo, django_capture_on_commit_callbacks
):
    old = candidacy_with_photo.photo
    storage, old_name = old.storage, old.name
    with (
        time_machine.travel(DURING_CANDIDACIES, tick=False),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        services.candidacy_update(candidacy=candidacy_with_photo, label="nothing", photo=_png())
    assert storage.exists(old_name)  # nothing is deleted before the commit (a rollback keeps the photo)
    for callback in callbacks:
        callback()
    candidacy_with_photo.refresh_from_db()
    assert not storage.exists(old_name)
    assert storage.exists(candidacy_with_photo.photo.name)
