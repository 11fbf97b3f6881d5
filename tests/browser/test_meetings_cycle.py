"""A whole monthly cycle in a real browser: a tenant suggests a topic, a department proposes an item, the worker
publishes the agenda (invitation e-mails and letters), records the meeting with an action point, the minutes are
approved and published, the tenant reads them, and the next draft agenda carries the open action point."""

import datetime
import re
from urllib.parse import urlparse

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import AgendaItem, Meeting
from portal.notifications.models import Channel, NotificationBatch
from tests.browser.axe import assert_accessible
from tests.meetings import factories as f


def login(page, user) -> None:
    """Log the browser in as `user` (session cookie made by Django's test client)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = urlparse(page.url).hostname
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )


def run_worker() -> None:
    call_command("db_worker", batch=True, verbosity=0, interval=0)


def test_full_meeting_cycle_from_suggestion_to_published_minutes(page, site_url):
    hood = f.neighbourhood("marolles")
    tenant = f.tenant(hood, "fatima")
    f.household(hood)  # a household without e-mail: gets a letter
    dept = f.department()
    staff = f.department_staff(dept, "technique")
    worker = f.worker(hood, "sarah")
    reviewer = f.worker(hood, "youssef")
    meeting = f.meeting(
        hood, actor=worker, days_ahead=5, proposal_deadline=timezone.localdate() + datetime.timedelta(days=2)
    )
    next_meeting = f.meeting(hood, actor=worker, days_ahead=35)

    # 1. The tenant suggests a topic.
    page.goto(site_url + "/en/meetings/")
    login(page, tenant)
    page.goto(site_url + f"/en/meetings/{hood.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Suggest a topic").first.click()
    page.get_by_label("Your topic").fill("Lights in the courtyard")
    page.get_by_role("button", name="Send my topic").click()
    expect(page.get_by_text("Thank you!")).to_be_visible()

    # 2. The worker puts it on the agenda.
    login(page, worker)
    page.goto(site_url + "/en/meetings/staff/suggestions/")
    assert_accessible(page)
    page.get_by_label("Put it on the agenda of a meeting").check()
    page.get_by_label("Meeting:", exact=True).select_option(str(meeting.pk))
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Answer recorded")).to_be_visible()

    # 3. The department proposes an item.
    login(page, staff)
    page.goto(site_url + "/en/meetings/staff/")
    assert_accessible(page)
    page.get_by_role("link", name="Propose an item").first.click()
    page.get_by_label("Title").fill("Lift repairs")
    page.get_by_label("Presented by").fill("Mr Peeters")
    page.get_by_label("Estimated minutes").fill("15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("your item is proposed")).to_be_visible()

    # 4. The worker accepts it and publishes the agenda: invitations go out.
    login(page, worker)
    page.goto(site_url + f"/en/meetings/staff/meeting/{meeting.pk}/")
    page.locator("#item-" + str(meeting.items.get(title="Lift repairs").pk)).get_by_role(
        "button", name="Accept"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the agenda and invite the tenants").click()
    expect(page.get_by_text("The agenda is published.")).to_be_visible()
    run_worker()
    invitation = NotificationBatch.objects.get(message="meetings/invitation")
    assert any(m.to == [tenant.email] and "Lift repairs" in m.body for m in mail.outbox)
    assert invitation.deliveries.filter(channel=Channel.LETTER).exists()
    invitation.refresh_from_db()
    assert invitation.letters_pdf.name.endswith(".pdf") and invitation.notices_pdf

    # 5. On the day, the worker records the meeting and an action point.
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    page.goto(site_url + f"/en/meetings/staff/meeting/{meeting.pk}/record/")
    page.get_by_label("Number of tenants present").fill("17")
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_label("What was said").first.fill("The lift of block B will be replaced in spring.")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("What:", exact=True).fill("Replace the lift of block B")
    page.get_by_label("Department").select_option(str(dept.pk))
    page.get_by_label("Due date").fill((timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Add the action point").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.get_by_text("The minutes are sent for review.")).to_be_visible()

    # 6. A second worker approves; the first one publishes.
    login(page, reviewer)
    page.goto(site_url + f"/en/meetings/staff/meeting/{meeting.pk}/minutes/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    login(page, worker)
    page.goto(site_url + f"/en/meetings/staff/meeting/{meeting.pk}/minutes/")
    page.get_by_role("button", name="Publish and send to every tenant").click()
    expect(page.get_by_text("The minutes are published")).to_be_visible()
    run_worker()
    assert any(
        "The lift of block B will be replaced" in m.body for m in mail.outbox if m.to == [tenant.email]
    )

    # 7. The tenant reads them online.
    login(page, tenant)
    page.goto(site_url + f"/en/meetings/{hood.slug}/archive/")
    page.locator(".meeting-list").get_by_role("link", name=re.compile("Tenant meeting")).first.click()
    expect(page.get_by_text("The lift of block B will be replaced in spring.")).to_be_visible()
    expect(page.get_by_text("Replace the lift of block B")).to_be_visible()
    assert_accessible(page)

    # 8. The next meeting's draft agenda carries the open action point.
    login(page, worker)
    page.goto(site_url + f"/en/meetings/staff/meeting/{next_meeting.pk}/")
    expect(page.locator(".item-row", has_text="Replace the lift of block B")).to_contain_text("follow-up")
    assert next_meeting.items.filter(kind=AgendaItem.Kind.FOLLOW_UP).count() == 1
