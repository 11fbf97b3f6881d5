"""A tenant signs up, verifies their e-mail, links the account with the code from a letter and sees "My data"."""

import datetime
import re

from captcha.models import CaptchaStore
from django.core import mail

from portal.accounts.linking import linking_codes_issue
from tests.browser.axe import assert_accessible
from tests.portal.accounts_factories import PASSWORD, make_person


def test_tenant_signs_up_verifies_links_with_a_code_and_sees_my_data(page, site_url):
    person = make_person(first_name="Monique", last_name="Lejeune", birth_date=datetime.date(1961, 2, 28))
    [issued] = linking_codes_issue(persons=[person], actor=None)

    page.goto(site_url + "/en/accounts/signup/")
    assert_accessible(page)
    page.locator("#id_email").fill("monique@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    hashkey = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label(re.compile("Type the letters you see in the picture")).fill(
        CaptchaStore.objects.get(hashkey=hashkey).response
    )
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))
    assert "Verify Your Email Address" in page.locator("h1").inner_text()
    assert_accessible(page)

    link = re.search(r"http://[^/\s]+(/en/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body).group(1)
    page.goto(site_url + link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    page.goto(site_url + "/en/")
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Link my account with my personal code").click()
    assert_accessible(page)
    page.get_by_label(re.compile("Personal code")).fill(issued.code.lower())
    page.get_by_label(re.compile("Your date of birth")).fill("1961-02-28")
    page.get_by_role("button", name="Link my account").click()
    page.wait_for_url(re.compile(r"/en/my/$"))
    assert "your account is now linked" in page.locator(".messages").inner_text()
    assert "Monique Lejeune" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="See and download my data").click()
    main = page.locator("main").inner_text()
    assert "Lejeune" in main and "28" in main
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (ZIP archive)").click()
    assert download.value.suggested_filename.startswith("my-data-")
