"""Workers' admin views: link an account after an identity check; print letters with personal codes (PDF)."""

import datetime
import re
import subprocess
import tempfile

import pytest
from wagtail.users.models import UserProfile

from portal.accounts.linking import account_link_with_code
from portal.models import AuditEvent, LinkingCode
from portal.permissions import is_linked_tenant

from .accounts_factories import make_neighbourhood, make_person, make_user, make_worker

pytestmark = pytest.mark.django_db


def in_english(user):
    """The admin speaks each user's preferred language (French by default): these tests read English."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def test_worker_links_a_tenants_account_from_the_admin_and_it_is_audited(client):
    hood = make_neighbourhood()
    person = make_person(neighbourhood=hood)
    tenant_account = make_user("ahmed@example.org")
    worker = in_english(make_worker(hood))
    client.force_login(worker)
    response = client.post(
        "/admin/accounts/link/", {"person": person.pk, "email": "Ahmed@example.org", "identity_checked": "on"}
    )
    assert response.status_code == 302
    assert is_linked_tenant(tenant_account)
    assert AuditEvent.objects.filter(
        action="account.linked_by_worker", actor=worker, on_behalf_of=person
    ).exists()


def test_worker_link_needs_the_identity_check_box(client):
    hood = make_neighbourhood()
    person = make_person(neighbourhood=hood)
    make_user("ahmed@example.org")
    client.force_login(in_english(make_worker(hood)))
    response = client.post("/admin/accounts/link/", {"person": person.pk, "email": "ahmed@example.org"})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None


def test_worker_cannot_link_a_tenant_of_another_neighbourhood(client):
    covered, other = make_neighbourhood(), make_neighbourhood()
    outsider = make_person(neighbourhood=other)
    make_user("ahmed@example.org")
    client.force_login(in_english(make_worker(covered)))
    response = client.post(
        "/admin/accounts/link/",
        {"person": outsider.pk, "email": "ahmed@example.org", "identity_checked": "on"},
    )
    assert response.status_code == 200
    outsider.refresh_from_db()
    assert outsider.user is None


def test_letters_pdf_has_one_page_per_tenant_with_name_address_and_a_working_code(client):
    hood = make_neighbourhood()
    fr = make_person(neighbourhood=hood, first_name="Chantal", last_name="Dupont", language="fr")
    nl = make_person(neighbourhood=hood, first_name="Els", last_name="Maes", language="nl")
    make_person(
        neighbourhood=hood, first_name="Petit", last_name="Enfant", birth_date=datetime.date(2020, 1, 1)
    )
    make_person(neighbourhood=make_neighbourhood(), first_name="Autre", last_name="Quartier")
    client.force_login(in_english(make_worker(hood)))
    response = client.post(
        "/admin/accounts/letters/", {"neighbourhood": hood.pk, "only_unlinked": "on", "minimum_age": 16}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert text.count("\f") in (2, 3)  # two pages (pdftotext ends each page with a form feed)
    assert "Chantal Dupont" in text and "Els Maes" in text
    assert "Enfant" not in text and "Quartier" not in text
    assert "Rue Haute" in text
    assert LinkingCode.objects.count() == 2
    codes = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", text)
    assert len(codes) == 2
    # The printed code really works for the person named on the page.
    first_page = text.split("\f")[0]
    person = fr if "Chantal" in first_page else nl
    [code] = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", first_page)
    user = make_user()
    account_link_with_code(user=user, code=code, birth_date=person.birth_date, ip_address=None)
    assert is_linked_tenant(user)


def test_letters_for_an_empty_selection_show_a_message_instead_of_an_empty_pdf(client):
    hood = make_neighbourhood()
    make_person(neighbourhood=hood, user=make_user())
    client.force_login(in_english(make_worker(hood)))
    response = client.post(
        "/admin/accounts/letters/", {"neighbourhood": hood.pk, "only_unlinked": "on", "minimum_age": 16}
    )
    assert response.status_code == 200
    assert "Nobody matches these choices" in response.content.decode()
    assert not LinkingCode.objects.exists()


def test_worker_cannot_print_letters_for_a_neighbourhood_they_do_not_cover(client):
    covered, other = make_neighbourhood(), make_neighbourhood()
    make_person(neighbourhood=other)
    make_person(neighbourhood=covered)
    client.force_login(in_english(make_worker(covered)))
    response = client.post("/admin/accounts/letters/", {"neighbourhood": other.pk, "minimum_age": 16})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not LinkingCode.objects.exists()


@pytest.mark.parametrize("url", ["/en/accounts/2fa/", "/en/accounts/email/", "/en/accounts/password/change/"])
def test_account_management_pages_render_in_the_site_look(client, url):
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 200
    assert "account.css" in response.content.decode()


def test_worker_removes_a_wrong_link_and_it_is_audited(client):
    hood = make_neighbourhood()
    account = make_user()
    person = make_person(neighbourhood=hood, user=account)
    worker = in_english(make_worker(hood))
    client.force_login(worker)
    assert "Remove a link" in client.get("/admin/accounts/link/").content.decode()
    response = client.post("/admin/accounts/link/", {"linked_person": person.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None
    assert AuditEvent.objects.filter(action="account.unlinked", actor=worker, on_behalf_of=person).exists()
