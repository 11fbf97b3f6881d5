"""The whole life of a project in a real browser: draft, leave, come back, coaching, submission, eligibility, two
jury members, decision within the envelope, notification, gallery, final report."""

import datetime
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from projectcall.models import Application, Call, ProjectCallPage
from tests.browser.axe import assert_accessible
from tests.projectcall import factories as f

PASSWORD = "x-pass-12345"


def _login(page, site_url, user, next_url):
    page.context.clear_cookies()
    page.goto(f"{site_url}/en/accounts/login/?next={next_url}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"**{next_url}")


def test_a_tenant_project_from_draft_to_funded_and_reported(page, site_url):
    from home.models import HomePage

    the_call = f.call(phase="open", year=2026, envelope="10000", maximum="5000")
    home = HomePage.objects.get(locale__language_code="en")
    home.add_child(
        instance=ProjectCallPage(
            title="Call for projects 2026",
            slug="call",
            call=the_call,
            intro="Ideas for your building?",
            locale=home.locale,
        )
    )
    hood = f.neighbourhood("marolles")
    tenant = f.tenant("fatima", hood=hood)
    other = f.eligible(the_call, f.user("rival"), amounts=("4000",), title="Bancs")
    worker = f.worker("sophie")
    jury = [f.reviewer("marc"), f.reviewer("hilde")]

    # The tenant reads the call, starts a draft, fills the first two steps and leaves.
    _login(page, site_url, tenant.user, "/en/call/")
    assert_accessible(page)
    page.click("text=Apply for this call")
    page.click("text=Start a new application")
    page.check("input[name=applicant_kind][value=tenant_group]")
    page.fill("input[name=group_name]", "Voisins de la rue Haute 4")
    page.fill("input[name=title]", "Potager dans la cour")
    page.fill("textarea[name=summary]", "Des bacs de légumes pour tous les voisins.")
    assert_accessible(page)
    page.click("button[name=next]")
    page.select_option("select[name=neighbourhood]", label=hood.name_fr)
    page.fill("textarea[name=beneficiaries]", "Les familles et les aînés du bloc")
    page.click("button[name=stay]")
    assert page.locator(".message--success").is_visible()
    page.context.clear_cookies()

    # She comes back later: the draft is there; she asks for help, then completes and sends it.
    _login(page, site_url, tenant.user, "/en/projects/mine/")
    assert_accessible(page)
    page.click("text=Potager dans la cour")
    page.click("text=Ask a worker for help")
    page.check("input[name=help_kind][value=budget]")
    page.fill("textarea[name=details]", "Je ne sais pas comment faire le budget.")
    page.click("text=Send my request")
    page.fill("textarea[name=body]", "Bonjour, pouvez-vous m'aider ?")
    page.click("text=Send the message")
    assert page.locator("#thread").get_by_text("pouvez-vous m'aider").is_visible()
    assert_accessible(page)
    page.click("text=Change the application")
    page.click("text=3. Activities")
    page.fill("textarea[name=activities]", "Construire les bacs, planter, récolter ensemble.")
    page.click("button[name=next]")
    page.fill("input[name=lines-0-item]", "Bacs en bois")
    page.fill("input[name=lines-0-amount]", "3000")
    page.fill("input[name=lines-1-item]", "Terre et graines")
    page.fill("input[name=lines-1-amount]", "3500")
    page.click("button[name=next]")
    assert "more than the maximum" in page.inner_text("main")
    assert page.input_value("input[name=lines-1-amount]") == "3500"
    assert_accessible(page)
    page.fill("input[name=lines-1-amount]", "1500")
    page.click("button[name=next]")
    page.click("button[name=continue]")
    page.click("button[name=next]")  # contact step is pre-filled from the account
    assert_accessible(page)
    page.click("text=Send my application")
    assert "your application is submitted" in page.inner_text("main")
    app = Application.objects.get(title="Potager dans la cour")
    assert app.status == "submitted" and app.requested_total == Decimal("4500")

    # The deadline passes; the worker checks eligibility.
    Call.objects.filter(pk=the_call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    _login(page, site_url, worker, "/en/projects/manage/call/2026/")
    assert_accessible(page)
    page.click(f"text=Check eligibility {app.reference}")
    for name in ("applicant_ok", "area_ok", "budget_ok", "complete_ok"):
        page.check(f"input[name={name}]")
    page.check("input[name=eligible][value=yes]")
    assert_accessible(page)
    page.click("text=Record and inform the applicant")
    app.refresh_from_db()
    assert app.status == "eligible"

    # Two jury members score both applications independently.
    for member, value in zip(jury, ("5", "4"), strict=True):
        for target in (app, other):
            _login(page, site_url, member, f"/en/projects/review/{target.pk}/")
            page.check("input[name=has_conflict][value=no]")
            page.click("text=Confirm")
            for criterion in the_call.criteria.all():
                page.select_option(f"select[name=score_{criterion.pk}]", value if target == app else "2")
            page.click("button[value=submit]")
    assert_accessible(page)
    assert "Scores of the other jury members" in page.inner_text("main")

    # The decision is taken within the envelope.
    _login(page, site_url, worker, "/en/projects/manage/call/2026/decision/")
    assert_accessible(page)
    rows = page.locator("tbody tr")
    assert "Potager dans la cour" in rows.first.inner_text()  # ranked first
    page.check(f"input[name=funded_{app.pk}][value=yes]")
    page.fill(f"textarea[name=motivation_{app.pk}]", "Un beau projet porté par les voisins.")
    page.check(f"input[name=funded_{other.pk}][value=yes]")
    page.fill(f"textarea[name=motivation_{other.pk}]", "Utile aussi.")
    page.fill(f"input[name=amount_{other.pk}]", "4000")
    page.fill(f"input[name=amount_{app.pk}]", "4500")
    page.click("text=Record the decision and inform every applicant")
    assert "exceed the envelope" not in page.inner_text("main")
    call_command("db_worker", batch=True, verbosity=0, interval=0)
    decided = [m for m in mail.outbox if tenant.user.email in m.to and "4500" in m.body]
    assert len(decided) == 1 and app.reference in decided[0].subject

    # The project is in the public gallery, without contact data; the holder posts the final report.
    page.context.clear_cookies()
    page.goto(f"{site_url}/en/projects/gallery/")
    assert "Potager dans la cour" in page.inner_text("main")
    assert tenant.user.email not in page.content()
    assert_accessible(page)
    _login(page, site_url, tenant.user, f"/en/projects/application/{app.pk}/")
    page.click("text=Send a progress update or the final report")
    page.check("input[name=kind][value=final]")
    page.fill("textarea[name=text]", "Les bacs sont pleins de tomates.")
    page.fill("input[name=amount_spent]", "4400")
    assert_accessible(page)
    page.click("text=Send the report")
    assert "Les bacs sont pleins de tomates." in page.inner_text("main")
    assert app.reports.get().kind == "final"
