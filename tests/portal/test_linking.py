"""Linking an account to a tenant with the personal code from a letter and the date of birth."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from portal.accounts.linking import (
    account_link_by_worker,
    account_link_with_code,
    hash_code,
    linking_codes_issue,
    normalise_code,
)
from portal.models import AuditEvent, LinkingCode
from portal.permissions import is_linked_tenant

from .accounts_factories import make_neighbourhood, make_person, make_user, make_worker

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1962, 4, 17)


@pytest.fixture
def issued():
    person = make_person(birth_date=BIRTH)
    worker = make_worker()
    [item] = linking_codes_issue(persons=[person], actor=worker)
    return item


def test_issued_code_is_printable_and_only_its_hash_is_stored(issued):
    assert len(issued.code) == 14 and issued.code.count("-") == 2
    stored = LinkingCode.objects.get(person=issued.person)
    assert stored.code_hash == hash_code(issued.code)
    assert normalise_code(issued.code) not in stored.code_hash
    assert LinkingCode.objects.filter(code_hash__icontains=normalise_code(issued.code)).count() == 0
    assert AuditEvent.objects.filter(action="linking_codes.issued").count() == 1


def test_issued_code_expires_after_the_configured_validity(issued):
    assert (issued.expires_at - LinkingCode.objects.get().created_at).days == 90


def test_right_code_and_date_of_birth_link_the_account_once(issued):
    user = make_user()
    person = account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.0.0.1")
    assert person == issued.person
    assert is_linked_tenant(user)
    assert LinkingCode.objects.get().used_at is not None
    assert AuditEvent.objects.filter(action="account.linked", actor=user).exists()


def test_code_typed_in_lower_case_with_spaces_is_accepted(issued):
    user = make_user()
    typed = " " + issued.code.lower().replace("-", " ") + " "
    account_link_with_code(user=user, code=typed, birth_date=BIRTH, ip_address=None)
    assert is_linked_tenant(user)


def test_wrong_date_of_birth_is_refused(issued):
    user = make_user()
    with pytest.raises(ValidationError) as error:
        account_link_with_code(
            user=user, code=issued.code, birth_date=datetime.date(1962, 4, 18), ip_address="10.0.0.1"
        )
    assert error.value.code == "no_match"
    assert not is_linked_tenant(user)
    assert LinkingCode.objects.get().used_at is None


def test_unknown_code_is_refused(issued):
    user = make_user()
    with pytest.raises(ValidationError) as error:
        account_link_with_code(user=user, code="ABCD-EFGH-JKMN", birth_date=BIRTH, ip_address="10.0.0.1")
    assert error.value.code == "no_match"


def test_expired_code_is_refused(issued):
    user = make_user()
    later = issued.expires_at + datetime.timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError) as error:
        account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.0.0.1")
    assert error.value.code == "expired"
    assert not is_linked_tenant(user)


def test_reused_code_is_refused_for_a_second_account(issued):
    first, second = make_user(), make_user()
    account_link_with_code(user=first, code=issued.code, birth_date=BIRTH, ip_address="10.0.0.1")
    with pytest.raises(ValidationError) as error:
        account_link_with_code(user=second, code=issued.code, birth_date=BIRTH, ip_address="10.0.0.2")
    assert error.value.code == "used"
    assert not is_linked_tenant(second)


def test_an_account_already_linked_cannot_link_again(issued):
    user = make_user()
    account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
    [other] = linking_codes_issue(persons=[make_person(birth_date=BIRTH)], actor=None)
    with pytest.raises(ValidationError) as error:
        account_link_with_code(user=user, code=other.code, birth_date=BIRTH, ip_address=None)
    assert error.value.code == "already_linked"


def test_five_failed_tries_block_the_account_for_an_hour_even_with_the_right_code(issued):
    user = make_user()
    for attempt in range(5):
        with pytest.raises(ValidationError, match="do not match"):
            account_link_with_code(
                user=user,
                code=issued.code,
                birth_date=datetime.date(1970, 1, 1),
                ip_address=f"10.0.1.{attempt}",
            )
    with pytest.raises(ValidationError) as error:
        account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.0.2.1")
    assert error.value.code == "rate_limited"
    assert not is_linked_tenant(user)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=1, minutes=1)):
        account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.0.2.1")
    assert is_linked_tenant(user)


def test_five_failed_tries_from_one_ip_block_other_accounts_from_that_ip(issued):
    for _attempt in range(5):
        with pytest.raises(ValidationError, match="do not match"):
            account_link_with_code(
                user=make_user(), code="ZZZZ-ZZZZ-ZZZZ", birth_date=BIRTH, ip_address="10.9.9.9"
            )
    user = make_user()
    with pytest.raises(ValidationError) as error:
        account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.9.9.9")
    assert error.value.code == "rate_limited"
    account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address="10.9.9.10")
    assert is_linked_tenant(user)


@override_settings(PORTAL_LINKING_CODE_VALIDITY_DAYS=10)
def test_validity_is_a_setting():
    [item] = linking_codes_issue(persons=[make_person()], actor=None)
    assert (item.expires_at - LinkingCode.objects.get().created_at).days == 10


def test_worker_links_an_account_after_an_identity_check_and_it_is_audited():
    hood = make_neighbourhood()
    person = make_person(neighbourhood=hood)
    worker = make_worker(hood)
    user = make_user()
    account_link_by_worker(person=person, user=user, actor=worker)
    assert is_linked_tenant(user)
    event = AuditEvent.objects.get(action="account.linked_by_worker")
    assert event.actor == worker and event.on_behalf_of == person


def test_worker_cannot_link_a_person_already_linked():
    person = make_person(user=make_user())
    with pytest.raises(ValidationError, match="This person is already linked to an account."):
        account_link_by_worker(person=person, user=make_user(), actor=make_worker())
