"""A collective worker imports the rental system's export in the Wagtail admin, in a real browser."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from wagtail.users.models import UserProfile

from portal import roles
from portal.models import Person
from tests.browser.axe import assert_accessible
from tests.portal.register_csv import person_row, to_csv

# Groups and their permissions come from data migrations: restore them after this transactional test's flush.


@pytest.fixture
def worker_page(page, site_url):
    user = User.objects.create_user("worker", "worker@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name=roles.COLLECTIVE_WORKERS))
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    client = Client()  # a logged-in session (the login journey itself is tested by the accounts app)
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url,
            }
        ]
    )
    return page


def test_worker_uploads_an_export_reads_the_report_and_imports_the_valid_rows(
    worker_page, site_url, tmp_path
):
    page = worker_page
    export = tmp_path / "export.csv"
    export.write_bytes(
        to_csv([person_row(1), person_row(2, email="nobody@"), person_row(3)], encoding="cp1252")
    )

    page.goto(site_url + "/admin/register/import/")
    assert page.locator("h1, h2").filter(has_text="Import from the rental system").count() >= 1
    assert_accessible(page)
    page.set_input_files("input[type=file]", str(export))
    page.get_by_role("button", name="Check the file").click()

    page.wait_for_url("**/admin/register/import/*/")
    assert page.get_by_text("Rows with a problem, which will not be imported: 1.").is_visible()
    assert page.get_by_text("is not a valid e-mail address").is_visible()
    assert_accessible(page)
    assert not Person.objects.exists()

    page.get_by_role("button", name="Import the 2 valid rows").click()
    page.wait_for_url("**/done/")
    assert page.get_by_text("The register was updated. Rows imported: 2.").is_visible()
    assert sorted(Person.objects.values_list("external_ref", flat=True)) == ["P-1", "P-3"]
