"""Behind the reverse proxy every visitor keeps their own address (issue #12, item 1): rate limits and attempt
records follow the client nginx saw, not nginx itself, and an X-Forwarded-For forged from outside is ignored.

Each client binds its socket to its own 127.0.0.x address; nginx appends that address to X-Forwarded-For and
gunicorn (production settings, PORTAL_TRUSTED_PROXY_COUNT=1) reads it back.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from elections import codes
from elections.models import Election
from portal.accounts.linking import linking_codes_issue
from portal.models import LinkingAttempt, Person
from tests.elections.factories import election_in_voting
from tests.portal.accounts_factories import make_person, make_user

from .stack import set_production_password

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Brussels-tenant-2026"
TOO_MANY_LOGINS = "Too many failed login attempts"


@pytest.fixture
def election(stack):
    """An election in its voting phase right now (the real clock: the stack's processes cannot travel in time)."""
    election, *_ = election_in_voting(voters=24)
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        voting_opens_at=now - datetime.timedelta(hours=1), voting_closes_at=now + datetime.timedelta(hours=2)
    )
    return election


def _en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _captcha(html: str) -> dict[str, str]:
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _user(email):
    user = make_user(email)
    set_production_password(user, PASSWORD)
    return user


def test_twelve_voters_at_twelve_addresses_in_one_minute_all_reach_their_ballot(stack, election):
    vote = _en("elections:vote_start", slug=election.slug)
    entries = list(election.roll.select_related("person").order_by("pk")[:12])
    for n, entry in enumerate(entries):
        client = stack.client(f"127.0.0.{10 + n}")
        page = client.get(vote)
        assert page.status == 200
        data = {
            "code": codes.format_code(codes.code_from_seed(entry.code_seed)),
            "birth_date": entry.person.birth_date.isoformat(),
            **_captcha(page.text),
        }
        response = client.post(vote, data)
        assert response.status == 302, f"voter {n + 1}: {response.status}"
        assert response.header("Location") == _en("elections:vote_ballot", slug=election.slug)
        assert client.get(response.header("Location")).status == 200


def test_one_address_hammering_the_vote_form_is_stopped_whatever_it_forwards(stack, election):
    vote = _en("elections:vote_start", slug=election.slug)
    client = stack.client("127.0.0.9")
    client.get(vote)
    statuses = [
        client.post(
            vote,
            {"code": "AAAA-BBBB-CCCC", "birth_date": "1970-01-01"},
            headers={"X-Forwarded-For": f"10.0.0.{n}"},  # a new "address" every time, forged by the client
        ).status
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    # Another visitor is not concerned.
    other = stack.client("127.0.0.8")
    other.get(vote)
    assert other.post(vote, {"code": "AAAA-BBBB-CCCC", "birth_date": "1970-01-01"}).status == 200


def test_failed_logins_at_one_address_do_not_refuse_the_right_password_at_another(stack):
    member = _user("committee@example.org")
    others = [make_user() for _ in range(5)]
    attacker = stack.client("127.0.0.20")
    attacker.get("/en/accounts/login/")
    # Ten failures in a minute from one address: five on the member's account, five on others.
    for email in [member.email] * 5 + [user.email for user in others]:
        response = attacker.post("/en/accounts/login/", {"login": email, "password": "not-the-password"})
        assert response.status == 200 and TOO_MANY_LOGINS not in response.text
    refused = attacker.post("/en/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert refused.status in (200, 429) and "sessionid" not in attacker.cookies
    response = stack.client("127.0.0.21").login(member.email, PASSWORD)
    assert response.status == 302, response.text[:500]


def test_linking_attempts_record_the_visitors_address_and_block_only_that_address(stack):
    person = make_person(birth_date=datetime.date(1955, 9, 3))
    [issued] = linking_codes_issue(persons=[person], actor=None)
    guesser, tenant = _user("guesser@example.org"), _user("tenant@example.org")
    client = stack.client("127.0.0.30")
    assert client.login(guesser.email, PASSWORD).status == 302
    client.get("/en/my/link/")
    wrong = {"code": "ZZZZ-ZZZZ-ZZZZ", "birth_date": "1955-09-03"}
    for _ in range(5):
        response = client.post("/en/my/link/", wrong, headers={"X-Forwarded-For": "10.9.9.9"})
        assert "do not match" in response.text
    assert list(LinkingAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.30"] * 5
    assert "Too many wrong tries" in client.post("/en/my/link/", wrong).text

    other = stack.client("127.0.0.31")
    assert other.login(tenant.email, PASSWORD).status == 302
    other.get("/en/my/link/")
    response = other.post("/en/my/link/", {"code": issued.code, "birth_date": "1955-09-03"})
    assert response.status == 302, response.text[:500]
    assert Person.objects.get(pk=person.pk).user_id == tenant.pk
    assert LinkingAttempt.objects.get(user=tenant).ip_address == "127.0.0.31"
