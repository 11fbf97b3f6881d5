"""Personal data of tenant meetings: the topics a tenant suggested are in "My data" and leave with the account
(anonymised once on an agenda); staff see the work the meetings record about them."""

import pytest
from allauth.account.models import EmailAddress

from meetings import services
from meetings.models import TopicSuggestion
from portal import gdpr

from . import factories as f

pytestmark = pytest.mark.django_db
Channel = TopicSuggestion.Channel


def _suggest(hood, title, **fields):
    return services.suggestion_submit(neighbourhood=hood, title=title, channel=Channel.ONLINE, **fields)


def _section(key, **subject):
    return {s["key"]: s for s in gdpr.personal_data(**subject)}[key]["items"]


def test_my_data_lists_the_topics_suggested_from_the_account_on_paper_and_anonymously_with_my_address():
    hood = f.neighbourhood()
    user = f.tenant(hood)
    EmailAddress.objects.create(user=user, email="nadia@example.org", verified=True, primary=True)
    _suggest(hood, "Ascenseur en panne", user=user, person=user.person)
    services.suggestion_submit(
        neighbourhood=hood, title="Poubelles", channel=Channel.PAPER, person=user.person, actor=f.worker(hood)
    )
    _suggest(hood, "Éclairage", contact_name="Nadia", contact_email="NADIA@example.org")
    _suggest(hood, "Someone else's topic", contact_email="other@example.org")
    items = _section("meetings_suggestions", user=user)
    assert {i["topic"] for i in items} == {"Ascenseur en panne", "Poubelles", "Éclairage"}
    lighting = next(i for i in items if i["topic"] == "Éclairage")
    assert lighting["name"] == "Nadia" and lighting["email_for_the_answer"] == "NADIA@example.org"
    assert gdpr.unlabelled_keys(gdpr.personal_data(user=user)) == set()


def test_an_unverified_address_does_not_reveal_anonymous_suggestions():
    hood = f.neighbourhood()
    user = f.tenant(hood)
    EmailAddress.objects.create(user=user, email="typed@example.org", verified=False, primary=True)
    _suggest(hood, "Anonymous topic", contact_email="typed@example.org")
    assert _section("meetings_suggestions", user=user) == []


def test_removing_the_account_deletes_open_topics_and_anonymises_those_on_an_agenda():
    hood = f.neighbourhood()
    worker = f.worker(hood)
    user = f.tenant(hood)
    meeting = f.meeting(hood, actor=worker)
    kept = _suggest(hood, "Chauffage", user=user, person=user.person, contact_name="Nadia")
    services.suggestion_answer(
        actor=worker, suggestion=kept, outcome=TopicSuggestion.Status.SCHEDULED, meeting=meeting
    )
    declined = _suggest(hood, "Parking", user=user, person=user.person)
    services.suggestion_answer(
        actor=worker, suggestion=declined, outcome=TopicSuggestion.Status.DECLINED, answer="Not for us"
    )
    _suggest(hood, "Bruit", user=user, person=user.person)
    gdpr.account_delete(user=user)
    [left] = TopicSuggestion.objects.all()
    assert left.pk == kept.pk and left.agenda_item is not None
    assert (left.person, left.submitted_by, left.contact_name, left.contact_email) == (None, None, "", "")


def test_staff_see_the_agenda_items_they_proposed_and_the_minutes_they_approved():
    hood = f.neighbourhood()
    author, reviewer = f.worker(hood), f.worker(hood)
    meeting = f.held_meeting(hood, actor=author)
    f.minutes_ready(meeting, author=author, reviewer=reviewer)
    item = services.agenda_item_propose(
        actor=author, meeting=f.meeting(hood, actor=author), title="Travaux de façade"
    )
    mine = _section("meetings_work", user=author)
    assert {row["what"] for row in mine} == {"Minutes sent for review", "Agenda item proposed"}
    assert item.title in {row["about"] for row in mine}
    assert [str(row["what"]) for row in _section("meetings_work", user=reviewer)] == ["Minutes approved"]
