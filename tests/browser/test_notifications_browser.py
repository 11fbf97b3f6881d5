"""A collective worker follows a notification in the admin: list, detail, letters PDF, marks the letters printed."""

from django.core.management import call_command
from django.db import transaction
from django.test import Client

from portal import roles
from portal.notifications.models import DeliveryStatus, NotificationBatch
from portal.notifications.services import Audience, notification_send
from tests.browser.axe import assert_accessible
from tests.portal import notifications_factories as f


def _log_in(page, site_url, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": site_url}])


def test_worker_downloads_the_letters_and_marks_them_printed(page, site_url):
    worker = f.user_with_role(roles.COLLECTIVE_WORKERS, username="worker")
    households = [
        f.household(members=[{"email": "mail@example.org"}]),
        f.household(members=[{"last_name": "Zwijsen"}]),
    ]
    with transaction.atomic():
        notification_send(
            audience=Audience(households=households),
            message="portal/test_message",
            context={"topic": "the new bins"},
            title="New bins in the courtyard",
        )
    call_command("db_worker", batch=True, verbosity=0, interval=0)
    batch = NotificationBatch.objects.get()

    _log_in(page, site_url, worker)
    page.goto(site_url + "/admin/notifications/")
    assert_accessible(page)
    page.get_by_role("link", name="New bins in the courtyard").click()
    assert "Zwijsen" in page.locator("table.listing").inner_text()
    assert_accessible(page)

    download = page.request.get(
        site_url + page.locator('a[href$="/download/letters/"]').get_attribute("href")
    )
    assert download.ok and download.body().startswith(b"%PDF")

    page.locator('form[action$="/printed/"] button').click()
    page.wait_for_load_state()
    assert page.locator(".messages").count() == 1
    assert batch.deliveries.get(household=households[1]).status == DeliveryStatus.PRINTED
