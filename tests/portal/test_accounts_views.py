"""Account pages: permission matrix per role (anonymous, unlinked account, linked tenant, worker, administrator),
the linking form, the organisation profile and query counts."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.linking import linking_codes_issue
from portal.models import AuditEvent, Organisation
from portal.permissions import is_linked_tenant
from portal.services import audit_record

from .accounts_factories import make_person, make_tenant, make_user, make_worker

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unlinked", "tenant", "worker", "admin"]


@pytest.fixture
def people():
    tenant, person = make_tenant()
    return {
        "anonymous": None,
        "unlinked": make_user(),
        "tenant": tenant,
        "worker": make_worker(),
        "admin": make_user(superuser=True),
        "person": person,
    }


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _status(client, people, role, url, method="get", data=None):
    c = client_as(client, people[role])
    response = getattr(c, method)(url, data or {})
    return response.status_code


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/my/", {"anonymous": 302, "unlinked": 200, "tenant": 200, "worker": 200, "admin": 200}),
        ("/en/my/link/", {"anonymous": 302, "unlinked": 200, "tenant": 302, "worker": 200, "admin": 200}),
        ("/en/my/data/", {"anonymous": 302, "unlinked": 200, "tenant": 200, "worker": 200, "admin": 200}),
        (
            "/en/my/data/download/",
            {"anonymous": 302, "unlinked": 200, "tenant": 200, "worker": 200, "admin": 200},
        ),
        ("/en/my/delete/", {"anonymous": 302, "unlinked": 200, "tenant": 200, "worker": 200, "admin": 403}),
        ("/en/privacy/", {"anonymous": 200, "unlinked": 200, "tenant": 200, "worker": 200, "admin": 200}),
        (
            "/admin/accounts/link/",
            {"anonymous": 302, "unlinked": 403, "tenant": 403, "worker": 200, "admin": 200},
        ),
        (
            "/admin/accounts/letters/",
            {"anonymous": 302, "unlinked": 403, "tenant": 403, "worker": 200, "admin": 200},
        ),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_account_pages(client, people, url, expected, role):
    assert _status(client, people, role, url) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_workers_download_a_tenants_data_on_their_behalf(client, people, role):
    expected = {"anonymous": 302, "unlinked": 403, "tenant": 403, "worker": 200, "admin": 200}[role]
    status = _status(
        client, people, role, "/en/my/data/download/", "post", {"on_behalf_of": people["person"].pk}
    )
    assert status == expected


@pytest.mark.parametrize("role", ROLES)
def test_organisation_profile_is_editable_by_members_workers_and_administrators(client, people, role):
    organisation = Organisation.objects.create(
        name="Comité Rue Haute", kind=Organisation.Kind.TENANT_COMMITTEE
    )
    expected = {"anonymous": 302, "unlinked": 403, "tenant": 403, "worker": 200, "admin": 200}[role]
    assert _status(client, people, role, f"/en/my/organisations/{organisation.pk}/") == expected


def test_member_edits_the_organisation_profile_and_adds_another_member(client):
    member, new_member = make_user(), make_user("newmember@example.org")
    organisation = Organisation.objects.create(name="Comité", kind=Organisation.Kind.TENANT_COMMITTEE)
    organisation.members.add(member)
    client.force_login(member)
    assert client.get(f"/en/my/organisations/{organisation.pk}/").status_code == 200
    response = client.post(
        f"/en/my/organisations/{organisation.pk}/",
        {
            "name": "Comité des locataires Rue Haute",
            "kind": "tenant_committee",
            "email": "comite@example.org",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Comité des locataires Rue Haute"
    response = client.post(
        f"/en/my/organisations/{organisation.pk}/invite/", {"email": "NewMember@example.org"}
    )
    assert response.status_code == 302
    assert organisation.members.filter(pk=new_member.pk).exists()
    assert mail.outbox[-1].to == ["NewMember@example.org"]


def test_adding_an_unknown_address_as_member_shows_a_message_next_to_the_field(client):
    member = make_user()
    organisation = Organisation.objects.create(name="Comité", kind=Organisation.Kind.TENANT_COMMITTEE)
    organisation.members.add(member)
    client.force_login(member)
    response = client.post(f"/en/my/organisations/{organisation.pk}/invite/", {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert "No account uses this address" in response.content.decode()
    assert organisation.members.count() == 1


def test_linking_form_links_with_code_and_date_of_birth(client):
    person = make_person(birth_date=datetime.date(1955, 9, 3))
    [issued] = linking_codes_issue(persons=[person], actor=None)
    user = make_user()
    client.force_login(user)
    response = client.post("/en/my/link/", {"code": issued.code, "birth_date": "03/09/1955"})
    assert response.status_code == 302 and response["Location"] == "/en/my/"
    assert is_linked_tenant(user)
    page = client.get("/en/my/").content.decode()
    assert person.full_name in page


def test_linking_form_shows_the_refusal_next_to_the_code_field(client):
    person = make_person(birth_date=datetime.date(1955, 9, 3))
    [issued] = linking_codes_issue(persons=[person], actor=None)
    client.force_login(make_user())
    response = client.post("/en/my/link/", {"code": issued.code, "birth_date": "1955-09-04"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "do not match" in html
    assert html.index("do not match") > html.index('for="id_code"')


def test_linking_form_refuses_after_too_many_wrong_tries_with_a_clear_message(client):
    person = make_person(birth_date=datetime.date(1955, 9, 3))
    [issued] = linking_codes_issue(persons=[person], actor=None)
    user = make_user()
    client.force_login(user)
    for _attempt in range(5):
        client.post("/en/my/link/", {"code": issued.code, "birth_date": "1999-01-01"})
    response = client.post("/en/my/link/", {"code": issued.code, "birth_date": "1955-09-03"})
    assert "Too many wrong tries" in response.content.decode()
    assert not is_linked_tenant(user)


def test_linking_form_with_an_impossible_date_shows_a_field_error_not_a_500(client):
    client.force_login(make_user())
    response = client.post("/en/my/link/", {"code": "x", "birth_date": "31/02/1960"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_my_account_shows_roles_and_link_status(client):
    worker = make_worker()
    client.force_login(worker)
    html = client.get("/en/my/").content.decode()
    assert "Collective workers" in html
    assert "Link my account with my personal code" in html


def test_my_data_page_queries_do_not_grow_with_the_number_of_events(client):
    user, person = make_tenant()
    client.force_login(user)
    audit_record(action="test.one", actor=user)
    client.get("/en/my/data/")
    with CaptureQueriesContext(connection) as small:
        client.get("/en/my/data/")
    for number in range(20):
        audit_record(action=f"test.{number}", actor=user, on_behalf_of=person)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/en/my/data/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=user).count() == 21
    assert len(large.captured_queries) == len(small.captured_queries)


def test_privacy_page_names_the_company_and_is_linked_from_the_footer(client, settings):
    settings.PORTAL_COMPANY_NAME = "Logement Exemple"
    html = client.get("/en/privacy/").content.decode()
    assert "Logement Exemple" in html
    assert "complaint period" in html
    assert 'href="/en/privacy/"' in html
